#!/usr/bin/env bash
# BYOK wrap, checked by openssl (README, CLI section): a key ceremony and BYOK wrapping for AWS KMS, Azure Key Vault / Managed HSM and
# GCP Cloud KMS — fully offline. The cloud wrapping keys are stand-ins made with openssl (the real
# ones come from GetParametersForImport, an Azure KEK with key_ops ["import"], a GCP import job),
# and each wrapped blob is opened again with the openssl CLI to prove the bytes are exactly what
# the cloud would unwrap.
set -euo pipefail
cd "$(dirname "$0")/.."
keyplane() { node packages/cli/bin/keyplane.js "$@"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "1. Key ceremony: generate central keys (written 0600, never overwritten)"
keyplane key generate --type ecdsa-p256 --out "$work/signing.pem"
keyplane key generate --type rsa-3072 --out "$work/rsa.pem"
keyplane key generate --type aes256-gcm96 --out "$work/data.key"

say "2. Cloud wrapping keys (stand-ins: AWS RSA_4096 DER SPKI, Azure RSA-HSM 3072 KEK, GCP import job RSA 3072 PEM)"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out "$work/aws-kek.pem" 2>/dev/null
openssl pkey -in "$work/aws-kek.pem" -pubout -outform DER -out "$work/aws-wrapping-key.der"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$work/azure-kek.pem" 2>/dev/null
openssl pkey -in "$work/azure-kek.pem" -pubout -out "$work/azure-kek.pub.pem"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$work/gcp-job.pem" 2>/dev/null
openssl pkey -in "$work/gcp-job.pem" -pubout -out "$work/gcp-job.pub.pem"
echo "ok"

say "3. Wrap for each cloud"
keyplane byok wrap --target aws --algorithm RSA_AES_KEY_WRAP_SHA_256 \
  --wrapping-key "$work/aws-wrapping-key.der" --key "$work/signing.pem" --out "$work/aws-material.bin"
keyplane byok wrap --target azure --kid "https://demo.vault.azure.net/keys/kek/0123456789abcdef" \
  --wrapping-key "$work/azure-kek.pub.pem" --key "$work/rsa.pem" --out "$work/rsa.byok"
keyplane byok wrap --target gcp --wrapping-key "$work/gcp-job.pub.pem" \
  --key "$work/data.key" --out "$work/gcp-wrapped.bin" --json

say "4. Azure transfer document (what goes into key_hsm)"
node -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1]));d.ciphertext=d.ciphertext.slice(0,32)+"…";console.log(JSON.stringify(d,null,2))' "$work/rsa.byok"

say "5. Independent check: openssl unwraps every blob back to the original key bytes"
# RSA block first (modulus bytes), then the RFC 5649 AES-KWP block.
unwrap() { # blob kek.pem md modulus_bytes → plaintext on stdout
  local blob=$1 kek=$2 md=$3 n=$4
  head -c "$n" "$blob" > "$work/k.oaep"; tail -c +"$((n + 1))" "$blob" > "$work/kwp.bin"
  openssl pkeyutl -decrypt -inkey "$kek" -in "$work/k.oaep" -out "$work/k.bin" \
    -pkeyopt rsa_padding_mode:oaep -pkeyopt "rsa_oaep_md:$md" -pkeyopt "rsa_mgf1_md:$md"
  openssl enc -d -id-aes256-wrap-pad -iv A65959A6 -K "$(od -An -v -tx1 "$work/k.bin" | tr -d ' \n')" -in "$work/kwp.bin"
}
check() { # label expected actual
  if cmp -s "$2" "$3"; then echo "✔ $1: openssl recovered the exact key bytes"; else echo "✘ $1 differs"; exit 1; fi
}
openssl pkcs8 -topk8 -nocrypt -in "$work/signing.pem" -outform DER -out "$work/signing.p8"
openssl pkcs8 -topk8 -nocrypt -in "$work/rsa.pem" -outform DER -out "$work/rsa.p8"
unwrap "$work/aws-material.bin" "$work/aws-kek.pem" sha256 512 > "$work/aws.out"
check "AWS  (ecdsa-p256, RSA_AES_KEY_WRAP_SHA_256)" "$work/signing.p8" "$work/aws.out"
node -e 'process.stdout.write(Buffer.from(JSON.parse(require("fs").readFileSync(process.argv[1])).ciphertext,"base64url"))' \
  "$work/rsa.byok" > "$work/azure.bin"
unwrap "$work/azure.bin" "$work/azure-kek.pem" sha1 384 > "$work/azure.out"
check "Azure (rsa-3072, CKM_RSA_AES_KEY_WRAP)" "$work/rsa.p8" "$work/azure.out"
unwrap "$work/gcp-wrapped.bin" "$work/gcp-job.pem" sha256 384 > "$work/gcp.out"
check "GCP  (aes256-gcm96, RSA_OAEP_3072_SHA256_AES_256)" "$work/data.key" "$work/gcp.out"

say "6. Refusals name the field and the allowed values"
keyplane byok wrap --target gcp --wrapping-key "$work/gcp-job.pub.pem" --key "$work/rsa.pem" \
  --algorithm RSA_OAEP_3072_SHA256 --out "$work/nope.bin" 2>&1 || echo "(exit code $?)"
echo
echo "BYOK check complete: the same central keys, wrapped for three clouds, verified by openssl."
