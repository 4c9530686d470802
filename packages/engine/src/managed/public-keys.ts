/**
 * The public keys of a managed key's versions (PEM + `sha256:` SPKI fingerprint), so whoever
 * holds a signature can verify it with openssl alone — no Keyplane, no backend credentials.
 *
 * @module
 */
import type { KeyObject } from 'node:crypto';
import type { KeyRef, KmsBackend } from '../backends/contract';
import { publicKeyFingerprint } from '../crypto/fingerprint';

export interface VersionPublicKey {
  /** The backend's version id (PKCS#11 version, Azure version, GCP version, AWS key id). */
  readonly version: string;
  readonly public_key_pem: string;
  /** `sha256:<hex>` of the SPKI DER, as `openssl pkey -pubin -outform DER | sha256sum`. */
  readonly fingerprint: string;
}

export function describePublicKey(version: string, key: KeyObject): VersionPublicKey {
  return {
    version,
    public_key_pem: key.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: publicKeyFingerprint(key),
  };
}

/**
 * Every enabled version of the key the ref names, oldest first; [] when the key does not exist
 * yet or has no public key (HMAC / AES keys).
 */
export async function versionPublicKeys(
  backend: KmsBackend,
  ref: KeyRef,
): Promise<VersionPublicKey[]> {
  const key = await backend.findKey(ref);
  if (key === undefined || key.signatures.length === 0) return [];
  const versions = (await backend.listVersions(ref)).filter((v) => v.state === 'enabled');
  return await Promise.all(
    versions.map(async (v) =>
      describePublicKey(v.version, await backend.getPublicKey({ ...ref, version: v.version })),
    ),
  );
}
