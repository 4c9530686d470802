/**
 * Key material that lives in a PKCS#11 token (central keys with origin `hsm:<kms>`): never
 * exported as plaintext, only as a cloud's hybrid BYOK blob that the token assembles
 * (backends/pkcs11/export.ts). Cloud backends take either kind ({@link TransferableKey}).
 *
 * @module
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { KeyType } from '../algorithms/key-types';
import type { OaepHash } from '../algorithms/wrapping-algorithms';
import type { KeyMaterial } from './key-material';

export interface TokenKeyMaterial {
  readonly type: KeyType;
  /** The SPKI public key read from the token; undefined for AES. */
  readonly publicKey: KeyObject | undefined;
  /** RSA-OAEP(kek, K) ‖ AES-KWP(K, key) for a fresh AES-256 K (CKM_RSA_AES_KEY_WRAP output). */
  wrapHybrid(kek: KeyObject, oaepHash: OaepHash): Promise<Buffer>;
}

/** What a BYOK import can carry: software material, or a token key that wraps itself. */
export type TransferableKey = KeyMaterial | TokenKeyMaterial;

export function isTokenKey(key: TransferableKey): key is TokenKeyMaterial {
  return 'wrapHybrid' in key;
}

/** The public key of an asymmetric transferable key; undefined for AES. */
export function transferPublicKey(key: TransferableKey): KeyObject | undefined {
  if (isTokenKey(key)) return key.publicKey;
  return key.key.type === 'private' ? createPublicKey(key.key) : undefined;
}
