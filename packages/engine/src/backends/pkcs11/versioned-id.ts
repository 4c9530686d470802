/**
 * The CKA_ID (and label) Keyplane gives a version's token object: `keyplane:<key>:v<N>`. Apart
 * from objects.ts because it needs no pkcs11js: the lifecycle names token objects without loading
 * the optional native module until a token is really used.
 *
 * @module
 */
/** Version tags inside CKA_ID. */
const VERSIONED_ID = /^keyplane:(.+):v([1-9]\d{0,8})$/;

export function versionedId(keyplaneKey: string, version: number): Buffer {
  return Buffer.from(`keyplane:${keyplaneKey}:v${String(version)}`, 'utf8');
}

export function parseVersionedId(id: Buffer): { key: string; version: number } | undefined {
  const match = VERSIONED_ID.exec(id.toString('utf8'));
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { key: match[1], version: Number(match[2]) };
}
