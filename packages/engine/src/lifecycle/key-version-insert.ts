/**
 * One new version of a central key in the store: for a software key, material generated with
 * node:crypto and sealed as the version's `material` field (the plaintext buffer zeroed once
 * written); for an HSM-origin key, the reference to the object its token generated. Public
 * metadata (SPKI PEM, fingerprint) goes in the attributes either way. Shared by create, rotate
 * and the HSM-origin create.
 *
 * @module
 */
import { publicKeyFingerprint } from '../crypto/fingerprint';
import { exportPlaintext, generateKeyMaterial, publicKeyOf } from '../crypto/key-material';
import type { StoreTx } from '../store/contract';
import type { LifecycleContext } from './context';
import type { KeyRecord } from './key-records';
import type { generateInToken } from './origin';
import { MATERIAL_FIELD, type KeyVersionAttributes } from './records';

/** What a token reports for a version it generated (or adopted). */
export type TokenVersion = Awaited<ReturnType<typeof generateInToken>>;

export async function insertKeyVersion(
  ctx: LifecycleContext,
  tx: StoreTx,
  key: KeyRecord,
  version: number,
  inToken?: TokenVersion,
): Promise<void> {
  const record = {
    kind: 'key_version' as const,
    namespace: ctx.namespace,
    name: String(version),
    parent: key.id,
  };
  const createdAt = ctx.now().toISOString();
  if (inToken !== undefined) {
    await tx.insert<KeyVersionAttributes>({
      ...record,
      attributes: { version, created_at: createdAt, ...inToken },
    });
    return;
  }
  const material = generateKeyMaterial(key.attributes.type);
  const publicKey = publicKeyOf(material);
  const plain = exportPlaintext(material, publicKey === undefined ? 'raw' : 'pkcs8');
  try {
    await tx.insert<KeyVersionAttributes>({
      ...record,
      attributes: {
        version,
        created_at: createdAt,
        public_key_pem:
          publicKey === undefined ? '' : String(publicKey.export({ type: 'spki', format: 'pem' })),
        fingerprint: publicKey === undefined ? '' : publicKeyFingerprint(publicKey),
      },
      secrets: { [MATERIAL_FIELD]: plain },
    });
  } finally {
    plain.fill(0);
  }
}
