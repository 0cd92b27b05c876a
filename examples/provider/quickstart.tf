terraform {
  required_providers {
    sovx = {
      source  = "sovera/sovx"
      version = "~> 0.1"
    }
  }
}

# The token and the endpoint come from SOVX_TOKEN and SOVX_ENDPOINT.
provider "sovx" {}

variable "api_key" {
  description = "The secret your receiver checks in the X-API-Key header."
  type        = string
  sensitive   = true
}

resource "sovx_customer_webhook" "pin" {
  customer_id = "cus_123"                                      # your customer's id
  url         = "https://example.com/webhook/pin-notification" # your receiver

  headers = {
    "X-API-Key" = { value = var.api_key }
  }

  # Step 5: delete this line once the receiver is deployed.
  verify = false
}
