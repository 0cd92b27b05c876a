terraform {
  required_providers {
    sovx = {
      source  = "sovera/sovx"
      version = "~> 0.1"
    }
  }
}

# Terraform 1.12 or later.
variable "api_key" {
  type      = string
  sensitive = true
}

import {
  to = sovx_customer_webhook.pin
  identity = {
    customer_id = "cus_123"
  }
}

resource "sovx_customer_webhook" "pin" {
  customer_id = "cus_123"
  url         = "https://example.com/webhook/pin-notification"

  headers = {
    "X-API-Key" = { value = var.api_key }
  }
  verify = false # example.com is no receiver
}
