terraform {
  required_providers {
    sovx = {
      source = "sovera/sovx"
    }
  }
}

# Prefer the environment for the token: export SOVX_TOKEN=...
# SOVX_ENDPOINT defaults to the sandbox, https://api.sandbox.sovera.io/sovx/v1.
provider "sovx" {
  max_retries     = 4
  request_timeout = "30s"
}
