# Checks a distribution target before it is written down: the same check plan runs.
output "rsa_signing_on_aws" {
  value = provider::keyplane::compatible("rsa-3072", "awskms", ["sign", "verify"]) # true
}

output "ed25519_on_aws" {
  value = provider::keyplane::compatible("ed25519", "awskms", ["sign"]) # false: AWS does not import Ed25519
}

output "ec_on_key_vault" {
  value = provider::keyplane::compatible("ecdsa-p256", "azurekeyvault/vault", ["sign"]) # false: Key Vault BYOK takes RSA only
}

output "ec_on_managed_hsm" {
  value = provider::keyplane::compatible("ecdsa-p256", "azurekeyvault/managed-hsm", ["sign"]) # true
}

output "hsm_origin_key_to_a_token" {
  # The optional 4th argument is the key's origin. false: a key generated in the token of
  # keyplane_kms "hsm-payments" leaves it only wrapped for a cloud, never to another token.
  value = provider::keyplane::compatible("rsa-3072", "pkcs11", ["sign"], "hsm-payments")
}
