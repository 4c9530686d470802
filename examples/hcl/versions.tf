terraform {
  # Write-only attributes (credentials_wo, pin_wo) and ephemeral variables need Terraform 1.11.
  required_version = ">= 1.11"
  required_providers {
    keyplane = { source = "keyplane/keyplane" }
  }
}

# The store and the seal come from the environment: KEYPLANE_STORE (else ./.keyplane/keyplane.db
# in the directory terraform runs in) and KEYPLANE_SEAL_PASSPHRASE. The provider refuses to start
# without a seal rather than invent one.
provider "keyplane" {
  # Every connection below that names no endpoint of its own uses these (null: the public
  # endpoints). A loopback endpoint is treated as an emulator: no cloud identity service is asked.
  endpoint {
    awskms        = var.aws_endpoint
    azurekeyvault = var.azure_vault_url
    azure_ca_file = var.azure_ca_file
    gcpckms       = var.gcp_endpoint
  }
}
