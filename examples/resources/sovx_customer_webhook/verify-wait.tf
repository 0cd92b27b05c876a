terraform {
  required_providers {
    sovx = {
      source  = "sovera/sovx"
      version = "~> 0.1"
    }
  }
}

resource "sovx_customer_webhook" "pin" {
  customer_id = "cus_123"
  url         = "https://example.com/webhook/pin-notification"

  # The receiver is deployed in the same apply: test again for up to two
  # minutes (within the create or update timeout) until it answers.
  verify_wait = "2m"
}
