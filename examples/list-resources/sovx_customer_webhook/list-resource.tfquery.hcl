# Find the webhooks of these customers (Terraform 1.14 or later):
#   terraform query
#   terraform query -generate-config-out=generated.tf
list "sovx_customer_webhook" "existing" {
  provider         = sovx
  include_resource = true

  config {
    customer_ids = ["cus_123", "cus_456"]
  }
}
