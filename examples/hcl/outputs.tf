locals {
  latest         = tostring(data.keyplane_key.release.latest_version)
  latest_version = data.keyplane_key.release.versions[local.latest]
  distributions = {
    aws   = keyplane_key_distribution.aws
    azure = keyplane_key_distribution.azure
    gcp   = keyplane_key_distribution.gcp
  }
}

output "release_latest_version" {
  value = data.keyplane_key.release.latest_version
}

# Per cloud: where the latest version lives and the fingerprint its public key must have there
# (compare with what the cloud serves: aws kms get-public-key, az keyvault key download,
# gcloud kms keys versions get-public-key).
output "release_by_cloud" {
  value = {
    for cloud, d in local.distributions : cloud => {
      kms_key_name = d.kms_key_name
      cloud_id     = try(d.versions[local.latest].cloud_id, null)
      fingerprint  = local.latest_version.fingerprint
    }
  }
}

# The fingerprint computed from the PEM by the provider function, equal to the key's own.
output "release_fingerprint" {
  value = provider::keyplane::fingerprint(local.latest_version.public_key_pem)
}

output "signing_public_key_pem" {
  value = data.keyplane_public_key.signing.public_key_pem
}

output "signing_fingerprint" {
  value = data.keyplane_public_key.signing.fingerprint
}
