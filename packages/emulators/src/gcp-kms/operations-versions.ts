/**
 * CryptoKeyVersion lifecycle: Create/Get/List/Update, Destroy (→ DESTROY_SCHEDULED after the
 * key's destroy_scheduled_duration) and Restore (→ DISABLED).
 *
 * @module
 */
import { algorithmSpec } from './algorithms';
import { maskPaths, type Operation, type OperationContext } from './context';
import { failedPrecondition, invalidArgument } from './errors';
import { paginate, type ListRequest } from './list-query';
import { fingerprint, generateMaterial } from './material';
import type { CryptoKeyRecord, VersionRecord, VersionState } from './store';
import { versionView } from './views';

/** Adds the next version of `key` holding freshly generated `material`. */
export function generateVersion(
  { store }: OperationContext,
  key: CryptoKeyRecord,
  material: string,
  state: 'ENABLED' | 'DISABLED',
): VersionRecord {
  const now = store.now();
  const id = key.nextVersionId++;
  return store.add(store.versions, {
    name: `${key.name}/cryptoKeyVersions/${id}`,
    state,
    algorithm: key.algorithm,
    protectionLevel: key.protectionLevel,
    createTime: now,
    generateTime: now,
    material,
    fingerprint: fingerprint(material),
    imported: false,
  });
}

interface VersionInput {
  readonly name: string;
  readonly state: string;
}

const createVersion = async (
  req: { parent: string; cryptoKeyVersion: VersionInput | null },
  ctx: OperationContext,
) => {
  const key = ctx.store.cryptoKey(req.parent);
  if (key.importOnly)
    throw failedPrecondition(
      `CryptoKey ${key.name} is import_only: new versions can only be imported.`,
    );
  const requested = req.cryptoKeyVersion?.state ?? 'CRYPTO_KEY_VERSION_STATE_UNSPECIFIED';
  let state: 'ENABLED' | 'DISABLED' = 'ENABLED';
  if (requested === 'DISABLED') state = 'DISABLED';
  else if (requested !== 'ENABLED' && requested !== 'CRYPTO_KEY_VERSION_STATE_UNSPECIFIED')
    throw invalidArgument(
      `crypto_key_version.state must be ENABLED or DISABLED, not ${requested}.`,
    );
  const material = await generateMaterial(algorithmSpec(key.algorithm));
  return versionView(generateVersion(ctx, key, material, state));
};

const getVersion = (req: { name: string }, { store }: OperationContext) =>
  versionView(store.version(req.name));

const listVersions = (req: ListRequest, { store }: OperationContext) => {
  store.cryptoKey(req.parent);
  const page = paginate(store.listVersions(req.parent).map(versionView), req);
  return {
    cryptoKeyVersions: page.items,
    nextPageToken: page.nextPageToken,
    totalSize: page.totalSize,
  };
};

const updateVersion = (
  req: { cryptoKeyVersion: VersionInput | null; updateMask: { paths: string[] } | null },
  { store }: OperationContext,
) => {
  const paths = maskPaths(req.updateMask);
  if (paths.length === 0) throw invalidArgument('update_mask must name at least one field.');
  if (req.cryptoKeyVersion === null) throw invalidArgument('crypto_key_version is required.');
  const version = store.version(req.cryptoKeyVersion.name);
  for (const path of paths) {
    if (path !== 'state')
      throw invalidArgument(`update_mask path "${path}" is not updatable (state is).`);
    const target = req.cryptoKeyVersion.state;
    if (target !== 'ENABLED' && target !== 'DISABLED')
      throw invalidArgument(`state can only be updated to ENABLED or DISABLED, not ${target}.`);
    if (version.state !== 'ENABLED' && version.state !== 'DISABLED')
      throw failedPrecondition(
        `CryptoKeyVersion ${version.name} is in state ${version.state}; only ENABLED and DISABLED versions can change state.`,
      );
    version.state = target;
  }
  store.touch();
  return versionView(version);
};

const destroyVersion = (req: { name: string }, { store }: OperationContext) => {
  const version = store.version(req.name);
  if (version.state !== 'ENABLED' && version.state !== 'DISABLED')
    throw failedPrecondition(
      `CryptoKeyVersion ${version.name} is in state ${version.state}; it must be ENABLED or DISABLED to be destroyed.`,
    );
  const key = store.cryptoKey(version.name.split('/cryptoKeyVersions/')[0] ?? '');
  version.state = 'DESTROY_SCHEDULED';
  version.destroyTime = store.now() + key.destroyScheduledSeconds * 1000;
  store.touch();
  return versionView(version);
};

const restoreVersion = (req: { name: string }, { store }: OperationContext) => {
  const version = store.version(req.name);
  if (version.state !== 'DESTROY_SCHEDULED')
    throw failedPrecondition(
      `CryptoKeyVersion ${version.name} is in state ${version.state}; only DESTROY_SCHEDULED versions can be restored.`,
    );
  version.state = 'DISABLED' satisfies VersionState;
  delete version.destroyTime;
  store.touch();
  return versionView(version);
};

export const versionOperations: Readonly<Record<string, Operation>> = {
  CreateCryptoKeyVersion: createVersion,
  GetCryptoKeyVersion: getVersion,
  ListCryptoKeyVersions: listVersions,
  UpdateCryptoKeyVersion: updateVersion,
  DestroyCryptoKeyVersion: destroyVersion,
  RestoreCryptoKeyVersion: restoreVersion,
};
