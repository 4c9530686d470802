# Everything `keyplane dev env` prints, passed as TF_VAR_* (see README.md). Against real clouds
# the endpoints are left out and the credentials are real ones.

variable "aws_endpoint" {
  type        = string
  description = "AWS KMS endpoint (KEYPLANE_AWS_KMS_ENDPOINT); null for the public endpoint."
  default     = null
}

variable "aws_region" {
  type    = string
  default = "us-east-1"
}

variable "aws_access_key" {
  type = string
}

# Ephemeral: reaches the provider through credentials_wo and is never written to plan or state
# (the provider seals it in the Keyplane store).
variable "aws_secret_key" {
  type      = string
  ephemeral = true
}

variable "azure_vault_url" {
  type        = string
  description = "Key Vault URL (KEYPLANE_AZURE_KEYVAULT_URL); null for https://<vault>.vault.azure.net."
  default     = null
}

variable "azure_ca_file" {
  type        = string
  description = "PEM CA the vault's TLS certificate chains to (KEYPLANE_AZURE_CA_FILE); null for public Azure."
  default     = null
}

variable "gcp_endpoint" {
  type        = string
  description = "Cloud KMS endpoint host:port (KEYPLANE_GCP_KMS_ENDPOINT); null for the public endpoint."
  default     = null
}

variable "gcp_key_ring" {
  type        = string
  description = "projects/P/locations/L/keyRings/R (KEYPLANE_GCP_KEY_RING)."
}

variable "pkcs11_library" {
  type        = string
  description = "PKCS#11 module path (KEYPLANE_PKCS11_LIBRARY)."
}

variable "pkcs11_token_label" {
  type    = string
  default = "keyplane-dev"
}

variable "pkcs11_pin" {
  type      = string
  ephemeral = true
}

variable "rotate_trigger" {
  type        = string
  description = "Any change makes one new version of the release key, pushed to every cloud."
  default     = "initial"
}
