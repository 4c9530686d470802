variable "aws_secret_key" {
  type      = string
  ephemeral = true
  default   = "keyplane-dev"
}

# AWS KMS in eu-west-1 (here: the local emulator of `keyplane dev up`). The credentials are
# write-only: sealed in the Keyplane store, never in plan or state.
resource "keyplane_kms" "aws" {
  name                   = "aws-eu"
  type                   = "awskms"
  key_collection         = "eu-west-1"
  endpoint               = "http://127.0.0.1:4599"
  credentials_wo         = { access_key = "keyplane-dev", secret_key = var.aws_secret_key }
  credentials_wo_version = 1
}
