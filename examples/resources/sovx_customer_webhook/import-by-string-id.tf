terraform {
  required_providers {
    sovx = {
      source  = "sovera/sovx"
      version = "~> 0.1"
    }
  }
}

variable "api_key" {
  type      = string
  sensitive = true
}

import {
  to = sovx_customer_webhook.pin
  id = "cus_123" # the customer id
}

resource "sovx_customer_webhook" "pin" {
  customer_id = "cus_123"
  url         = "https://example.com/webhook/pin-notification" # the webhook's URL, as the API has it

  headers = {
    # The API never returns values: set each one; the first apply writes them.
    "X-API-Key" = { value = var.api_key }
  }
  verify = false # example.com is no receiver
}
