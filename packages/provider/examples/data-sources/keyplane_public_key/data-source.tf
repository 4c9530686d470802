# The public key that verifies the latest version's signatures, for release tooling.
data "keyplane_public_key" "release" {
  signing_key = keyplane_signing_key.release.id
}

output "release_public_key_pem" {
  value = data.keyplane_public_key.release.public_key_pem
}

output "release_fingerprint" {
  value = data.keyplane_public_key.release.fingerprint
}
