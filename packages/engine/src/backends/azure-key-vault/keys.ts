/**
 * Azure key bundles (`KeyVaultKey`) → the contract's BackendKey / BackendKeyVersion, and public
 * keys as node KeyObjects. Key type comes from the JWK itself (kty, modulus size, curve), never
 * from Keyplane's tags, so keys created outside Keyplane are described correctly too.
 *
 * @module
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { JsonWebKey, KeyVaultKey } from '@azure/keyvault-keys';
import { KEY_TYPES, type KeyType } from '../../algorithms/key-types';
import { lookup } from '../../algorithms/table';
import { BackendError, UnsupportedOperationError } from '../../errors';
import {
  KEYPLANE_TAGS,
  type BackendKey,
  type BackendKeyType,
  type BackendKeyVersion,
  type KeyUsage,
  type VersionState,
} from '../contract';
import { FAMILY_OF_KTY, KEY_OPS } from './capabilities';
import { signatureSchemes } from './signing';

/** Tag marking a version Keyplane "deleted": Azure cannot delete one version (see index.ts). */
export const STATE_TAG = 'keyplane-state';
export const PENDING_DELETION = 'pending-deletion';

/** Leading zero bytes some vaults put in front of `n` would break size detection. */
function b64(bytes: Uint8Array | undefined): string {
  const buf = Buffer.from(bytes ?? new Uint8Array());
  let i = 0;
  while (i < buf.length - 1 && buf[i] === 0) i++;
  return buf.subarray(i).toString('base64url');
}

function jwkOf(key: KeyVaultKey): JsonWebKey {
  if (key.key === undefined) throw new BackendError(`key '${key.name}' came back without its JWK`);
  return key.key;
}

const familyOf = (key: KeyVaultKey): KeyType['family'] | undefined =>
  lookup(FAMILY_OF_KTY, jwkOf(key).kty ?? '');

/** SPKI public key of an RSA or EC key version. */
export function publicKeyOf(key: KeyVaultKey): KeyObject {
  const jwk = jwkOf(key);
  const family = familyOf(key);
  if (family === 'rsa')
    return createPublicKey({ key: { kty: 'RSA', n: b64(jwk.n), e: b64(jwk.e) }, format: 'jwk' });
  if (family === 'ecdsa') {
    const x = Buffer.from(jwk.x ?? new Uint8Array()).toString('base64url');
    const y = Buffer.from(jwk.y ?? new Uint8Array()).toString('base64url');
    return createPublicKey({ key: { kty: 'EC', crv: jwk.crv ?? '', x, y }, format: 'jwk' });
  }
  throw new UnsupportedOperationError(
    `key '${key.name}' (${jwk.kty ?? 'unknown kty'}) has no public key`,
    { field: 'name' },
  );
}

/** The Keyplane key type of an Azure key, or BackendError for types Keyplane does not model. */
export function keyTypeOf(key: KeyVaultKey): KeyType {
  const jwk = jwkOf(key);
  const family = familyOf(key);
  const rows = Object.values(KEY_TYPES);
  let found: KeyType | undefined;
  if (family === 'rsa') {
    const bits = publicKeyOf(key).asymmetricKeyDetails?.modulusLength;
    found = rows.find((t) => t.family === 'rsa' && t.bits === bits);
  } else if (family === 'ecdsa') {
    found = rows.find((t) => t.family === 'ecdsa' && t.curve === jwk.crv);
  } else if (family === 'aes') {
    // Azure reports no size for oct keys; Keyplane only creates / imports AES-256.
    found = KEY_TYPES['aes256-gcm96'];
  }
  if (found === undefined) {
    throw new BackendError(
      `key '${key.name}' is a ${jwk.kty ?? 'unknown'}${jwk.crv === undefined ? '' : ` ${jwk.crv}`} key, which Keyplane does not support`,
      { backendCode: jwk.kty ?? 'unknown' },
    );
  }
  return found;
}

export function usagesOf(key: KeyVaultKey): KeyUsage[] {
  const ops = key.keyOperations ?? jwkOf(key).keyOps ?? [];
  return (Object.keys(KEY_OPS) as KeyUsage[]).filter((u) => {
    const op = KEY_OPS[u];
    return op !== undefined && (ops as readonly string[]).includes(op);
  });
}

export function stateOf(key: {
  readonly enabled?: boolean;
  readonly tags?: Record<string, string>;
}): VersionState {
  if (key.tags?.[STATE_TAG] === PENDING_DELETION) return 'pending-deletion';
  return key.enabled === false ? 'disabled' : 'enabled';
}

export function versionOf(key: KeyVaultKey): string {
  const version = key.properties.version;
  if (version === undefined || key.id === undefined)
    throw new BackendError(`key '${key.name}' came back without a version id`);
  return version;
}

export function toBackendKey(name: string, key: KeyVaultKey): BackendKey {
  const type = keyTypeOf(key);
  const usages = usagesOf(key);
  return {
    backend: 'azurekeyvault',
    name,
    id: key.id ?? '',
    version: versionOf(key),
    keyType: type.name,
    usages,
    signatures: usages.includes('sign') ? signatureSchemes(type) : [],
    enabled: key.properties.enabled !== false,
    protection: (jwkOf(key).kty ?? '').endsWith('-HSM') ? 'hsm' : 'software',
    tags: { ...key.properties.tags },
  };
}

/** Keyplane tags of one version (`keyplane-version` parsed; absent or malformed = undefined). */
export function keyplaneTags(tags: Readonly<Record<string, string>> | undefined): {
  keyplaneKey?: string;
  keyplaneVersion?: number;
} {
  const key = tags?.[KEYPLANE_TAGS.key];
  const raw = tags?.[KEYPLANE_TAGS.version];
  const version = raw !== undefined && /^[0-9]+$/.test(raw) ? Number(raw) : undefined;
  return {
    ...(key === undefined ? {} : { keyplaneKey: key }),
    ...(version === undefined ? {} : { keyplaneVersion: version }),
  };
}

export function toVersion(key: KeyVaultKey): BackendKeyVersion {
  const keyType: BackendKeyType = keyTypeOf(key).name;
  const createdAt = key.properties.createdOn;
  return {
    version: versionOf(key),
    id: key.id ?? '',
    state: stateOf(key.properties),
    keyType,
    ...keyplaneTags(key.properties.tags),
    ...(createdAt === undefined ? {} : { createdAt }),
  };
}
