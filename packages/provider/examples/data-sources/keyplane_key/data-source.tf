# Public metadata of a key managed elsewhere: the latest version's public key.
data "keyplane_key" "payments" {
  name = keyplane_key.payments.id
}

output "payments_latest_public_key" {
  value = data.keyplane_key.payments.versions[tostring(data.keyplane_key.payments.latest_version)].public_key_pem
}
