/**
 * The one DER (ITU-T X.690) question all three emulators ask of unwrapped key material: how
 * long is the element it starts with? node:crypto's PKCS#8 parser silently ignores bytes after
 * the PrivateKeyInfo (and SoftHSM 2.6.1's CKM_AES_KEY_WRAP_PAD zero-pads key data before
 * wrapping), while the clouds refuse such material, so each emulator compares this length with
 * the byte count.
 *
 * @module
 */

/**
 * Total size (identifier + length octets + contents) of the DER element at the start of
 * `bytes`, as its header claims it — possibly more than `bytes.length` for truncated input — or
 * undefined when the header is not a valid DER definite length: X.690 §10.1 requires the
 * shortest form, so a long form for a length below 128 or with a leading zero octet is refused.
 * Single-octet identifiers only (all PKCS#8 / SPKI tags are).
 */
export function derElementLength(bytes: Uint8Array): number | undefined {
  if (bytes.length < 2 || ((bytes[0] ?? 0) & 0x1f) === 0x1f) return undefined;
  const first = bytes[1] ?? 0;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  // 0x80 is the indefinite form (BER only); 4 length octets cover anything a key can be.
  if (count === 0 || count > 4 || bytes.length < 2 + count || bytes[2] === 0) return undefined;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (bytes[2 + i] ?? 0);
  if (length < 0x80) return undefined;
  return 2 + count + length;
}
