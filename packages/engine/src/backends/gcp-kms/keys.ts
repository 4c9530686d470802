/**
 * Key lookup and generation: which CryptoKeyVersion a KeyRef means, and the BackendKey view of
 * it. Without `ref.version`: the primary for symmetric keys, else the highest ENABLED version
 * (asymmetric and MAC keys have no primary in Cloud KMS).
 *
 * @module
 */
import type { protos } from '@google-cloud/kms';
import { setTimeout as sleep } from 'node:timers/promises';
import { lookup } from '../../algorithms/table';
import {
  BackendError,
  NotFoundError,
  UnsupportedKeyTypeError,
  notAllowedMessage,
} from '../../errors';
import type { BackendKey, KeyRef, KeySpec } from '../contract';
import {
  GCP_ALGORITHMS,
  GCP_ALGORITHM_NAMES,
  PROTECTION_LEVELS,
  PURPOSES,
  type AlgorithmRow,
} from './algorithms';
import { callOptions } from './client';
import type { GcpContext } from './context';
import type { Subject } from './errors';
import { KEY_LABEL, labelValue, tagLabels } from './labels';
import { planKey } from './plan';
import {
  algorithmName,
  checkRef,
  protectionName,
  stateName,
  versionNumber,
  type AlgorithmEnum,
} from './wire';

export type CryptoKey = protos.google.cloud.kms.v1.ICryptoKey;
export type CryptoKeyVersion = protos.google.cloud.kms.v1.ICryptoKeyVersion;

export interface Resolved {
  readonly versionName: string;
  readonly row: AlgorithmRow;
}

export interface ResolvedKey extends Resolved {
  readonly key: CryptoKey;
  readonly version: CryptoKeyVersion;
}

export const keySubject = (ref: KeyRef): Subject => ({ field: 'name', name: `key '${ref.name}'` });

export function versionSubject(ref: KeyRef, version?: string): Subject {
  const v = version ?? ref.version;
  return v === undefined
    ? keySubject(ref)
    : { field: 'version', name: `key '${ref.name}' version ${v}` };
}

/** The table row for a version's algorithm; keys made outside Keyplane may use others. */
export function rowOf(ref: KeyRef, version: CryptoKeyVersion): AlgorithmRow {
  const algorithm = algorithmName(version.algorithm);
  const row = lookup(GCP_ALGORITHMS, algorithm);
  if (row === undefined) {
    throw new UnsupportedKeyTypeError(
      notAllowedMessage(
        'algorithm',
        algorithm,
        `(key '${ref.name}') in Keyplane's gcpckms backend`,
        GCP_ALGORITHM_NAMES,
      ),
      { field: 'algorithm', allowed: GCP_ALGORITHM_NAMES },
    );
  }
  return row;
}

export async function getCryptoKey(ctx: GcpContext, ref: KeyRef): Promise<CryptoKey> {
  const name = ctx.cryptoKeyName(ref.name);
  const [key] = await ctx.call('GetCryptoKey', keySubject(ref), (kms) =>
    kms.getCryptoKey({ name }, callOptions()),
  );
  return key;
}

/** Every version of a key (all pages), in the server's order. */
export async function listAllVersions(ctx: GcpContext, ref: KeyRef): Promise<CryptoKeyVersion[]> {
  const parent = ctx.cryptoKeyName(ref.name);
  const [versions] = await ctx.call('ListCryptoKeyVersions', keySubject(ref), (kms) =>
    kms.listCryptoKeyVersions({ parent }, callOptions()),
  );
  return versions;
}

/** Highest ENABLED version; else the highest not on its way out; else the highest. */
function currentVersion(versions: readonly CryptoKeyVersion[]): CryptoKeyVersion | undefined {
  const newest = [...versions].sort(
    (a, b) => Number(versionNumber(b.name)) - Number(versionNumber(a.name)),
  );
  const state = (v: CryptoKeyVersion): string => stateName(v.state);
  return (
    newest.find((v) => state(v) === 'ENABLED') ??
    newest.find((v) => !['DESTROYED', 'DESTROY_SCHEDULED'].includes(state(v))) ??
    newest[0]
  );
}

export async function resolveKey(ctx: GcpContext, ref: KeyRef): Promise<ResolvedKey> {
  checkRef(ref);
  await ctx.ensureRing();
  const key = await getCryptoKey(ctx, ref);
  let version: CryptoKeyVersion | undefined;
  if (ref.version !== undefined) {
    const name = `${ctx.cryptoKeyName(ref.name)}/cryptoKeyVersions/${ref.version}`;
    [version] = await ctx.call('GetCryptoKeyVersion', versionSubject(ref), (kms) =>
      kms.getCryptoKeyVersion({ name }, callOptions()),
    );
  } else {
    version = key.primary ?? currentVersion(await listAllVersions(ctx, ref));
  }
  if (version?.name === undefined || version.name === null) {
    throw new NotFoundError(`gcpckms: key '${ref.name}' has no versions`, { field: 'name' });
  }
  const row = rowOf(ref, version);
  ctx.algorithms.set(version.name, row);
  if (ref.version === undefined) ctx.current.set(ref.name, version.name);
  return { key, version, versionName: version.name, row };
}

/**
 * For crypto operations: an explicit version whose algorithm is known needs no lookup (a
 * version's algorithm never changes; its state is enforced by the service itself).
 */
