/**
 * Drift: `reconcile(key)` compares what the store says each cloud holds with what the cloud
 * reports (listVersions, by the Keyplane tags) and returns a typed report. `repair` fixes what
 * Keyplane owns — re-enables a version disabled out of band (or disables one enabled below
 * min_enabled_version), re-imports a version that is missing — and never touches what it does
 * not own (a foreign version) or what the cloud cannot undo (a deleted version).
 *
 * @module
 */
import { table } from '../algorithms/table';
import type { BackendKeyVersion } from '../backends/contract';
import type { StoreRecord } from '../store/contract';
import type { LifecycleContext } from './context';
import type { Distributions } from './distributions';
import { isEnabled, keyRecord, keyVersions, type KeyRecord } from './key-records';
import type { DistributionAttributes, DistributionVersionAttributes } from './records';

/** What differs between the store and a cloud. */
export type DriftKind =
  /** Enabled in the store, disabled in the cloud (or the reverse below min_enabled_version). */
  | 'disabled'
  | 'enabled'
  /** Destroyed or pending deletion in the cloud. */
  | 'deleted'
  /** An enabled version the cloud does not hold. */
  | 'missing'
  /** A version in the cloud key that Keyplane did not put there. */
  | 'foreign';

export interface Drift {
  readonly kms: string;
  readonly kind: DriftKind;
  /** The Keyplane version (undefined for a foreign version). */
  readonly version?: number;
  /** The cloud's name of the version, when it has one. */
  readonly cloud_version?: string;
  readonly repaired: boolean;
}

export interface ReconcileReport {
  readonly key: string;
  readonly in_sync: boolean;
  readonly drift: readonly Drift[];
}

/** Which drift `repair` may fix (Keyplane's own, undoable). */
const REPAIRABLE = table<DriftKind, boolean>({
  disabled: true,
  enabled: true,
  deleted: false,
  missing: true,
  foreign: false,
});

type Held = StoreRecord<DistributionVersionAttributes>;

function compare(
  key: KeyRecord,
  kms: string,
  enabledVersions: readonly number[],
  held: readonly Held[],
  cloud: readonly BackendKeyVersion[],
): Omit<Drift, 'repaired'>[] {
  const drift: Omit<Drift, 'repaired'>[] = [];
  const mine = (v: BackendKeyVersion): boolean =>
    v.keyplaneVersion !== undefined && (v.keyplaneKey === undefined || v.keyplaneKey === key.id);
  for (const v of cloud.filter((c) => !mine(c))) {
    drift.push({ kms, kind: 'foreign', cloud_version: v.version });
  }
  const byVersion = new Map(cloud.filter(mine).map((v) => [v.keyplaneVersion, v]));
  for (const n of enabledVersions) {
    if (!held.some((h) => h.attributes.version === n) && !byVersion.has(n)) {
      drift.push({ kms, kind: 'missing', version: n });
    }
  }
  for (const h of held) {
    const n = h.attributes.version;
    const found = byVersion.get(n);
    if (found === undefined) {
      drift.push({ kms, kind: 'missing', version: n, cloud_version: h.attributes.cloud_version });
      continue;
    }
    if (found.state === 'destroyed' || found.state === 'pending-deletion') {
      drift.push({ kms, kind: 'deleted', version: n, cloud_version: found.version });
      continue;
    }
    const want = isEnabled(key.attributes, n) ? 'enabled' : 'disabled';
    if (found.state !== want && (found.state === 'enabled' || found.state === 'disabled')) {
      drift.push({ kms, kind: found.state, version: n, cloud_version: found.version });
    }
  }
  return drift;
}

export async function reconcileKey(
  ctx: LifecycleContext,
  distributions: Distributions,
  keyName: string,
  options: { readonly repair?: boolean } = {},
): Promise<ReconcileReport> {
  const key = await keyRecord(ctx, keyName);
  const enabledVersions = (await keyVersions(ctx.store, key))
    .map((v) => v.attributes.version)
    .filter((n) => isEnabled(key.attributes, n));
  const records = await ctx.store.list<DistributionAttributes>('distribution', { parent: key.id });
  const report: Drift[] = [];
  for (const record of records) {
    const held = await ctx.store.list<DistributionVersionAttributes>('distribution_version', {
      parent: record.id,
    });
    const cloud = await distributions.cloudVersions(key, record);
    const found = compare(key, record.name, enabledVersions, held, cloud);
    const fix = options.repair === true && found.some((d) => REPAIRABLE[d.kind]);
    if (fix) {
      // A held version missing in the cloud is forgotten so sync imports it again.
      const gone = found.filter((d) => d.kind === 'missing').map((d) => d.version);
      await ctx.store.transaction(async (tx) => {
        for (const h of held.filter((x) => gone.includes(x.attributes.version))) await tx.delete(h);
        await tx.audit({
          namespace: ctx.namespace,
          operation: 'key.reconcile.repair',
          target: `kms/${record.name}/key/${keyName}`,
          outcome: 'ok',
          details: { drift: found.map((d) => d.kind) },
        });
      });
      await distributions.withKeyLease(key, () => distributions.syncOne(key, record));
    }
    report.push(...found.map((d) => ({ ...d, repaired: fix && REPAIRABLE[d.kind] })));
  }
  return { key: keyName, in_sync: report.length === 0, drift: report };
}
