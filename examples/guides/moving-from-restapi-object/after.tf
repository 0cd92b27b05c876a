# After: the same webhook, managed by sovx_customer_webhook.
terraform {
  required_providers {
    sovx = {
      source  = "sovera/sovx"
      version = "~> 0.1"
    }
    # Keep the REST provider until the move is applied: Terraform reads the
    # old object with it. Remove it afterwards if nothing else uses it.
    restapi = {
      source = "Mastercard/restapi"
    }
  }
}

provider "sovx" {} # SOVX_TOKEN (and SOVX_ENDPOINT) from the environment

variable "api_key" {
  type      = string
  sensitive = true
}

moved {
  from = restapi_object.pin
  to   = sovx_customer_webhook.pin
}

resource "sovx_customer_webhook" "pin" {
  customer_id = "cus_123"
  url         = "https://example.com/webhook/pin-notification"
  headers = {
    "X-API-Key" = { value = var.api_key }
  }
  verify = false # example.com is no receiver: leave verify out for yours
}
