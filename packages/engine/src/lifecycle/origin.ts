/**
 * Key origins (issue "HSM-origin keys"): `software` — generated with node:crypto and sealed in
 * the store — or `hsm:<kms>` — generated INSIDE the token of a `pkcs11` KMS connection of the
 * same namespace, CKA_SENSITIVE and CKA_EXTRACTABLE (it leaves only wrapped, see
 * backends/pkcs11/export.ts). For an HSM-origin version the store keeps a reference only (the
 * connection, the object's CKA_LABEL / CKA_ID, and the public key); no material is sealed.
 *
 * Each version's object is labelled and CKA_ID'd `keyplane:<key store id>:v<N>` (the pkcs11
 * backend's versioned id), so a run that crashed between the token's generate and the store
 * write finds the object again and adopts it instead of generating a second one.
 *
 * @module
 */
import { createPublicKey } from 'node:crypto';
import { KEY_TYPES, type KeyTypeName } from '../algorithms/key-types';
import type { KeyRef, KmsBackend } from '../backends/contract';
import type * as Pkcs11Capabilities from '../backends/pkcs11/capabilities';
import { versionedId } from '../backends/pkcs11/versioned-id';
import { publicKeyFingerprint } from '../crypto/fingerprint';
import type { TokenKeyMaterial, TransferableKey } from '../crypto/token-key';
import { InvalidArgumentError, NotFoundError, UnsupportedOperationError } from '../errors';
import type { StoreRecord } from '../store/contract';
import type { LifecycleContext } from './context';
import { versionMaterial, type KeyRecord, type KeyVersionRecord } from './key-records';
import { checkOrigin } from './origin-rules';
import type { KeyVersionAttributes, KmsAttributes, TokenReference } from './records';

export type ResolvedOrigin =
  | { readonly kind: 'software' }
  | { readonly kind: 'hsm'; readonly kms: StoreRecord<KmsAttributes> };

/** Checks an origin (create time): form and type, then the connection (exists, pkcs11, this namespace). */
export async function resolveOrigin(
  ctx: LifecycleContext,
  origin: string,
  type: KeyTypeName,
): Promise<ResolvedOrigin> {
  const kmsName = checkOrigin(origin, type);
  if (kmsName === '') return { kind: 'software' };
  const kms = await ctx.store.get<KmsAttributes>('kms', ctx.namespace, kmsName);
  if (kms === undefined) {
    throw new NotFoundError(
      `origin '${origin}': KMS connection '${kmsName}' not found in namespace '${ctx.namespace}'`,
      { field: 'origin' },
    );
  }
  if (kms.attributes.provider !== 'pkcs11') {
    throw new InvalidArgumentError(
      `origin '${origin}': KMS connection '${kmsName}' is provider ${kms.attributes.provider}; keys originate only in a pkcs11 connection`,
      { field: 'origin', allowed: ['pkcs11'] },
    );
  }
  return { kind: 'hsm', kms };
}

/** The token object of version `version` of a key (label and CKA_ID alike). */
export function tokenRef(keyId: string, version: number): KeyRef {
  const id = versionedId(keyId, version);
  return { name: id.toString('utf8'), id: id.toString('hex') };
}

/** Version attributes (minus version / created_at) for a version generated in the token. */
export async function generateInToken(
  ctx: LifecycleContext,
  kms: StoreRecord<KmsAttributes>,
  key: KeyRecord,
  version: number,
): Promise<Pick<KeyVersionAttributes, 'public_key_pem' | 'fingerprint' | 'token'>> {
  const backend = await ctx.backendFor(kms);
  const ref = tokenRef(key.id, version);
  const type = key.attributes.type;
  // Adopt what a crashed run generated (found by CKA_ID) instead of generating it twice.
  if ((await backend.findKey(ref)) === undefined) {
    // Loaded here, not at the top: pkcs11js is optional and backendFor has just loaded it (or
    // refused with the reason); the lifecycle stays loadable without the native module.
    const { PKCS11_CAPABILITIES } =
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('../backends/pkcs11/capabilities') as typeof Pkcs11Capabilities;
    await backend.generateKey(ref, {
      keyType: type,
      usages: PKCS11_CAPABILITIES.generate[type] ?? [],
      protection: 'hsm',
      extractable: true,
    });
  }
  const token: TokenReference = { kms: kms.id, label: ref.name, id: ref.id ?? '' };
  if (KEY_TYPES[type].family === 'aes') return { public_key_pem: '', fingerprint: '', token };
  const publicKey = await backend.getPublicKey(ref);
  return {
    public_key_pem: String(publicKey.export({ type: 'spki', format: 'pem' })),
    fingerprint: publicKeyFingerprint(publicKey),
    token,
  };
}

/** Destroys the token objects of a deleted key's versions (already gone: nothing to do). */
export async function destroyInToken(
  ctx: LifecycleContext,
  objects: readonly TokenReference[],
): Promise<void> {
  for (const token of objects) {
    const backend = await tokenBackend(ctx, token);
    try {
      await backend.scheduleVersionDeletion({ name: token.label, id: token.id });
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
  }
}

async function tokenBackend(ctx: LifecycleContext, token: TokenReference): Promise<KmsBackend> {
  const kms = await ctx.store.getById<KmsAttributes>('kms', token.kms);
  if (kms === undefined) {
    throw new NotFoundError(`the KMS connection holding key object '${token.label}' is gone`, {
      field: 'origin',
    });
  }
  return await ctx.backendFor(kms);
}

/** What a BYOK import takes for a version: sealed software material, or the token's key. */
export async function transferableOf(
  ctx: LifecycleContext,
  key: KeyRecord,
  version: KeyVersionRecord,
): Promise<TransferableKey> {
  const token = version.attributes.token;
  if (token === undefined) return versionMaterial(ctx.store, key, version);
  const backend = await tokenBackend(ctx, token);
  const ref: KeyRef = { name: token.label, id: token.id };
  const pem = version.attributes.public_key_pem;
  const material: TokenKeyMaterial = {
    type: KEY_TYPES[key.attributes.type],
    publicKey: pem === '' ? undefined : createPublicKey(pem),
    wrapHybrid: async (kek, oaepHash) => {
      if (backend.exportWrapped === undefined) {
        throw new UnsupportedOperationError('this backend cannot export wrapped keys', {
          field: 'origin',
        });
      }
      return await backend.exportWrapped(ref, kek, oaepHash);
    },
  };
  return material;
}
