variable "pkcs11_library" {
  type        = string
  description = "PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so"
}

variable "token_label" {
  type = string
}

# Ephemeral: the PIN reaches the provider through pin_wo and is stored nowhere but sealed in
# the Keyplane store (never in plan or state).
variable "pin" {
  type      = string
  ephemeral = true
}

# An ECDSA P-256 key in an HSM token, generated there on create (test/sign) if missing.
resource "keyplane_managed_key" "release_signer" {
  name               = "release-signer"
  type               = "pkcs11"
  library            = var.pkcs11_library
  token_label        = var.token_label
  key_label          = "release-signer"
  mechanism          = "0x1041"
  curve              = "P256"
  allow_generate_key = true
  pin_wo             = var.pin
  pin_wo_version     = 1
}
