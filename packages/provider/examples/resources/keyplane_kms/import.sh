# The id is the name, plus credentials_wo_version (write-only values cannot be read back).
terraform import keyplane_kms.aws aws-eu,credentials_wo_version=1
