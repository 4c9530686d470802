terraform {
  required_providers {
    keyplane = { source = "keyplane/keyplane" }
  }
}

# The seal passphrase comes from KEYPLANE_SEAL_PASSPHRASE; the store defaults to
# ./.keyplane/keyplane.db in the directory terraform runs in.
provider "keyplane" {
  store     = "sqlite:///var/lib/keyplane/keyplane.db"
  namespace = "payments"

  # Local clouds from `keyplane dev up` (see `keyplane dev env` for the ports).
  endpoint {
    awskms  = "http://127.0.0.1:4599"
    gcpckms = "127.0.0.1:4601"
  }
}
