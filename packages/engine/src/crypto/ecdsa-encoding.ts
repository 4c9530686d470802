/**
 * ECDSA signature encodings: DER `SEQUENCE { INTEGER r, INTEGER s }` (X9.62 / RFC 3279, what AWS
 * and GCP return) and raw fixed-width `r ‖ s` (IEEE P1363 / JWS RFC 7518 §3.4, what Azure and
 * PKCS#11 CKM_ECDSA return). Strict parsing: anything but minimal DER is refused.
 *
 * @module
 */
import { InvalidSignatureEncodingError } from '../errors';

export type EcdsaSignatureEncoding = 'der' | 'raw';

function bad(reason: string): InvalidSignatureEncodingError {
  return new InvalidSignatureEncodingError(`signature is not a valid ECDSA signature: ${reason}`, {
    field: 'signature',
  });
}

/** Where `raw[from, to)`'s significant bytes start (a zero is kept when it is the last byte). */
function significant(raw: Uint8Array, from: number, to: number): number {
  let start = from;
  while (start < to - 1 && raw[start] === 0) start++;
  return start;
}

/** Writes `raw[from, to)` as a DER INTEGER at `pos` (`start`: its first significant byte). */
function writeInteger(
  out: Buffer,
  pos: number,
  raw: Uint8Array,
  start: number,
  to: number,
): number {
  const pad = (raw[start] ?? 0) & 0x80 ? 1 : 0;
  out[pos++] = 0x02;
  out[pos++] = pad + to - start;
  if (pad === 1) out[pos++] = 0;
  for (let i = start; i < to; i++) out[pos++] = raw[i] ?? 0;
  return pos;
}

/** A DER INTEGER's content length for `raw[start, to)` (a leading zero when the top bit is set). */
const integerLength = (raw: Uint8Array, start: number, to: number): number =>
  ((raw[start] ?? 0) & 0x80 ? 1 : 0) + to - start;

/**
 * Raw `r ‖ s` (each `scalarBytes` long) → minimal DER. Sized first and written into one buffer,
 * byte by byte (no views, no intermediate arrays): this runs once per HSM / Azure signature,
 * on the signing hot path (bench/callgrind.ts).
 */
export function ecdsaRawToDer(raw: Uint8Array, scalarBytes: number): Buffer {
  if (raw.length !== 2 * scalarBytes) {
    throw bad(`raw signature must be ${2 * scalarBytes} bytes, got ${raw.length}`);
  }
  const end = 2 * scalarBytes;
  const r = significant(raw, 0, scalarBytes);
  const s = significant(raw, scalarBytes, end);
  const body = 2 + integerLength(raw, r, scalarBytes) + 2 + integerLength(raw, s, end);
  const header = body < 0x80 ? 2 : 3;
  const out = Buffer.allocUnsafe(header + body);
  let pos = 0;
  out[pos++] = 0x30;
  if (header === 3) out[pos++] = 0x81;
  out[pos++] = body;
  pos = writeInteger(out, pos, raw, r, scalarBytes);
  writeInteger(out, pos, raw, s, end);
  return out;
}

/** DER → raw `r ‖ s`, left-padding each integer to `scalarBytes`. */
export function ecdsaDerToRaw(der: Uint8Array, scalarBytes: number): Buffer {
  const buf = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  let pos = 0;
  const readLength = (): number => {
    const first = buf[pos++];
    if (first === undefined) throw bad('truncated length');
    if (first < 0x80) return first;
    if (first !== 0x81) throw bad('unsupported length form');
    const len = buf[pos++];
    if (len === undefined || len < 0x80) throw bad('non-minimal length');
    return len;
  };
  if (buf[pos++] !== 0x30) throw bad('expected SEQUENCE');
  const seqLen = readLength();
  if (pos + seqLen !== buf.length) throw bad('trailing or missing bytes');
  const readInt = (): Buffer => {
    if (buf[pos++] !== 0x02) throw bad('expected INTEGER');
    const len = readLength();
    const v = buf.subarray(pos, pos + len);
    pos += len;
    if (v.length !== len || len === 0) throw bad('truncated INTEGER');
    if ((v[0] ?? 0) & 0x80) throw bad('negative INTEGER');
    if (len > 1 && v[0] === 0 && ((v[1] ?? 0) & 0x80) === 0) throw bad('non-minimal INTEGER');
    const trimmed = v[0] === 0 ? v.subarray(1) : v;
    if (trimmed.length > scalarBytes) throw bad('INTEGER larger than the curve order');
    return Buffer.concat([Buffer.alloc(scalarBytes - trimmed.length), trimmed]);
  };
  const r = readInt();
  const s = readInt();
  if (pos !== buf.length) throw bad('trailing bytes');
  return Buffer.concat([r, s]);
}

/**
 * {@link ecdsaDerToRaw}, or `undefined` for a malformed signature — for verifiers, where a
 * signature that is not even valid DER simply does not verify.
 */
export function tryEcdsaDerToRaw(der: Uint8Array, scalarBytes: number): Buffer | undefined {
  try {
    return ecdsaDerToRaw(der, scalarBytes);
  } catch (e) {
    if (e instanceof InvalidSignatureEncodingError) return undefined;
    throw e;
  }
}
