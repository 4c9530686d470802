# The fingerprint of a public key, as openssl computes it over the DER SubjectPublicKeyInfo.
output "signing_key_fingerprint" {
  value = provider::keyplane::fingerprint(file("${path.module}/signing.pub"))
}
