/**
 * CRC32C (Castagnoli) for Cloud KMS's end-to-end integrity fields (`digest_crc32c`,
 * `signature_crc32c`, `pem_crc32c`, …). node:crypto has no CRC32C and `zlib.crc32` is the IEEE
 * polynomial, so this is the small reflected-table version (crc32c("123456789") = 0xE3069283).
 *
 * @module
 */

/** Reflected Castagnoli polynomial. */
const POLYNOMIAL = 0x82f63b78;

const TABLE: Uint32Array = (() => {
  const rows = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    rows[n] = c >>> 0;
  }
  return rows;
})();

export function crc32c(data: Uint8Array | string): number {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The `google.protobuf.Int64Value` a request carries. */
export function crcValue(data: Uint8Array | string): { value: number } {
  return { value: crc32c(data) };
}

/** Raised when a response fails its checksum: transient corruption, so the call is retried. */
export class IntegrityError extends Error {
  constructor(readonly field: string) {
    super(`Cloud KMS response failed its ${field} integrity check`);
    this.name = 'IntegrityError';
  }
}

type Int64 = { value?: number | string | { toString(): string } | null } | null | undefined;

/** Checks a response checksum (`signature_crc32c`, …) against the bytes it covers. */
export function checkCrc(field: string, data: Uint8Array | string, expected: Int64): void {
  const value = expected?.value;
  if (value === undefined || value === null || Number(String(value)) !== crc32c(data)) {
    throw new IntegrityError(field);
  }
}

/** Checks a `verified_*_crc32c` flag: false means the server never checked what we sent. */
export function checkVerified(field: string, verified: boolean | null | undefined): void {
  if (verified !== true) throw new IntegrityError(field);
}
