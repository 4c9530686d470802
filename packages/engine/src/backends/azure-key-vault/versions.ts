/**
 * Version lifecycle: BYOK import with adoption, listing, enable / disable, and "deletion".
 *
 * Azure cannot delete a single key version (only the whole key, soft-deleted, all versions at
 * once). scheduleVersionDeletion therefore disables the version and tags it
 * `keyplane-state=pending-deletion`: it then reports as `pending-deletion`, every operation on
 * it is refused by the service (disabled), and setVersionEnabled refuses to re-enable it.
 * Actually removing the material needs deletion of the whole key, outside this contract.
 *
 * @module
 */
import type { KeyVaultKey } from '@azure/keyvault-keys';
import type { TransferableKey } from '../../crypto/token-key';
import { KeyStateError } from '../../errors';
import {
  KEYPLANE_TAGS,
  type BackendKeyVersion,
  type ImportOptions,
  type KeyRef,
} from '../contract';
import { findTaggedVersion, importJwk, planImport, wipeJwk } from './byok';
import type { AzureConnection } from './client';
import { PENDING_DELETION, STATE_TAG, stateOf, toVersion } from './keys';
import { checkRef, describeRef, requireVersion } from './refs';

export interface VersionContext {
  readonly connection: AzureConnection;
  /** The key (version), or NotFoundError. */
  readonly require: (ref: KeyRef) => Promise<KeyVaultKey>;
  /** The vault's Key Exchange Key (created on first use). */
  readonly kek: () => Promise<KeyVaultKey>;
}

export async function importVersion(
  ctx: VersionContext,
  ref: KeyRef,
  material: TransferableKey,
  options: ImportOptions,
): Promise<BackendKeyVersion> {
  checkRef(ref);
  const { connection } = ctx;
  const plan = planImport(connection.resolved.service, material, options);
  const existing = await connection.call(`find imported versions of ${describeRef(ref)}`, (c) =>
    findTaggedVersion(c, ref.name, options),
  );
  if (existing !== undefined) return toVersion(existing);

  const jwk = await importJwk(connection, ctx.kek, material, plan, options.wrappingAlgorithm);
  const tags = {
    [KEYPLANE_TAGS.key]: options.keyplaneKey,
    [KEYPLANE_TAGS.version]: String(options.keyplaneVersion),
  };
  let attempt = 0;
  try {
    const imported = await connection.call(`import into ${describeRef(ref)}`, async (c) => {
      // A retried attempt looks again first: the failed one may have been applied.
      if (attempt++ > 0) {
        const applied = await findTaggedVersion(c, ref.name, options);
        if (applied !== undefined) return applied;
      }
      return await c.importKey(ref.name, jwk, {
        hardwareProtected: plan.protection === 'hsm',
        enabled: true,
        tags,
      });
    });
    return toVersion(imported);
  } finally {
    wipeJwk(jwk);
    // A new version may now be the latest one.
    connection.keyCache.forgetLatest(ref.name);
  }
}

/** Oldest first: by keyplane-version (untagged versions first), then creation time. */
export async function listVersions(ctx: VersionContext, ref: KeyRef): Promise<BackendKeyVersion[]> {
  checkRef(ref);
  const versions = await ctx.connection.call(`list versions of ${describeRef(ref)}`, async (c) => {
    const found: string[] = [];
    for await (const p of c.listPropertiesOfKeyVersions(ref.name)) {
      if (p.version !== undefined) found.push(p.version);
    }
    return found;
  });
  // Key Vault lists the versions of a key that does not exist as an empty page (200), not a
  // 404: an empty listing is checked against the key itself, so a missing key is NotFound
  // here as in the other backends.
  if (versions.length === 0) await ctx.require({ name: ref.name });
  // Version listings carry no key type: each version's bundle is read (bounded by max_parallel).
  const keys = await Promise.all(
    versions.map((version) => ctx.require({ name: ref.name, version })),
  );
  return keys
    .map(toVersion)
    .sort(
      (a, b) =>
        (a.keyplaneVersion ?? 0) - (b.keyplaneVersion ?? 0) ||
        (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0),
    );
}

export async function setVersionEnabled(
  ctx: VersionContext,
  ref: KeyRef,
  enabled: boolean,
): Promise<BackendKeyVersion> {
  const version = requireVersion(ref);
  if (enabled && stateOf((await ctx.require(ref)).properties) === 'pending-deletion') {
    throw new KeyStateError(
      `Azure key ${describeRef(ref)} is scheduled for deletion (Keyplane tag ${STATE_TAG}); it cannot be re-enabled`,
      { field: 'version' },
    );
  }
  try {
    const updated = await ctx.connection.call(`update ${describeRef(ref)}`, (c) =>
      c.updateKeyProperties(ref.name, version, { enabled }),
    );
    return toVersion(updated);
  } finally {
    // Even a failed update may have been applied: the next operation reads the version again.
    ctx.connection.forgetVersion(ref.name, version);
  }
}

/** Disable + tag (see the module comment). `pendingWindowDays` has no Azure equivalent. */
export async function scheduleVersionDeletion(
  ctx: VersionContext,
  ref: KeyRef,
  _options?: { readonly pendingWindowDays?: number | undefined },
): Promise<BackendKeyVersion> {
  const version = requireVersion(ref);
  const current = await ctx.require(ref);
  // Azure replaces a version's tags wholesale: keep the Keyplane tags next to the state tag.
  const tags = { ...current.properties.tags, [STATE_TAG]: PENDING_DELETION };
  try {
    const updated = await ctx.connection.call(`schedule deletion of ${describeRef(ref)}`, (c) =>
      c.updateKeyProperties(ref.name, version, { enabled: false, tags }),
    );
    return toVersion(updated);
  } finally {
    ctx.connection.forgetVersion(ref.name, version);
  }
}
