terraform {
  required_providers {
    sovx = {
      source  = "sovera/sovx"
      version = "~> 0.1"
    }
  }
}

variable "receiver_url" {
  type      = string
  sensitive = true # plans show (sensitive value)
}

variable "receiver_token" {
  type      = string
  sensitive = true
}

resource "sovx_customer_webhook" "pin" {
  customer_id = "cus_123"
  url         = var.receiver_url

  headers = {
    "Authorization" = { value_wo = "Bearer ${var.receiver_token}" }
  }
  headers_wo_version = 1
}
