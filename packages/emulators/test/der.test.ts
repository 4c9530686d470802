/**
 * The shared DER element length (common/der.ts) the three emulators use to refuse key material
 * with trailing bytes: checked against encodings OpenSSL produced, and strict about X.690's
 * shortest-form rule.
 */
import { derElementLength } from '../src/common/der';
import { openssl } from '../../../test/support/openssl';

const pkcs8 = (genpkeyArgs: readonly string[]): Buffer =>
  openssl(['pkcs8', '-topk8', '-nocrypt', '-outform', 'DER'], openssl(['genpkey', ...genpkeyArgs]));

test.each([
  ['Ed25519 (short form)', ['-algorithm', 'ED25519']],
  ['P-256 (one length octet)', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']],
  ['RSA-2048 (two length octets)', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']],
] as const)('%s PKCS#8 from OpenSSL: the length is the whole encoding', (_label, args) => {
  const der = pkcs8(args);
  expect(derElementLength(der)).toBe(der.length);
  expect(derElementLength(Buffer.concat([der, Buffer.alloc(7)]))).toBe(der.length);
  expect(derElementLength(der.subarray(0, der.length - 1))).toBe(der.length);
});

test('refuses what is not a DER definite length', () => {
  expect(derElementLength(Buffer.from([0x30]))).toBeUndefined();
  expect(derElementLength(Buffer.from([0x30, 0x80, 0x00, 0x00]))).toBeUndefined(); // indefinite
  expect(derElementLength(Buffer.from([0x30, 0x81, 0x05, 1, 2, 3, 4, 5]))).toBeUndefined(); // < 128 in long form
  expect(derElementLength(Buffer.from([0x30, 0x82, 0x00, 0x90]))).toBeUndefined(); // leading zero
  expect(derElementLength(Buffer.from([0x30, 0x85, 1, 1, 1, 1, 1]))).toBeUndefined(); // 5 octets
  expect(derElementLength(Buffer.from([0x1f, 0x01, 0x00]))).toBeUndefined(); // multi-octet tag
  expect(derElementLength(Buffer.from([0x30, 0x81, 0x80]))).toBe(3 + 128);
});
