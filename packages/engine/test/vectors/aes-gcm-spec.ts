/**
 * AES-256-GCM vectors from McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)"
 * (revised 2005), appendix B, test cases 13–16 (the 256-bit-key cases with 96-bit IVs).
 */
export interface GcmVector {
  readonly source: string;
  readonly key: string;
  readonly iv: string;
  readonly plaintext: string;
  readonly aad: string;
  readonly ciphertext: string;
  readonly tag: string;
}

const K15 = 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308';
const P15 =
  'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72' +
  '1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255';
const C15 =
  '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa' +
  '8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad';

export const GCM_SPEC_VECTORS: readonly GcmVector[] = [
  {
    source: 'GCM spec test case 13 (empty plaintext, no AAD)',
    key: '00'.repeat(32),
    iv: '00'.repeat(12),
    plaintext: '',
    aad: '',
    ciphertext: '',
    tag: '530f8afbc74536b9a963b4f1c4cb738b',
  },
  {
    source: 'GCM spec test case 14 (one zero block)',
    key: '00'.repeat(32),
    iv: '00'.repeat(12),
    plaintext: '00'.repeat(16),
    aad: '',
    ciphertext: 'cea7403d4d606b6e074ec5d3baf39d18',
    tag: 'd0d1c8a799996bf0265b98b5d48ab919',
  },
  {
    source: 'GCM spec test case 15 (four blocks, no AAD)',
    key: K15,
    iv: 'cafebabefacedbaddecaf888',
    plaintext: P15,
    aad: '',
    ciphertext: C15,
    tag: 'b094dac5d93471bdec1a502270e3cc6c',
  },
  {
    source: 'GCM spec test case 16 (partial last block, 20-byte AAD)',
    key: K15,
    iv: 'cafebabefacedbaddecaf888',
    plaintext: P15.slice(0, 120),
    aad: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
    ciphertext: C15.slice(0, 120),
    tag: '76fc6ece0f4e1768cddf8853bb2d551b',
  },
];
