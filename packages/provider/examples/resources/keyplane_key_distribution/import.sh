# The id is KMS/KEY; purpose and protection are read back, so the plan after import is empty.
terraform import keyplane_key_distribution.payments_hsm hsm-payments/payments
