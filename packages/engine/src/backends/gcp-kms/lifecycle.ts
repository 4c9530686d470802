/**
 * Version lifecycle: list (oldest first, with the Keyplane version from the crypto key's
 * `keyplane-v<N>` labels), enable / disable (UpdateCryptoKeyVersion, mask `state`) and
 * destruction (DestroyCryptoKeyVersion → DESTROY_SCHEDULED; the delay is the crypto key's
 * `destroy_scheduled_duration`, fixed when the key was created).
 *
 * @module
 */
import { lookup, table } from '../../algorithms/table';
import { KeyStateError, MissingParameterError } from '../../errors';
import type { BackendKeyVersion, KeyRef, VersionState } from '../contract';
import { callOptions } from './client';
import type { GcpContext } from './context';
import {
  getCryptoKey,
  listAllVersions,
  rowOf,
  versionSubject,
  type CryptoKey,
  type CryptoKeyVersion,
} from './keys';
import { KEY_LABEL, versionMap } from './labels';
import { checkRef, stateName, timestampOf, versionNumber } from './wire';

/**
 * CryptoKeyVersionState → contract state. PENDING_GENERATION and IMPORT_FAILED count as
 * `pending-import`: no usable material yet, and an IMPORT_FAILED version can be re-imported.
 * GENERATION_FAILED never had material: `destroyed`.
 */
const STATES = table<string, VersionState>({
  ENABLED: 'enabled',
  DISABLED: 'disabled',
  DESTROYED: 'destroyed',
  DESTROY_SCHEDULED: 'pending-deletion',
  PENDING_GENERATION: 'pending-import',
  PENDING_IMPORT: 'pending-import',
  IMPORT_FAILED: 'pending-import',
  GENERATION_FAILED: 'destroyed',
  PENDING_EXTERNAL_DESTRUCTION: 'pending-deletion',
  EXTERNAL_DESTRUCTION_FAILED: 'pending-deletion',
});

export function toBackendVersion(
  ref: KeyRef,
  key: CryptoKey,
  version: CryptoKeyVersion,
  keyplaneKey?: string,
): BackendKeyVersion {
  const number = versionNumber(version.name);
  const keyplaneVersion = versionMap(key.labels).get(number);
  const owner = keyplaneKey ?? key.labels?.[KEY_LABEL];
  const createdAt = timestampOf(version.createTime);
  return {
    version: number,
    id: version.name ?? '',
    state: lookup(STATES, stateName(version.state)) ?? 'disabled',
    keyType: rowOf(ref, version).keyType,
    ...(owner === undefined ? {} : { keyplaneKey: owner }),
    ...(keyplaneVersion === undefined ? {} : { keyplaneVersion }),
    ...(createdAt === undefined ? {} : { createdAt }),
  };
}

export async function listVersions(ctx: GcpContext, ref: KeyRef): Promise<BackendKeyVersion[]> {
  checkRef(ref);
  await ctx.ensureRing();
  const key = await getCryptoKey(ctx, ref);
  const versions = await listAllVersions(ctx, ref);
  return versions
    .sort((a, b) => Number(versionNumber(a.name)) - Number(versionNumber(b.name)))
    .map((v) => toBackendVersion(ref, key, v));
}

function versionRef(ctx: GcpContext, ref: KeyRef, operation: string): string {
  checkRef(ref);
  if (ref.version === undefined) {
    throw new MissingParameterError(`${operation} needs a version of key '${ref.name}'`, {
      field: 'version',
    });
  }
  return `${ctx.cryptoKeyName(ref.name)}/cryptoKeyVersions/${ref.version}`;
}

export async function setVersionEnabled(
  ctx: GcpContext,
  ref: KeyRef,
  enabled: boolean,
): Promise<BackendKeyVersion> {
  const name = versionRef(ctx, ref, 'setVersionEnabled');
  await ctx.ensureRing();
  const state = enabled ? 'ENABLED' : 'DISABLED';
  const [version] = await ctx.call('UpdateCryptoKeyVersion', versionSubject(ref), (kms) =>
    kms.updateCryptoKeyVersion(
      { cryptoKeyVersion: { name, state }, updateMask: { paths: ['state'] } },
      callOptions(),
    ),
  );
  return toBackendVersion(ref, await getCryptoKey(ctx, ref), version);
}

export async function scheduleVersionDeletion(
  ctx: GcpContext,
  ref: KeyRef,
): Promise<BackendKeyVersion> {
  const name = versionRef(ctx, ref, 'scheduleVersionDeletion');
  await ctx.ensureRing();
  const subject = versionSubject(ref);
  let version: CryptoKeyVersion;
  try {
    [version] = await ctx.call('DestroyCryptoKeyVersion', subject, (kms) =>
      kms.destroyCryptoKeyVersion({ name }, callOptions()),
    );
  } catch (error) {
    // Already scheduled or destroyed (e.g. a retried call): report the state, idempotently.
    if (!(error instanceof KeyStateError)) throw error;
    [version] = await ctx.call('GetCryptoKeyVersion', subject, (kms) =>
      kms.getCryptoKeyVersion({ name }, callOptions()),
    );
    if (!['DESTROY_SCHEDULED', 'DESTROYED'].includes(stateName(version.state))) throw error;
  }
  ctx.publicKeys.delete(name);
  return toBackendVersion(ref, await getCryptoKey(ctx, ref), version);
}
