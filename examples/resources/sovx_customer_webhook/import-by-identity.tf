# Terraform 1.12 or later.
import {
  to = sovx_customer_webhook.pin
  identity = {
    customer_id = "cus_123"
  }
}
