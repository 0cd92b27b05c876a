# The configuration `make demo` applies against the built-in fake API.
# SOVX_ENDPOINT and SOVX_TOKEN come from the fake's env file, customer_id and
# webhook_url from the terraform.tfvars it writes.
terraform {
  required_providers {
    sovx = {
      source = "sovera/sovx"
    }
  }
}

variable "customer_id" {
  type = string
}

variable "webhook_url" {
  type = string
}

variable "api_key" {
  type      = string
  sensitive = true
  default   = "demo-api-key-rotate-me"
}

provider "sovx" {}

resource "sovx_customer_webhook" "pin" {
  customer_id = var.customer_id
  url         = var.webhook_url

  headers = {
    "Authorization" = { value = "Bearer demo-receiver-token" }
    "X-API-Key"     = { value_wo = var.api_key }
  }
  headers_wo_version = 1
}

output "webhook" {
  value = {
    customer_id = sovx_customer_webhook.pin.customer_id
    url         = sovx_customer_webhook.pin.url
    headers     = keys(sovx_customer_webhook.pin.headers)
  }
}
