/**
 * The DER reader is strict as X.690 §10.1 requires: minimal length encodings only. Real DER from
 * OpenSSL (an RSA-4096 SPKI with two-byte lengths) parses; BER-only encodings of the same value
 * — a long form for a short length, a leading zero length byte, indefinite length — are refused.
 */
import { generateKeyPairSync } from 'node:crypto';
import { DER, readChildren, readTlv } from '../src/crypto/der';

const octets = (n: number) => Buffer.alloc(n, 0xab);

it('reads short and minimal long-form lengths', () => {
  expect(readTlv(Buffer.concat([Buffer.from([0x04, 0x05]), octets(5)]))?.value).toEqual(octets(5));
  const long = readTlv(Buffer.concat([Buffer.from([0x04, 0x81, 0xc8]), octets(200)]));
  expect(long).toMatchObject({ tag: DER.OCTET_STRING, end: 203 });
  const spki = generateKeyPairSync('rsa', { modulusLength: 4096 }).publicKey.export({
    type: 'spki',
    format: 'der',
  });
  const outer = readTlv(spki);
  expect(outer).toMatchObject({ tag: DER.SEQUENCE, end: spki.length });
  expect(spki[1]).toBe(0x82);
  expect(readChildren(outer?.value ?? Buffer.alloc(0))?.map((c) => c.tag)).toEqual([0x30, 0x03]);
});

it.each([
  ['long form for a length under 128', [0x04, 0x81, 0x05], 5],
  ['a leading zero length byte', [0x04, 0x82, 0x00, 0xc8], 200],
  ['indefinite length', [0x04, 0x80], 5],
  ['a length past the end', [0x04, 0x06], 5],
])('refuses %s', (_, header, n) => {
  expect(readTlv(Buffer.concat([Buffer.from(header), octets(n)]))).toBeUndefined();
});
