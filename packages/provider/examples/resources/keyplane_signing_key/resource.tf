# Signatures keyplane:v<N>:… through the HSM key; bump rotate_trigger after the backend key
# was replaced to pin the new one as the next version.
resource "keyplane_signing_key" "release" {
  name                 = "release"
  managed_key          = keyplane_managed_key.release_signer.id
  allowed_managed_keys = [keyplane_managed_key.release_signer.name]
  rotate_trigger       = "2026-12"
}