export async function resolveForUse(ctx: GcpContext, ref: KeyRef): Promise<Resolved> {
  checkRef(ref);
  const versionName =
    ref.version === undefined
      ? ctx.current.get(ref.name)
      : `${ctx.cryptoKeyName(ref.name)}/cryptoKeyVersions/${ref.version}`;
  const row = versionName === undefined ? undefined : ctx.algorithms.get(versionName);
  if (versionName !== undefined && row !== undefined) return { versionName, row };
  return await resolveKey(ctx, ref);
}

export function toBackendKey(ref: KeyRef, r: ResolvedKey): BackendKey {
  const { row, version, key } = r;
  return {
    backend: 'gcpckms',
    name: ref.name,
    id: r.versionName,
    version: versionNumber(r.versionName),
    keyType: row.keyType,
    usages: PURPOSES[row.purpose].usages,
    signatures: row.signature === undefined ? [] : [row.signature],
    enabled: stateName(version.state) === 'ENABLED',
    protection: lookup(PROTECTION_LEVELS, protectionName(version.protectionLevel)) ?? 'software',
    tags: { ...(key.labels ?? {}) },
  };
}

export async function findKey(ctx: GcpContext, ref: KeyRef): Promise<BackendKey | undefined> {
  try {
    return toBackendKey(ref, await resolveKey(ctx, ref));
  } catch (error) {
    if (error instanceof NotFoundError && error.field !== 'key_ring') return undefined;
    throw error;
  }
}

export async function getKey(ctx: GcpContext, ref: KeyRef): Promise<BackendKey> {
  return toBackendKey(ref, await resolveKey(ctx, ref));
}

/**
 * Polls `get` while a version is PENDING_GENERATION / PENDING_IMPORT: the service generates
 * asymmetric and HSM material and imports key material asynchronously
 * (https://cloud.google.com/kms/docs/troubleshooting-failed-imports: "The initial state for an
 * imported key version is PENDING_IMPORT"). Backs off from 100 ms to 2 s between reads.
 */
export async function pollSettled(
  version: CryptoKeyVersion,
  get: (name: string) => Promise<CryptoKeyVersion>,
  timeoutMs = 120_000,
): Promise<CryptoKeyVersion> {
  const name = version.name ?? '';
  const deadline = Date.now() + timeoutMs;
  let current = version;
  for (
    let delay = 100;
    stateName(current.state).startsWith('PENDING_');
    delay = Math.min(delay * 2, 2000)
  ) {
    if (Date.now() > deadline) {
      throw new BackendError(`gcpckms: ${name} still ${stateName(current.state)}`, {
        backendCode: stateName(current.state),
      });
    }
    await sleep(delay);
    current = await get(name);
  }
  return current;
}

/** {@link pollSettled} through the call policy (limiter, retries, error mapping). */
export async function settledVersion(
  ctx: GcpContext,
  ref: KeyRef,
  version: CryptoKeyVersion,
): Promise<CryptoKeyVersion> {
  return await pollSettled(version, async (name) => {
    const [current] = await ctx.call(
      'GetCryptoKeyVersion',
      versionSubject(ref, versionNumber(name)),
      (kms) => kms.getCryptoKeyVersion({ name }, callOptions()),
    );
    return current;
  });
}

export const GENERATE_TYPES: readonly string[] = [
  'rsa-2048',
  'rsa-3072',
  'rsa-4096',
  'ecdsa-p256',
  'ecdsa-p384',
  'ed25519',
  'aes256-gcm96',
  'hmac-sha256',
];

export async function generateKey(
  ctx: GcpContext,
  ref: KeyRef,
  spec: KeySpec,
): Promise<BackendKey> {
  checkRef(ref);
  const plan = planKey({
    keyType: spec.keyType,
    usages: spec.usages,
    algorithm: spec.algorithm,
    protection: spec.protection,
    supported: GENERATE_TYPES,
  });
  const labels = { ...tagLabels(spec.tags), [KEY_LABEL]: labelValue(ref.name) };
  await ctx.ensureRing();
  const parent = ctx.settings.keyRingName;
  let attempt = 0;
  const key = await ctx.call('CreateCryptoKey', keySubject(ref), async (kms) => {
    attempt++;
    const request = {
      parent,
      cryptoKeyId: ref.name,
      cryptoKey: {
        purpose: PURPOSES[plan.purpose].gcp,
        versionTemplate: {
          algorithm: plan.row.name as AlgorithmEnum,
          protectionLevel: plan.protectionLevel,
        },
        labels,
      },
    };
    try {
      return (await kms.createCryptoKey(request, callOptions()))[0];
    } catch (error) {
      // A retry after a lost response finds the key this call created: take it, once its
      // labels show it is ours.
      if (attempt > 1 && (error as { code?: unknown }).code === 6) {
        const [existing] = await kms.getCryptoKey(
          { name: `${parent}/cryptoKeys/${ref.name}` },
          callOptions(),
        );
        if (existing.labels?.[KEY_LABEL] === labels[KEY_LABEL]) return existing;
      }
      throw error;
    }
  });
  const firstName = `${key.name ?? ''}/cryptoKeyVersions/1`;
  const first =
    key.primary ??
    (
      await ctx.call('GetCryptoKeyVersion', versionSubject(ref, '1'), (kms) =>
        kms.getCryptoKeyVersion({ name: firstName }, callOptions()),
      )
    )[0];
  const version = await settledVersion(ctx, ref, first);
  const versionName = version.name ?? '';
  const row = rowOf(ref, version);
  ctx.algorithms.set(versionName, row);
  return toBackendKey(ref, { key, version, versionName, row });
}
