/**
 * BYOK import (learn.microsoft.com/azure/key-vault/keys/byok-specification): a Key Exchange Key
 * (RSA-HSM 4096, key_ops ["import"]) in the same vault, the material wrapped for its versioned
 * kid by byok/azure.ts (CKM_RSA_AES_KEY_WRAP), then `importKey` with the `.byok` document as
 * `key_hsm`. Software-protected RSA keys in a vault are imported as a plain private JWK over TLS
 * instead (Azure has no BYOK path for non-HSM keys).
 *
 * Adoption: Azure tags are per version, so the version carrying the same keyplane-key +
 * keyplane-version tags is looked for before every import attempt (including retries after a
 * 5xx whose request may have been applied): a repeated or crashed import returns that version.
 * Two concurrent imports of the same version can still race; the managed layer serialises them.
 *
 * @module
 */
import type { JsonWebKey, KeyClient, KeyVaultKey } from '@azure/keyvault-keys';
import {
  KMS_PROVIDERS,
  cloudKeySupport,
  type AzureService,
  type Protection,
} from '../../algorithms/clouds';
import { wrapTransferForAzure } from '../../byok/azure';
import { isTokenKey, type TransferableKey } from '../../crypto/token-key';
import type { KeyMaterial } from '../../crypto/key-material';
import { zeroize } from '../../crypto/zeroize';
import {
  InvalidWrappingKeyError,
  UnsupportedKeyTypeError,
  UnsupportedProtectionError,
  UnsupportedPurposeError,
  notAllowedMessage,
} from '../../errors';
import { KEYPLANE_TAGS, type ImportOptions, type KeyUsage } from '../contract';
import { KEY_OPS, capabilitiesOf } from './capabilities';
import type { AzureConnection } from './client';
import { publicKeyOf } from './keys';

export const KEK_NAME = 'keyplane-kek-4096';
const KEK_ROLE_TAG = 'keyplane-role';

/** Latest version of `name` (not found → undefined, other errors propagate). */
async function latest(client: KeyClient, name: string): Promise<KeyVaultKey | undefined> {
  try {
    return await client.getKey(name);
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw e;
  }
}

/** Finds the existing KEK or creates it; memoised per backend instance by the caller. */
export async function ensureKek(connection: AzureConnection): Promise<KeyVaultKey> {
  const existing = await connection.call(`get KEK '${KEK_NAME}'`, (c) => latest(c, KEK_NAME));
  if (existing !== undefined) {
    const ops = existing.keyOperations ?? [];
    if (existing.keyType !== 'RSA-HSM' || ops.length !== 1 || ops[0] !== 'import') {
      throw new InvalidWrappingKeyError(
        `key '${KEK_NAME}' exists but is not a key exchange key (RSA-HSM with key_ops ["import"])`,
        { field: 'kek' },
      );
    }
    return existing;
  }
  return await connection.call(`create KEK '${KEK_NAME}'`, (c) =>
    c.createRsaKey(KEK_NAME, {
      hsm: true,
      keySize: 4096,
      keyOps: ['import'],
      tags: { [KEK_ROLE_TAG]: 'kek' },
    }),
  );
}

/** The version of `name` tagged with this Keyplane key + version, if one exists. */
export async function findTaggedVersion(
  client: KeyClient,
  name: string,
  options: Pick<ImportOptions, 'keyplaneKey' | 'keyplaneVersion'>,
): Promise<KeyVaultKey | undefined> {
  try {
    for await (const p of client.listPropertiesOfKeyVersions(name)) {
      const tags = p.tags ?? {};
      if (
        tags[KEYPLANE_TAGS.key] === options.keyplaneKey &&
        tags[KEYPLANE_TAGS.version] === String(options.keyplaneVersion) &&
        p.version !== undefined
      ) {
        return await client.getKey(name, { version: p.version });
      }
    }
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw e;
  }
  return undefined;
}

