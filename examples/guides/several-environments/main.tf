# One configuration, two environments: each has its own API endpoint and
# token, both from ephemeral variables (set TF_VAR_staging_token and
# TF_VAR_production_token in the pipeline), so neither is stored anywhere.

terraform {
  required_providers {
    sovx = {
      source  = "sovera/sovx"
      version = "~> 0.1"
    }
  }
}

variable "staging_endpoint" {
  type    = string
  default = "https://api.sandbox.sovera.io/sovx/v1"
}

variable "production_endpoint" {
  type = string
}

variable "staging_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "production_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

provider "sovx" {
  alias    = "staging"
  endpoint = var.staging_endpoint
  token    = var.staging_token
}

provider "sovx" {
  alias    = "production"
  endpoint = var.production_endpoint
  token    = var.production_token
}

resource "sovx_customer_webhook" "staging" {
  provider    = sovx.staging
  customer_id = "cus_123"
  url         = "https://staging.example.com/webhook/pin-notification"
  verify      = false # example.com is no receiver: leave verify out for yours
}

resource "sovx_customer_webhook" "production" {
  provider    = sovx.production
  customer_id = "cus_123"
  url         = "https://example.com/webhook/pin-notification"
  verify      = false
}
