# A list block goes in a file ending in .tfquery.hcl (such as webhooks.tfquery.hcl),
# beside the .tf files that configure the sovx provider; then (Terraform 1.14 or later):
#   terraform query
#   terraform query -generate-config-out=generated.tf
list "sovx_customer_webhook" "existing" {
  provider         = sovx
  include_resource = true

  config {
    customer_ids = ["cus_123", "cus_456"]
  }
}
