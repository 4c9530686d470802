# An HSM token as a KMS connection (SoftHSM2 here), and the payments key imported into it for
# signing. A new version of the key (rotation) is pushed to every distribution on apply.
resource "keyplane_kms" "hsm" {
  name                   = "hsm-payments"
  type                   = "pkcs11"
  key_collection         = var.token_label
  options                = { library = var.pkcs11_library }
  credentials_wo         = { pin = var.pin }
  credentials_wo_version = 1
}

resource "keyplane_key_distribution" "payments_hsm" {
  key        = keyplane_key.payments.name
  kms        = keyplane_kms.hsm.name
  purpose    = ["sign", "verify"]
  protection = "hsm"
}

output "payments_hsm_versions" {
  value = keyplane_key_distribution.payments_hsm.versions
}
