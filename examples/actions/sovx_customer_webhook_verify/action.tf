# Terraform 1.14 or later. Run on demand:
#   terraform apply -invoke=action.sovx_customer_webhook_verify.pin
action "sovx_customer_webhook_verify" "pin" {
  config {
    customer_id = sovx_customer_webhook.pin.customer_id
  }
}

# Or run it after every change to the webhook.
resource "sovx_customer_webhook" "pin" {
  customer_id = "cus_123"
  url         = "https://example.com/webhook/pin-notification"
  verify      = false # the action does the check instead

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.sovx_customer_webhook_verify.pin]
    }
  }
}
