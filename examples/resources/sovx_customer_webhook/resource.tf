terraform {
  required_providers {
    sovx = {
      source  = "sovera/sovx"
      version = "~> 0.1"
    }
  }
}

variable "receiver_token" {
  type      = string
  sensitive = true
}

variable "api_key" {
  type      = string
  sensitive = true
}

resource "sovx_customer_webhook" "pin" {
  customer_id = "cus_123"
  url         = "https://example.com/webhook/pin-notification"

  headers = {
    # Sensitive: hidden in plans and output, stored in state.
    "Authorization" = { value = "Bearer ${var.receiver_token}" }
    # Write-only (Terraform 1.11 or later): sent to the API, never stored.
    "X-API-Key" = { value_wo = var.api_key }
  }
  # Change it to send the write-only values again, e.g. after rotating api_key.
  headers_wo_version = 1

  # example.com is no receiver: leave verify out (true) once yours is deployed.
  verify = false
}
