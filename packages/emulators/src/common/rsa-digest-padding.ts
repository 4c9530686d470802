/**
 * RSA signature encodings over a caller-supplied digest (RFC 8017), which node:crypto cannot
 * produce (`crypto.sign` always hashes its input). All three clouds sign digests this way —
 * AWS `MessageType: DIGEST`, Key Vault `sign`, Cloud KMS `AsymmetricSign` — so the emulators
 * share one implementation; each applies the raw RSA operation itself.
 *
 * - PKCS#1 v1.5: `DIGEST_INFO[hash] ‖ digest` under PKCS#1 type-1 padding (§9.2).
 * - PSS: EMSA-PSS (§9.1) with MGF1 over the same hash and salt length = hash length, as every
 *   one of the clouds uses, left-padded to the modulus length for RSA_NO_PADDING.
 *
 * @module
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The hashes RSA signing algorithms of the three clouds use. */
export type DigestHash = 'sha256' | 'sha384' | 'sha512';

/** DER of DigestInfo's AlgorithmIdentifier + OCTET STRING header (RFC 8017 §9.2 note 1). */
export const DIGEST_INFO: Readonly<Record<DigestHash, Buffer>> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

/** The DigestInfo prefix for `hash`, or undefined for a hash no RSA algorithm signs with. */
export const digestInfoOf = (hash: string): Buffer | undefined =>
  Object.hasOwn(DIGEST_INFO, hash) ? DIGEST_INFO[hash as DigestHash] : undefined;

function mgf1(hash: string, seed: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  const counter = Buffer.alloc(4);
  for (let i = 0, size = 0; size < length; i++) {
    counter.writeUInt32BE(i);
    const block = createHash(hash).update(seed).update(counter).digest();
    blocks.push(block);
    size += block.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** `H(0x00×8 ‖ mHash ‖ salt)`: the M' hash of EMSA-PSS. */
const pssHash = (hash: string, mHash: Buffer, salt: Buffer): Buffer =>
  createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();

/** EMSA-PSS-ENCODE (§9.1.1), sLen = hLen = `mHash.length`, left-padded to the modulus bytes. */
export function emsaPssEncode(hash: string, mHash: Buffer, modulusBits: number): Buffer {
  const hLen = mHash.length;
  const emBits = modulusBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const salt = randomBytes(hLen);
  const h = pssHash(hash, mHash, salt);
  const db = Buffer.concat([Buffer.alloc(emLen - 2 * hLen - 2), Buffer.from([1]), salt]);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] ?? 0) ^ (mask[i] ?? 0);
  db[0] = (db[0] ?? 0) & (0xff >> (8 * emLen - emBits));
  const em = Buffer.concat([db, h, Buffer.from([0xbc])]);
  return Buffer.concat([Buffer.alloc(Math.ceil(modulusBits / 8) - emLen), em]);
}

/** EMSA-PSS-VERIFY (§9.1.2), sLen = hLen, over the k-byte output of the raw RSA operation. */
export function emsaPssVerify(
  hash: string,
  mHash: Buffer,
  decoded: Buffer,
  modulusBits: number,
): boolean {
  const hLen = mHash.length;
  const emBits = modulusBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const lead = decoded.length - emLen;
  if (lead < 0 || decoded.subarray(0, lead).some((b) => b !== 0)) return false;
  const em = decoded.subarray(lead);
  if (emLen < 2 * hLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const masked = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const topMask = 0xff >> (8 * emLen - emBits);
  if (((masked[0] ?? 0) & ~topMask) !== 0) return false;
  const mask = mgf1(hash, h, masked.length);
  const db = Buffer.from(masked.map((b, i) => b ^ (mask[i] ?? 0)));
  db[0] = (db[0] ?? 0) & topMask;
  const psLen = emLen - 2 * hLen - 2;
  if (db.subarray(0, psLen).some((b) => b !== 0) || db[psLen] !== 1) return false;
  return timingSafeEqual(pssHash(hash, mHash, db.subarray(psLen + 1)), h);
}