export function keyOpsFor(
  usages: readonly KeyUsage[],
  allowed: readonly string[],
  keyType: string,
): string[] {
  return usages.map((u) => {
    const op = KEY_OPS[u];
    if (op === undefined || !allowed.includes(u)) {
      throw new UnsupportedPurposeError(
        notAllowedMessage('usages', u, `for ${keyType} keys in Azure Key Vault`, allowed),
        { field: 'usages', allowed },
      );
    }
    return op;
  });
}

interface ImportPlan {
  readonly protection: Protection;
  readonly keyOps: string[];
}

/** Checks key type, protection and usages against the cloud table before anything is sent. */
export function planImport(
  service: AzureService,
  material: TransferableKey,
  options: ImportOptions,
): ImportPlan {
  const typeName = material.type.name;
  const capabilities = capabilitiesOf(service);
  const row = cloudKeySupport(KMS_PROVIDERS.azurekeyvault, typeName, {
    field: 'key_type',
    azureService: service,
  });
  if (!capabilities.import.includes(typeName)) {
    throw new UnsupportedKeyTypeError(
      notAllowedMessage(
        'key_type',
        typeName,
        `for import into Azure Key Vault (${service})`,
        capabilities.import,
      ),
      { field: 'key_type', allowed: capabilities.import },
    );
  }
  const protection = options.protection ?? 'hsm';
  const protections = row.protections.filter((p) => capabilities.protections.includes(p));
  if (!protections.includes(protection)) {
    throw new UnsupportedProtectionError(
      notAllowedMessage(
        'protection',
        protection,
        `for ${typeName} imports into Azure ${service}`,
        protections,
      ),
      { field: 'protection', allowed: protections },
    );
  }
  const allowed = [...new Set(row.purposeSets.flat())];
  return { protection, keyOps: keyOpsFor(options.usages, allowed, typeName) };
}

/** The import request's JWK: the `.byok` transfer document, or the plain private JWK (software). */
export async function importJwk(
  connection: AzureConnection,
  kek: () => Promise<KeyVaultKey>,
  material: TransferableKey,
  plan: ImportPlan,
  wrappingAlgorithm: string | undefined,
): Promise<JsonWebKey> {
  if (plan.protection === 'software') {
    if (isTokenKey(material)) {
      // A software import sends the private JWK in plaintext: never for a key held in a token.
      throw new UnsupportedProtectionError(
        notAllowedMessage('protection', 'software', 'for HSM-origin keys in Azure', ['hsm']),
        { field: 'protection', allowed: ['hsm'] },
      );
    }
    return plainJwk(material, plan.keyOps);
  }
  const k = await kek();
  const wrapped = await wrapTransferForAzure({
    wrappingKey: publicKeyOf(k),
    key: material,
    kid: k.id ?? '',
    azureService: connection.resolved.service,
    ...(wrappingAlgorithm === undefined ? {} : { algorithm: wrappingAlgorithm }),
  });
  return {
    kty: wrapped.kty,
    ...(wrapped.crv === undefined ? {} : { crv: wrapped.crv }),
    keyOps: plan.keyOps,
    t: wrapped.blob,
  };
}

const RSA_PRIVATE_FIELDS = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const;

/** Software RSA import: the private JWK, sent over TLS (the caller zeroizes after the request). */
function plainJwk(material: KeyMaterial, keyOps: string[]): JsonWebKey {
  const exported = material.key.export({ format: 'jwk' }) as Record<string, string | undefined>;
  const jwk: Record<string, unknown> = { kty: 'RSA', keyOps };
  for (const field of RSA_PRIVATE_FIELDS) {
    jwk[field] = Buffer.from(exported[field] ?? '', 'base64url');
    exported[field] = undefined;
  }
  return jwk;
}

/** Wipes the private fields of a plain JWK and the transfer blob once the request is done. */
export function wipeJwk(jwk: JsonWebKey): void {
  zeroize(jwk.d, jwk.p, jwk.q, jwk.dp, jwk.dq, jwk.qi, jwk.t);
}
