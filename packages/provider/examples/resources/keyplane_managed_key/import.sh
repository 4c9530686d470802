# The id is the name; add the *_wo_version values the configuration uses (write-only
# values cannot be read back), so the plan after import is empty.
terraform import keyplane_managed_key.release_signer release-signer,pin_wo_version=1
