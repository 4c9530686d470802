#!/usr/bin/env bash
# The Keyplane demo (README, quick start): the local clouds (`keyplane dev up`: AWS KMS, Azure Key
# Vault and GCP Cloud KMS emulators + a SoftHSM2 token), the provider installed into a private
# filesystem mirror, examples/multi-cloud-byok synthesized and applied with the real terraform —
# one RSA key in three clouds, each cloud's own SDK serving the same public key, a signature made
# in the HSM and verified by openssl — then a rotation reaching all three clouds, destroy, and
# the local clouds stopped. Everything runs offline, in a temp dir that is removed afterwards.
# `npm run demo` builds first; run this script directly only on a built checkout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
example="$root/examples/multi-cloud-byok"
started=$SECONDS

keyplane() { node "$root/packages/cli/bin/keyplane.js" "$@"; }
step() { printf '\n\033[1m[%3ds] == %s\033[0m\n' "$((SECONDS - started))" "$*"; }
fail() {
  printf '✘ %s\n' "$*" >&2
  exit 1
}

# --- What the demo needs, each named with what to do about it --------------------------------
command -v terraform >/dev/null ||
  fail "terraform not found: install Terraform ≥ 1.11 (https://developer.hashicorp.com/terraform/install)"
tf_version=$(terraform version -json 2>/dev/null | node -e 'let v="unknown";try{v=JSON.parse(require("fs").readFileSync(0)).terraform_version}catch{}process.stdout.write(v)')
node -e 'const [a,b]=process.argv[1].split(".").map(Number);process.exit(a>1||(a===1&&b>=11)?0:1)' "$tf_version" ||
  fail "terraform $tf_version is too old: install Terraform ≥ 1.11 (write-only attributes)"
command -v openssl >/dev/null || fail "openssl not found: install the openssl CLI (Debian/Ubuntu: apt-get install openssl)"
[[ -f "$root/packages/cli/dist/main.js" && -f "$example/dist/main.js" ]] ||
  fail "Keyplane is not built: run 'npm run demo' (it builds first) or 'npm run build'"

work=$(mktemp -d "${TMPDIR:-/tmp}/keyplane-demo.XXXXXX")
dev_state="$work/dev"
dev_up=false
cleanup() {
  if $dev_up; then keyplane dev down --state-dir "$dev_state" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# terraform quietly, its resource lines and result kept; the whole log shown when it fails.
tf() {
  local log="$work/terraform.log"
  if ! terraform -chdir="$stack" "$@" -input=false -no-color >"$log" 2>&1; then
    cat "$log" >&2
    fail "terraform $1 failed (output above)"
  fi
  grep -E 'complete after|Apply complete|Destroy complete|Terraform has been successfully' "$log" | sed 's/^/  /' || true
}
outputs() { terraform -chdir="$stack" output -json >"$work/outputs.json"; }
output() { node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1]))[process.argv[2]].value))' "$work/outputs.json" "$1"; }

step "1. Local clouds: keyplane dev up (AWS KMS, Azure Key Vault, GCP Cloud KMS emulators + SoftHSM2)"
keyplane dev up --detach --state-dir "$dev_state" --aws-port 0 --azure-port 0 --gcp-port 0 | sed 's/^/  /'
dev_up=true
eval "$(keyplane dev env --state-dir "$dev_state")"

step "2. Provider: keyplane provider install --dir <temp mirror> (terraform init stays offline)"
keyplane provider install --dir "$work/mirror" --json |
  node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0)).cliConfig)' >"$work/terraformrc"
echo "  installed into $work/mirror"
export TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_PLUGIN_CACHE_DIR=
export KEYPLANE_STORE="$work/keyplane.db"
# A development seal for this run only; secrets reach terraform as TF_VAR_ of sensitive variables.
KEYPLANE_SEAL_PASSPHRASE="demo-$(openssl rand -hex 16)"
export KEYPLANE_SEAL_PASSPHRASE
export TF_VAR_aws_access_key="$AWS_ACCESS_KEY_ID" TF_VAR_aws_secret_key="$AWS_SECRET_ACCESS_KEY"
export TF_VAR_hsm_pin="$KEYPLANE_PKCS11_PIN"

synth() { (cd "$work" && node "$example/dist/main.js"); }
step "3. Synthesize examples/multi-cloud-byok (CDKTF, @keyplane/cdktf constructs)"
synth
stack="$work/cdktf.out/stacks/multi-cloud-byok"
echo "  $stack/cdk.tf.json"

step "4. terraform init + apply: one RSA key, distributed (BYOK) to AWS, Azure and GCP; a signer in the HSM"
tf init
tf apply -auto-approve

step "5. Where the key lives, read back through each cloud's own SDK"
outputs
node "$example/dist/summary.js" "$work/outputs.json"

step "6. Sign in the HSM (PKCS#11 managed key on SoftHSM2), verify independently with openssl"
echo "release 1.0.0 of acme-app" >"$work/release.txt"
signature=$(keyplane sign --key "$(output signing_key)" --hash sha2-256 --input "$work/release.txt")
echo "  keyplane sign → ${signature:0:48}…"
output signer_public_key_pem >"$work/signer.pub.pem"
node -e 'process.stdout.write(Buffer.from(process.argv[1].split(":")[2],"base64"))' "$signature" >"$work/release.sig"
if openssl dgst -sha256 -verify "$work/signer.pub.pem" -signature "$work/release.sig" "$work/release.txt" >/dev/null; then
  echo "✔ signature verified by openssl (ECDSA P-256, key generated in the token, $(output signer_fingerprint))"
else
  fail "openssl did not verify the signature"
fi
echo "release 1.0.1 of acme-app" >"$work/tampered.txt"
if openssl dgst -sha256 -verify "$work/signer.pub.pem" -signature "$work/release.sig" "$work/tampered.txt" >/dev/null 2>&1; then
  fail "openssl verified the signature over a changed message"
fi
echo "✔ openssl rejects the same signature over a changed message"

step "7. Rotate: a new rotate_trigger, apply — version 2 goes to every cloud"
KEYPLANE_EXAMPLE_ROTATE_TRIGGER="rotation-$(date -u +%Y%m%dT%H%M%S)" synth
tf apply -auto-approve
# The distributions record the key's new version at the next refresh.
tf apply -refresh-only -auto-approve >/dev/null
outputs
node "$example/dist/summary.js" "$work/outputs.json"

step "8. terraform destroy"
tf destroy -auto-approve
[[ -z "$(terraform -chdir="$stack" state list)" ]] || fail "resources are left in the state after destroy"
echo "✔ destroyed: no resources left in the state"

step "9. Local clouds: keyplane dev down"
keyplane dev down --state-dir "$dev_state" | sed -e "s/; state kept in .*//" -e "s/^/  /" # the state dir goes with the temp dir
dev_up=false
echo "✔ local clouds stopped"

printf '\nDemo complete in %ds: one key, the same public key in AWS, Azure and GCP, rotated everywhere; signed in an HSM, verified by openssl.\n' "$((SECONDS - started))"
