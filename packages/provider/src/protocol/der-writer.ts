/**
 * A minimal DER writer for the one structure the provider builds: its AutoMTLS certificate.
 * Hand-written rather than a library on purpose: the certificate is made before the handshake
 * line, on the start-up path Terraform waits for several times per plan, and X.509 libraries
 * (e.g. @peculiar/x509 with its ASN.1 schema stack) cost more to load than the whole budget.
 * Encoding rules: ITU-T X.690 §8–10 (DER).
 *
 * @module
 */

export function tlv(tag: number, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.of(n);
  else if (n < 0x100) len = Buffer.of(0x81, n);
  else if (n < 0x10000) len = Buffer.of(0x82, n >> 8, n & 0xff);
  else len = Buffer.of(0x83, n >> 16, (n >> 8) & 0xff, n & 0xff);
  return Buffer.concat([Buffer.of(tag), len, body]);
}

export const sequence = (...items: Uint8Array[]): Buffer => tlv(0x30, ...items);
export const set = (...items: Uint8Array[]): Buffer => tlv(0x31, ...items);
export const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
export const bool = (b: boolean): Buffer => tlv(0x01, Buffer.of(b ? 0xff : 0));
export const octets = (b: Uint8Array): Buffer => tlv(0x04, b);
export const bitString = (b: Uint8Array, unusedBits = 0): Buffer =>
  tlv(0x03, Buffer.of(unusedBits), b);
/** Context-specific constructed tag `[n] EXPLICIT`. */
export const explicit = (n: number, ...items: Uint8Array[]): Buffer => tlv(0xa0 | n, ...items);

/** A non-negative INTEGER from big-endian magnitude bytes. */
export function unsignedInteger(bytes: Uint8Array): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const trimmed = bytes.subarray(i);
  const first = trimmed[0] ?? 0;
  return tlv(0x02, first & 0x80 ? Buffer.concat([Buffer.of(0), trimmed]) : trimmed);
}

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const [a = 0, b = 0, ...rest] = parts;
  const out = [40 * a + b];
  for (const p of rest) {
    const chunk = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128))
      chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime before 2050, GeneralizedTime from 2050 on (RFC 5280 §4.1.2.5). */
export function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  return d.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`, 'ascii'))
    : tlv(0x18, Buffer.from(`${iso}Z`, 'ascii'));
}
