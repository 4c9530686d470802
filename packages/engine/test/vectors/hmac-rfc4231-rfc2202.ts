/**
 * Published HMAC vectors (hex, lower case):
 * - RFC 4231 §4.2–4.8: HMAC-SHA-224/256/384/512 test cases 1–4, 6, 7 (and 5, truncated to 128 bits).
 * - RFC 2202 §3: HMAC-SHA-1 test cases 1 and 2.
 */
export interface HmacVector {
  readonly source: string;
  /** Key as hex. */
  readonly key: string;
  /** Data as hex. */
  readonly data: string;
  readonly macs: Readonly<
    Partial<Record<'sha1' | 'sha2-224' | 'sha2-256' | 'sha2-384' | 'sha2-512', string>>
  >;
}

const ascii = (s: string): string => Buffer.from(s, 'latin1').toString('hex');
const repeat = (byte: string, n: number): string => byte.repeat(n);

export const RFC4231_VECTORS: readonly HmacVector[] = [
  {
    source: 'RFC 4231 test case 1',
    key: repeat('0b', 20),
    data: ascii('Hi There'),
    macs: {
      'sha2-224': '896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22',
      'sha2-256': 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
      'sha2-384':
        'afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6',
      'sha2-512':
        '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854',
    },
  },
  {
    source: 'RFC 4231 test case 2 (key shorter than the length of the hash output)',
    key: ascii('Jefe'),
    data: ascii('what do ya want for nothing?'),
    macs: {
      'sha2-224': 'a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44',
      'sha2-256': '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
      'sha2-384':
        'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649',
      'sha2-512':
        '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
    },
  },
  {
    source: 'RFC 4231 test case 3 (combined length of key and data larger than 64 bytes)',
    key: repeat('aa', 20),
    data: repeat('dd', 50),
    macs: {
      'sha2-224': '7fb3cb3588c6c1f6ffa9694d7d6ad2649365b0c1f65d69d1ec8333ea',
      'sha2-256': '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
      'sha2-384':
        '88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27',
      'sha2-512':
        'fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb',
    },
  },
  {
    source: 'RFC 4231 test case 4 (25-byte key)',
    key: '0102030405060708090a0b0c0d0e0f10111213141516171819',
    data: repeat('cd', 50),
    macs: {
      'sha2-224': '6c11506874013cac6a2abc1bb382627cec6a90d86efc012de7afec5a',
      'sha2-256': '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
      'sha2-384':
        '3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb',
      'sha2-512':
        'b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd',
    },
  },
  {
    source: 'RFC 4231 test case 6 (131-byte key, hashed first)',
    key: repeat('aa', 131),
    data: ascii('Test Using Larger Than Block-Size Key - Hash Key First'),
    macs: {
      'sha2-224': '95e9a0db962095adaebe9b2d6f0dbce2d499f112f2d2b7273fa6870e',
      'sha2-256': '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
      'sha2-384':
        '4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952',
      'sha2-512':
        '80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598',
    },
  },
  {
    source: 'RFC 4231 test case 7 (131-byte key and data larger than the block size)',
    key: repeat('aa', 131),
    data: ascii(
      'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
    ),
    macs: {
      'sha2-224': '3a854166ac5d9f023f54d517d0b39dbd946770db9c2b95c9f6f565d1',
      'sha2-256': '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
      'sha2-384':
        '6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e',
      'sha2-512':
        'e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58',
    },
  },
];

/** RFC 4231 test case 5: the published outputs are truncated to 128 bits. */
export const RFC4231_TRUNCATED: HmacVector = {
  source: 'RFC 4231 test case 5 (output truncated to 128 bits)',
  key: repeat('0c', 20),
  data: ascii('Test With Truncation'),
  macs: {
    'sha2-224': '0e2aea68a90c8d37c988bcdb9fca6fa8',
    'sha2-256': 'a3b6167473100ee06e0c796c2955552b',
    'sha2-384': '3abf34c3503b2a23a46efc619baef897',
    'sha2-512': '415fad6271580a531d4179bc891d87a6',
  },
};

export const RFC2202_SHA1_VECTORS: readonly HmacVector[] = [
  {
    source: 'RFC 2202 HMAC-SHA-1 test case 1',
    key: repeat('0b', 20),
    data: ascii('Hi There'),
    macs: { sha1: 'b617318655057264e28bc0b6fb378c8ef146be00' },
  },
  {
    source: 'RFC 2202 HMAC-SHA-1 test case 2',
    key: ascii('Jefe'),
    data: ascii('what do ya want for nothing?'),
    macs: { sha1: 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79' },
  },
];
