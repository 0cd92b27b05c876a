terraform {
  required_providers {
    sovx = {
      source  = "sovera/sovx"
      version = "~> 0.1"
    }
  }
}

data "sovx_customer_webhook" "current" {
  customer_id = "cus_123"
}

output "webhook_url" {
  value     = data.sovx_customer_webhook.current.url
  sensitive = true # the URL may carry a secret: terraform output webhook_url shows it
}

output "webhook_header_names" {
  value = data.sovx_customer_webhook.current.header_names
}
