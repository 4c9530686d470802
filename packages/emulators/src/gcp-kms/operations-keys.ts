/**
 * Key rings and crypto keys: Create/Get/List KeyRing, Create/Get/List/Update CryptoKey and
 * UpdateCryptoKeyPrimaryVersion. Checks follow the service (and GoogleCloudPlatform/
 * kms-integrations fakekms, whose contract tests run against real Cloud KMS).
 *
 * @module
 */
import { PURPOSES, checkAlgorithmFitsPurpose, type Purpose } from './algorithms';
import { maskPaths, type Operation, type OperationContext } from './context';
import { alreadyExists, failedPrecondition, invalidArgument } from './errors';
import { paginate, type ListRequest } from './list-query';
import { generateMaterial } from './material';
import { checkId, parseLocation } from './names';
import { generateVersion } from './operations-versions';
import type { CryptoKeyRecord, ProtectionLevel } from './store';
import { cryptoKeyView, keyRingView } from './views';

/** Default destroy_scheduled_duration (the service's documented default is 30 days). */
const DEFAULT_DESTROY_SECONDS = 30 * 24 * 3600;
const MIN_DESTROY_SECONDS = 24 * 3600;
const MAX_DESTROY_SECONDS = 120 * 24 * 3600;

interface Duration {
  readonly seconds: string;
  readonly nanos: number;
}

interface CryptoKeyInput {
  readonly name: string;
  readonly purpose: string;
  readonly versionTemplate: { readonly algorithm: string; readonly protectionLevel: string } | null;
  readonly labels: Record<string, string>;
  readonly importOnly: boolean;
  readonly destroyScheduledDuration: Duration | null;
}

export function checkProtectionLevel(level: string, field: string): ProtectionLevel {
  if (level === 'PROTECTION_LEVEL_UNSPECIFIED' || level === '') return 'SOFTWARE';
  if (level === 'SOFTWARE' || level === 'HSM') return level;
  throw invalidArgument(
    `${field} ${level} is not supported by the emulator (SOFTWARE and HSM are).`,
  );
}

const createKeyRing = (req: { parent: string; keyRingId: string }, { store }: OperationContext) => {
  parseLocation(req.parent);
  checkId(req.keyRingId, 'key_ring_id');
  const record = store.add(store.keyRings, {
    name: `${req.parent}/keyRings/${req.keyRingId}`,
    createTime: store.now(),
  });
  return keyRingView(record);
};

const getKeyRing = (req: { name: string }, { store }: OperationContext) =>
  keyRingView(store.keyRing(req.name));

const listKeyRings = (req: ListRequest, { store }: OperationContext) => {
  parseLocation(req.parent);
  const page = paginate(store.listKeyRings(req.parent).map(keyRingView), req);
  return { keyRings: page.items, nextPageToken: page.nextPageToken, totalSize: page.totalSize };
};

function destroySeconds(duration: Duration | null): number {
  if (duration === null) return DEFAULT_DESTROY_SECONDS;
  const seconds = Number(duration.seconds);
  if (seconds < MIN_DESTROY_SECONDS || seconds > MAX_DESTROY_SECONDS)
    throw invalidArgument('destroy_scheduled_duration must be between 24 hours and 120 days.');
  return seconds;
}

