/**
 * A test-side EMSA-PSS encoder (RFC 8017 §9.1.1), written apart from the engine's, that can also
 * produce deliberately malformed encodings. Sign its output with RSA_NO_PADDING to get a
 * signature whose encoded message is exactly what the test chose.
 */
import { constants, createHash, privateEncrypt, type KeyObject } from 'node:crypto';

export interface PssDefects {
  /** Value of the first padding-string octet (must be 0x00). */
  readonly firstPsOctet?: number;
  /** The octet between PS and the salt (must be 0x01). */
  readonly separator?: number;
  /** The final octet (must be 0xbc). */
  readonly trailer?: number;
}

function mgf1(hashName: string, seed: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * seed.length < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    blocks.push(createHash(hashName).update(seed).update(c).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** The RSA signature (RSA_NO_PADDING) of a hand-built PSS encoding of `mHash`. */
export function signHandBuiltPss(
  privateKey: KeyObject,
  hashName: string,
  mHash: Buffer,
  salt: Buffer,
  defects: PssDefects = {},
): Buffer {
  const modBits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = mHash.length;
  const h = createHash(hashName).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  const ps = Buffer.alloc(emLen - salt.length - hLen - 2);
  if (defects.firstPsOctet !== undefined) ps[0] = defects.firstPsOctet;
  const db = Buffer.concat([ps, Buffer.from([defects.separator ?? 0x01]), salt]);
  const mask = mgf1(hashName, h, db.length);
  const maskedDb = Buffer.from(db.map((b, i) => b ^ (mask[i] ?? 0)));
  maskedDb[0] = (maskedDb[0] ?? 0) & (0xff >> (8 * emLen - emBits));
  const em = Buffer.concat([maskedDb, h, Buffer.from([defects.trailer ?? 0xbc])]);
  const k = Math.ceil(modBits / 8);
  const padded = Buffer.concat([Buffer.alloc(k - emLen), em]);
  return privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, padded);
}
