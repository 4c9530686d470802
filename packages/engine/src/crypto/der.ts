/**
 * A minimal, strict DER reader: just enough to walk PKCS#8 / SPKI / ECPrivateKey structures
 * (e.g. to find an EC private scalar without a JWK string, or to measure a DER object's length).
 * Strict as DER requires (ITU-T X.690 §10.1): a length uses the short form below 128 and the
 * fewest bytes otherwise, so one value has exactly one encoding; BER's alternatives (long form
 * for a short length, leading zero length bytes, indefinite length) are refused.
 *
 * @module
 */

export interface Tlv {
  readonly tag: number;
  /** The value bytes (a view into the input, not a copy). */
  readonly value: Buffer;
  /** Offset just past this element. */
  readonly end: number;
}

/** Reads one TLV at `offset`; `undefined` when the bytes are not well-formed DER. */
export function readTlv(buf: Buffer, offset = 0): Tlv | undefined {
  const tag = buf[offset];
  let lenByte = buf[offset + 1];
  if (tag === undefined || lenByte === undefined) return undefined;
  let pos = offset + 2;
  let length = lenByte;
  if (lenByte & 0x80) {
    const n = lenByte & 0x7f;
    if (n === 0 || n > 4) return undefined;
    length = 0;
    for (let i = 0; i < n; i++) {
      lenByte = buf[pos++];
      if (lenByte === undefined) return undefined;
      // A leading zero byte would make the length non-minimal.
      if (i === 0 && lenByte === 0) return undefined;
      length = length * 256 + lenByte;
    }
    if (length < 0x80) return undefined;
  }
  const end = pos + length;
  if (end > buf.length) return undefined;
  return { tag, value: buf.subarray(pos, end), end };
}

/** Reads the children of a constructed value (e.g. a SEQUENCE's fields). */
export function readChildren(value: Buffer): Tlv[] | undefined {
  const out: Tlv[] = [];
  for (let pos = 0; pos < value.length;) {
    const t = readTlv(value, pos);
    if (t === undefined) return undefined;
    out.push(t);
    pos = t.end;
  }
  return out;
}

export const DER = { INTEGER: 0x02, OCTET_STRING: 0x04, SEQUENCE: 0x30 } as const;
