# Checks the BYOK compatibility table before a distribution is written down.
output "rsa_signing_on_aws" {
  value = provider::keyplane::compatible("rsa-3072", "awskms", ["sign", "verify"]) # true
}

output "ed25519_on_aws" {
  value = provider::keyplane::compatible("ed25519", "awskms", ["sign"]) # false: AWS does not import Ed25519
}
