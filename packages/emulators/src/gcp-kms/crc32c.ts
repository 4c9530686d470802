/**
 * CRC32C (Castagnoli), the checksum Cloud KMS puts on every byte field (`pem_crc32c`,
 * `signature_crc32c`, `ciphertext_crc32c`, …). node:crypto has no CRC32C and `zlib.crc32`
 * (where present) is the IEEE polynomial, so this is the small reflected table version.
 *
 * @module
 */
import { invalidArgument } from './errors';

/** Reflected Castagnoli polynomial. */
const POLYNOMIAL = 0x82f63b78;

const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC32C of `data` as an unsigned 32-bit number (crc32c("123456789") = 0xE3069283). */
export function crc32c(data: Uint8Array | string): number {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * The proto `google.protobuf.Int64Value` the service returns. The value travels as a decimal
 * string because the loader is configured with `longs: String` (as google-gax does).
 */
export function int64Crc(data: Uint8Array | string): { value: string } {
  return { value: String(crc32c(data)) };
}

/**
 * Verifies an optional request checksum (`digest_crc32c`, `plaintext_crc32c`, …). Returns
 * whether one was supplied (the response's `verified_*` flag); INVALID_ARGUMENT on mismatch,
 * which is what the service answers so clients can retry a corrupted request.
 */
export function verifyCrc(
  field: string,
  data: Uint8Array,
  expected: { readonly value: string } | null | undefined,
): boolean {
  if (expected === null || expected === undefined) return false;
  if (Number(expected.value) !== crc32c(data))
    throw invalidArgument(
      `The checksum in field ${field}_crc32c did not match the data in field ${field}.`,
    );
  return true;
}
