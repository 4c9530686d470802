/**
 * BYOK: importKeyVersion. The crypto key is created import-only when missing; the Keyplane
 * version ↔ GCP version map lives in the key's labels (versions have none):
 *   1. `keyplane-v<N>` already maps N → return that version (a repeated import);
 *   2. `keyplane-importing` = N and an imported version no label maps → a crashed import:
 *      adopt it (asymmetric: only if its public key is the material's) and map it;
 *   3. else write `keyplane-importing` = N, import, then map and clear the marker.
 *
 * @module
 */
import { createPublicKey } from 'node:crypto';
import type { KeyManagementServiceClient } from '@google-cloud/kms';
import { KMS_PROVIDERS, cloudKeySupport, supportedKeyTypes } from '../../algorithms/clouds';
import { wrappingAlgorithm, wrappingAlgorithmNames } from '../../algorithms/wrapping-algorithms';
import { TOKEN_EXPORT_ALGORITHMS } from '../../algorithms/token-export';
import { wrapTransferForGcp } from '../../byok/gcp';
import { isTokenKey, transferPublicKey, type TransferableKey } from '../../crypto/token-key';
import {
  AlreadyExistsError,
  BackendError,
  InvalidArgumentError,
  NotFoundError,
  UnsupportedWrappingAlgorithmError,
  notAllowedMessage,
} from '../../errors';
import type { BackendKeyVersion, ImportOptions, KeyRef } from '../contract';
import { PURPOSES } from './algorithms';
import { callOptions } from './client';
import type { GcpContext } from './context';
import { importJobFor } from './import-jobs';
import {
  getCryptoKey,
  keySubject,
  pollSettled,
  settledVersion,
  versionSubject,
  type CryptoKey,
  type CryptoKeyVersion,
} from './keys';
import { IMPORTING_LABEL, KEY_LABEL, labelValue, versionLabel, versionMap } from './labels';
import { toBackendVersion } from './lifecycle';
import { planKey, type KeyPlan } from './plan';
import { checkRef, protectionName, stateName, versionNumber, type AlgorithmEnum } from './wire';

export const IMPORT_TYPES: readonly string[] = supportedKeyTypes(KMS_PROVIDERS.gcpckms);

const GONE = ['DESTROYED', 'DESTROY_SCHEDULED', 'IMPORT_FAILED'];

/** The wrapping algorithm, refused before any request when it cannot carry the material. */
function importMethod(material: TransferableKey, options: ImportOptions): string {
  const names = isTokenKey(material)
    ? TOKEN_EXPORT_ALGORITHMS.gcpckms
    : wrappingAlgorithmNames('gcpckms');
  const method = wrappingAlgorithm(
    'gcpckms',
    options.wrappingAlgorithm ?? names[0] ?? '',
    'wrappingAlgorithm',
  );
  if (!method.families.includes(material.type.family)) {
    const allowed = names.filter((n) =>
      wrappingAlgorithm('gcpckms', n).families.includes(material.type.family),
    );
    throw new UnsupportedWrappingAlgorithmError(
      notAllowedMessage(
        'wrappingAlgorithm',
        method.name,
        `for ${material.type.name} keys`,
        allowed,
      ),
      { field: 'wrappingAlgorithm', allowed },
    );
  }
  return method.name;
}

/** The existing crypto key must be one this import can target; else the name is taken. */
function checkTarget(ref: KeyRef, key: CryptoKey, plan: KeyPlan, owner: string): void {
  const problems = [
    key.purpose !== PURPOSES[plan.purpose].gcp ? `purpose ${String(key.purpose)}` : undefined,
    protectionName(key.versionTemplate?.protectionLevel) !== plan.protectionLevel
      ? `protection ${protectionName(key.versionTemplate?.protectionLevel)}`
      : undefined,
    (key.labels?.[KEY_LABEL] ?? owner) !== owner
      ? `Keyplane key '${key.labels?.[KEY_LABEL] ?? ''}'`
      : undefined,
  ].filter((p) => p !== undefined);
  if (problems.length > 0) {
    throw new AlreadyExistsError(
      `gcpckms: key '${ref.name}' exists with ${problems.join(', ')}; cannot import ${plan.row.name} (${plan.protectionLevel}) for '${owner}' into it`,
      { field: 'name' },
    );
  }
}

