# The import id is the customer id.
terraform import sovx_customer_webhook.pin cus_123