const createCryptoKey = async (
  req: {
    parent: string;
    cryptoKeyId: string;
    cryptoKey: CryptoKeyInput | null;
    skipInitialVersionCreation: boolean;
  },
  ctx: OperationContext,
) => {
  const { store } = ctx;
  store.keyRing(req.parent);
  checkId(req.cryptoKeyId, 'crypto_key_id');
  const input = req.cryptoKey;
  if (input === null || input.purpose === 'CRYPTO_KEY_PURPOSE_UNSPECIFIED')
    throw invalidArgument('crypto_key.purpose is required.');
  if (!PURPOSES.includes(input.purpose))
    throw invalidArgument(
      `CryptoKey purpose ${input.purpose} is not supported by the emulator (${PURPOSES.join(', ')} are).`,
    );
  const purpose = input.purpose as Purpose;
  let algorithm = input.versionTemplate?.algorithm ?? '';
  if (algorithm === '' || algorithm === 'CRYPTO_KEY_VERSION_ALGORITHM_UNSPECIFIED') {
    if (purpose !== 'ENCRYPT_DECRYPT')
      throw invalidArgument(
        `crypto_key.version_template.algorithm is required for purpose ${purpose}.`,
      );
    algorithm = 'GOOGLE_SYMMETRIC_ENCRYPTION';
  }
  const spec = checkAlgorithmFitsPurpose(algorithm, purpose);
  const protectionLevel = checkProtectionLevel(
    input.versionTemplate?.protectionLevel ?? '',
    'crypto_key.version_template.protection_level',
  );
  if (spec.hsmOnly === true && protectionLevel !== 'HSM')
    throw invalidArgument(`Algorithm ${algorithm} is only available at protection level HSM.`);
  if (input.importOnly && !req.skipInitialVersionCreation)
    throw invalidArgument(
      'skip_initial_version_creation must be true when crypto_key.import_only is true.',
    );
  const record: CryptoKeyRecord = {
    name: `${req.parent}/cryptoKeys/${req.cryptoKeyId}`,
    purpose,
    createTime: store.now(),
    labels: { ...input.labels },
    importOnly: input.importOnly,
    algorithm,
    protectionLevel,
    nextVersionId: 1,
    destroyScheduledSeconds: destroySeconds(input.destroyScheduledDuration),
  };
  if (store.cryptoKeys.has(record.name)) throw alreadyExists(record.name);
  if (req.skipInitialVersionCreation) store.add(store.cryptoKeys, record);
  else {
    // Generate before inserting so a failed generation leaves no half-made key; the insert
    // re-checks for a concurrent create of the same name.
    const material = await generateMaterial(spec);
    store.add(store.cryptoKeys, record);
    const version = generateVersion(ctx, record, material, 'ENABLED');
    if (purpose === 'ENCRYPT_DECRYPT') record.primaryId = version.name.split('/').pop();
  }
  return cryptoKeyView(record, store);
};

const getCryptoKey = (req: { name: string }, { store }: OperationContext) =>
  cryptoKeyView(store.cryptoKey(req.name), store);

const listCryptoKeys = (req: ListRequest, { store }: OperationContext) => {
  store.keyRing(req.parent);
  const views = store.listCryptoKeys(req.parent).map((k) => cryptoKeyView(k, store));
  const page = paginate(views, req);
  return { cryptoKeys: page.items, nextPageToken: page.nextPageToken, totalSize: page.totalSize };
};

const updateCryptoKey = (
  req: { cryptoKey: CryptoKeyInput | null; updateMask: { paths: string[] } | null },
  { store }: OperationContext,
) => {
  const paths = maskPaths(req.updateMask);
  if (paths.length === 0) throw invalidArgument('update_mask must name at least one field.');
  const input = req.cryptoKey;
  if (input === null) throw invalidArgument('crypto_key is required.');
  const key = store.cryptoKey(input.name);
  for (const path of paths) {
    if (path === 'labels') key.labels = { ...input.labels };
    else if (path === 'version_template.algorithm') {
      const algorithm = input.versionTemplate?.algorithm ?? '';
      checkAlgorithmFitsPurpose(algorithm, key.purpose);
      key.algorithm = algorithm;
    } else
      throw invalidArgument(
        `update_mask path "${path}" is not updatable (labels and version_template.algorithm are).`,
      );
  }
  store.touch();
  return cryptoKeyView(key, store);
};

const updatePrimaryVersion = (
  req: { name: string; cryptoKeyVersionId: string },
  { store }: OperationContext,
) => {
  const key = store.cryptoKey(req.name);
  if (key.purpose !== 'ENCRYPT_DECRYPT')
    throw failedPrecondition(
      `CryptoKey ${key.name} has purpose ${key.purpose}; only ENCRYPT_DECRYPT keys have a primary version.`,
    );
  checkId(req.cryptoKeyVersionId, 'crypto_key_version_id');
  const version = store.version(`${key.name}/cryptoKeyVersions/${req.cryptoKeyVersionId}`);
  if (version.state !== 'ENABLED')
    throw failedPrecondition(
      `CryptoKeyVersion ${version.name} is in state ${version.state}; the primary must be ENABLED.`,
    );
  key.primaryId = req.cryptoKeyVersionId;
  store.touch();
  return cryptoKeyView(key, store);
};

export const keyOperations: Readonly<Record<string, Operation>> = {
  CreateKeyRing: createKeyRing,
  GetKeyRing: getKeyRing,
  ListKeyRings: listKeyRings,
  CreateCryptoKey: createCryptoKey,
  GetCryptoKey: getCryptoKey,
  ListCryptoKeys: listCryptoKeys,
  UpdateCryptoKey: updateCryptoKey,
  UpdateCryptoKeyPrimaryVersion: updatePrimaryVersion,
};
