terraform {
  required_providers {
    sovx = {
      source  = "sovera/sovx"
      version = "~> 0.1"
    }
  }
}

# Terraform 1.14 or later. The action names the customer itself (here through
# a local), not through the resource that triggers it: an action cannot refer
# to its own triggering resource.
locals {
  pin_customer = "cus_123"
}

action "sovx_customer_webhook_verify" "pin" {
  config {
    customer_id = local.pin_customer
  }
}

# Runs after every change to the webhook. Run it on demand too:
#   terraform apply -invoke=action.sovx_customer_webhook_verify.pin
resource "sovx_customer_webhook" "pin" {
  customer_id = local.pin_customer
  url         = "https://example.com/webhook/pin-notification" # your receiver: it gets the test payload
  verify      = false                                          # the action does the check instead

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.sovx_customer_webhook_verify.pin]
    }
  }
}
