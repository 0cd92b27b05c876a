# The import id is the customer id; the resource block must be in the configuration.
terraform import sovx_customer_webhook.pin cus_123
