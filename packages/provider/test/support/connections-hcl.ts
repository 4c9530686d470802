/**
 * HCL for the `keyplane_kms` connections the e2e configurations point at the local emulators
 * and a SoftHSM2 token (resource names `hsm`, `azure`, `gcp`), so each test writes only what it
 * is about. The PIN is an ephemeral variable (TF_VAR_pin), never a literal in the config.
 */

/** `variable "pin"` and `keyplane_kms.hsm`: the token by label, logged in with var.pin. */
export const pkcs11ConnectionHcl = (token: {
  readonly label: string;
  readonly module: string;
}): string => `variable "pin" {
  type      = string
  ephemeral = true
}

resource "keyplane_kms" "hsm" {
  name                   = "hsm"
  type                   = "pkcs11"
  key_collection         = "${token.label}"
  options                = { library = "${token.module}" }
  credentials_wo         = { pin = var.pin }
  credentials_wo_version = 1
}
`;

/** `keyplane_kms.azure`: the Azure Key Vault emulator, trusting only its CA. */
export const azureConnectionHcl = (url: string, caFile: string): string => `
resource "keyplane_kms" "azure" {
  name           = "azure-kv"
  type           = "azurekeyvault"
  key_collection = "keyplane-vault"
  endpoint       = "${url}"
  options        = { ca_file = "${caFile}" }
}
`;

/** `keyplane_kms.gcp` named `name`: a key ring on the GCP Cloud KMS emulator. */
export const gcpConnectionHcl = (name: string, ring: string, port: number): string => `
resource "keyplane_kms" "gcp" {
  name           = "${name}"
  type           = "gcpckms"
  key_collection = "${ring}"
  endpoint       = "127.0.0.1:${String(port)}"
}
`;