async function importTarget(
  ctx: GcpContext,
  ref: KeyRef,
  plan: KeyPlan,
  owner: string,
): Promise<CryptoKey> {
  const parent = ctx.settings.keyRingName;
  const cryptoKey = {
    purpose: PURPOSES[plan.purpose].gcp,
    versionTemplate: {
      algorithm: plan.row.name as AlgorithmEnum,
      protectionLevel: plan.protectionLevel,
    },
    importOnly: true,
    labels: { [KEY_LABEL]: owner },
  };
  try {
    return await getCryptoKey(ctx, ref);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  return await ctx.call('CreateCryptoKey', keySubject(ref), async (kms) => {
    try {
      const request = {
        parent,
        cryptoKeyId: ref.name,
        cryptoKey,
        skipInitialVersionCreation: true,
      };
      return (await kms.createCryptoKey(request, callOptions()))[0];
    } catch (error) {
      // Created meanwhile (a lost response, or a concurrent import): checkTarget decides.
      if ((error as { code?: unknown }).code !== 6) throw error;
      return (
        await kms.getCryptoKey({ name: `${parent}/cryptoKeys/${ref.name}` }, callOptions())
      )[0];
    }
  });
}

/** Reads the key's labels fresh, applies the change, writes them back (mask `labels`). */
async function updateLabels(
  ctx: GcpContext,
  ref: KeyRef,
  set: Readonly<Record<string, string>>,
  remove: readonly string[] = [],
): Promise<CryptoKey> {
  const current = await getCryptoKey(ctx, ref);
  const labels = Object.fromEntries(
    Object.entries({ ...(current.labels ?? {}), ...set }).filter(([k]) => !remove.includes(k)),
  );
  const [key] = await ctx.call('UpdateCryptoKey', keySubject(ref), (kms) =>
    kms.updateCryptoKey(
      { cryptoKey: { name: current.name ?? null, labels }, updateMask: { paths: ['labels'] } },
      callOptions(),
    ),
  );
  return key;
}

/**
 * An imported version no `keyplane-v*` label maps (newest first) whose material is this one
 * (asymmetric: same public key; AES cannot be compared). An import the crashed run started may
 * still be PENDING_IMPORT: its outcome is awaited, so a version that later fails is never
 * adopted and one that succeeds is never imported twice. Raw client calls: this runs inside a
 * CallPolicy request.
 */
async function findOrphan(
  kms: KeyManagementServiceClient,
  keyName: string,
  labels: CryptoKey['labels'],
  material: TransferableKey,
): Promise<CryptoKeyVersion | undefined> {
  const mapped = versionMap(labels);
  const [versions] = await kms.listCryptoKeyVersions({ parent: keyName }, callOptions());
  const unmapped = versions.filter(
    (v) => (v.importJob ?? '') !== '' && !mapped.has(versionNumber(v.name)),
  );
  const get = async (name: string): Promise<CryptoKeyVersion> =>
    (await kms.getCryptoKeyVersion({ name }, callOptions()))[0];
  const settled = await Promise.all(unmapped.map((v) => pollSettled(v, get)));
  const candidates = settled
    .filter((v) => !GONE.includes(stateName(v.state)))
    .sort((a, b) => Number(versionNumber(b.name)) - Number(versionNumber(a.name)));
  if (material.type.family === 'aes') return candidates[0];
  const spki = transferPublicKey(material)?.export({ format: 'der', type: 'spki' });
  if (spki === undefined) return undefined;
  for (const v of candidates) {
    if (stateName(v.state) !== 'ENABLED') continue;
    const [pub] = await kms.getPublicKey({ name: v.name ?? '' }, callOptions());
    const theirs = createPublicKey(pub.pem ?? '').export({ format: 'der', type: 'spki' });
    if (theirs.equals(spki)) return v;
  }
  return undefined;
}

export async function importKeyVersion(
  ctx: GcpContext,
  ref: KeyRef,
  material: TransferableKey,
  options: ImportOptions,
): Promise<BackendKeyVersion> {
  checkRef(ref);
  const n = options.keyplaneVersion;
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError(`keyplaneVersion must be a positive integer, got ${String(n)}`, {
      field: 'keyplaneVersion',
    });
  }
  cloudKeySupport(KMS_PROVIDERS.gcpckms, material.type.name, { field: 'key' });
  const plan = planKey({
    keyType: material.type.name,
    usages: options.usages,
    protection: options.protection,
    supported: IMPORT_TYPES,
  });
  const method = importMethod(material, options);
  const owner = labelValue(options.keyplaneKey);
  await ctx.ensureRing();
  let key = await importTarget(ctx, ref, plan, owner);
  checkTarget(ref, key, plan, owner);
  const keyName = key.name ?? ctx.cryptoKeyName(ref.name);
  const done = async (version: CryptoKeyVersion): Promise<BackendKeyVersion> => {
    const settled = await settledVersion(ctx, ref, version);
    if (stateName(settled.state) === 'IMPORT_FAILED') {
      throw new BackendError(
        `gcpckms: import into key '${ref.name}' failed: ${settled.importFailureReason ?? ''}`,
        {
          backendCode: 'IMPORT_FAILED',
        },
      );
    }
    key = await updateLabels(ctx, ref, { [versionLabel(n)]: versionNumber(settled.name) }, [
      IMPORTING_LABEL,
    ]);
    return toBackendVersion(ref, key, settled, options.keyplaneKey);
  };

  // 1. Already imported: the label maps N to a version.
  const mapped = [...versionMap(key.labels)].find(([, kp]) => kp === n)?.[0];
  if (mapped !== undefined) {
    const name = `${keyName}/cryptoKeyVersions/${mapped}`;
    const [version] = await ctx.call('GetCryptoKeyVersion', versionSubject(ref, mapped), (kms) =>
      kms.getCryptoKeyVersion({ name }, callOptions()),
    );
    return toBackendVersion(ref, key, version, options.keyplaneKey);
  }
  // 2. A crashed import of N left an unmapped version.
  if (key.labels?.[IMPORTING_LABEL] === String(n)) {
    const labels = key.labels;
    const orphan = await ctx.call('ListCryptoKeyVersions', keySubject(ref), (kms) =>
      findOrphan(kms, keyName, labels, material),
    );
    if (orphan !== undefined) return await done(orphan);
  }
  // 3. Import.
  key = await updateLabels(ctx, ref, { [IMPORTING_LABEL]: String(n) });
  const job = await importJobFor(ctx, method, plan.protectionLevel);
  const wrappedKey = (
    await wrapTransferForGcp({ wrappingKey: job.pem, key: material, algorithm: method })
  ).blob;
  const labels = key.labels;
  let attempt = 0;
  const version = await ctx.call('ImportCryptoKeyVersion', keySubject(ref), async (kms) => {
    attempt++;
    // The import is not idempotent: after a failure whose response may have been lost, look
    // for the version the earlier attempt created before importing again.
    const earlier = attempt > 1 ? await findOrphan(kms, keyName, labels, material) : undefined;
    if (earlier !== undefined) return earlier;
    const request = {
      parent: keyName,
      algorithm: plan.row.name as AlgorithmEnum,
      importJob: job.name,
      wrappedKey,
    };
    return (await kms.importCryptoKeyVersion(request, callOptions()))[0];
  });
  return await done(version);
}
