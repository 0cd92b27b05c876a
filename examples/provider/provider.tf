terraform {
  required_providers {
    sovx = {
      source  = "sovera/sovx"
      version = "~> 0.1"
    }
  }
}

# The token comes from the environment: export SOVX_TOKEN=...
# Without endpoint (or SOVX_ENDPOINT) the provider talks to the sandbox,
# https://api.sandbox.sovera.io/sovx/v1.
provider "sovx" {
  max_retries     = 4
  request_timeout = "30s"
}
