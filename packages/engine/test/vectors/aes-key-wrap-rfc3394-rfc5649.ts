/**
 * Published AES key wrap vectors, typed from the RFC texts (hex, lower case).
 * - RFC 3394 §4.1–4.6: AES Key Wrap, default IV A6A6A6A6A6A6A6A6.
 * - RFC 5649 §6: AES Key Wrap with Padding, 192-bit KEK, 20-octet and 7-octet key data.
 */
export interface KeyWrapVector {
  readonly source: string;
  readonly kek: string;
  readonly keyData: string;
  readonly wrapped: string;
}

const KEK_128 = '000102030405060708090a0b0c0d0e0f';
const KEK_192 = '000102030405060708090a0b0c0d0e0f1011121314151617';
const KEK_256 = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const DATA_128 = '00112233445566778899aabbccddeeff';
const DATA_192 = '00112233445566778899aabbccddeeff0001020304050607';
const DATA_256 = '00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f';

export const RFC3394_VECTORS: readonly KeyWrapVector[] = [
  {
    source: 'RFC 3394 §4.1 (128-bit key data, 128-bit KEK)',
    kek: KEK_128,
    keyData: DATA_128,
    wrapped: '1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5',
  },
  {
    source: 'RFC 3394 §4.2 (128-bit key data, 192-bit KEK)',
    kek: KEK_192,
    keyData: DATA_128,
    wrapped: '96778b25ae6ca435f92b5b97c050aed2468ab8a17ad84e5d',
  },
  {
    source: 'RFC 3394 §4.3 (128-bit key data, 256-bit KEK)',
    kek: KEK_256,
    keyData: DATA_128,
    wrapped: '64e8c3f9ce0f5ba263e9777905818a2a93c8191e7d6e8ae7',
  },
  {
    source: 'RFC 3394 §4.4 (192-bit key data, 192-bit KEK)',
    kek: KEK_192,
    keyData: DATA_192,
    wrapped: '031d33264e15d33268f24ec260743edce1c6c7ddee725a936ba814915c6762d2',
  },
  {
    source: 'RFC 3394 §4.5 (192-bit key data, 256-bit KEK)',
    kek: KEK_256,
    keyData: DATA_192,
    wrapped: 'a8f9bc1612c68b3ff6e6f4fbe30e71e4769c8b80a32cb8958cd5d17d6b254da1',
  },
  {
    source: 'RFC 3394 §4.6 (256-bit key data, 256-bit KEK)',
    kek: KEK_256,
    keyData: DATA_256,
    wrapped: '28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21',
  },
];

const KEK_5649 = '5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8';

export const RFC5649_VECTORS: readonly KeyWrapVector[] = [
  {
    source: 'RFC 5649 §6 (20-octet key data, 192-bit KEK)',
    kek: KEK_5649,
    keyData: 'c37b7e6492584340bed12207808941155068f738',
    wrapped: '138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a',
  },
  {
    source: 'RFC 5649 §6 (7-octet key data, 192-bit KEK)',
    kek: KEK_5649,
    keyData: '466f7250617369',
    wrapped: 'afbeb0f07dfbf5419200f2ccb50bb24f',
  },
];
