# The id is the name, plus the configured rotate_trigger so the plan after import is empty.
terraform import keyplane_key.payments payments,rotate_trigger=2026-12
