# Before: the generic REST provider manages cus_123's webhook.
terraform {
  required_providers {
    restapi = {
      source = "Mastercard/restapi"
    }
  }
}

provider "restapi" {
  uri                  = "https://api.sandbox.sovera.io/sovx/v1"
  write_returns_object = true
  headers              = { Authorization = "Bearer ${var.session_token}" }
}

variable "session_token" {
  type      = string
  sensitive = true
}

variable "api_key" {
  type      = string
  sensitive = true
}

resource "restapi_object" "pin" {
  path         = "/customers/cus_123/webhooks"
  read_path    = "/customers/{id}/webhooks"
  update_path  = "/customers/{id}/webhooks"
  destroy_path = "/customers/{id}/webhooks"
  object_id    = "cus_123"
  data = jsonencode({
    url     = "https://example.com/webhook/pin-notification"
    headers = [{ key = "X-API-Key", value = var.api_key }]
  })
}
