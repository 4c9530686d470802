terraform {
  required_providers {
    keyplane = { source = "keyplane/keyplane" }
  }
}

# The seal passphrase comes from KEYPLANE_SEAL_PASSPHRASE (the provider refuses to start
# without it). The store defaults to ./.keyplane/keyplane.db in the directory terraform runs
# in (for a cdktf stack: cdktf.out/stacks/<stack>); here it is pinned to this configuration's
# directory.
provider "keyplane" {
  store     = "sqlite://${abspath(path.root)}/.keyplane/keyplane.db"
  namespace = "payments"

  # Local clouds from `keyplane dev up` (see `keyplane dev env` for the ports).
  endpoint {
    awskms  = "http://127.0.0.1:4599"
    gcpckms = "127.0.0.1:4601"
  }
}
