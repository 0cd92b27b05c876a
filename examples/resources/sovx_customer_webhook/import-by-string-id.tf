import {
  to = sovx_customer_webhook.pin
  id = "cus_123"
}
