/**
 * Distribution (Vault `keymgmt/kms/:name/key/:key`): a central key imported by BYOK into a KMS,
 * every enabled version, in the cloud's native shape (see SHAPES). Checked against the
 * compatibility table and the key policy before anything changes; serialized per key by a
 * store lease (never a DB write lock held across a cloud call). Every cloud object is tagged
 * with the key's store id + version, so a rerun after a crash adopts what the crashed run
 * created (the backends' importKeyVersion contract) and records it: zero duplicates.
 *
 * `sync` (distribution-cloud.ts) is the one convergence step distribute, rotate and update all
 * end with: import the enabled versions a cloud lacks, disable what is below
 * min_enabled_version, enable the rest. SHAPES and the input live in distribution-shapes.ts.
 *
 * @module
 */
import type { Protection } from '../algorithms/clouds';
import type { BackendKeyVersion } from '../backends/contract';
import { AlreadyExistsError, NotFoundError } from '../errors';
import { enforcePolicy } from '../policy/evaluate';
import { cloudKeyName } from './cloud-names';
import { DEFAULT_PROTECTION, azureServiceOf } from './compatibility';
import type { LifecycleContext } from './context';
import { DistributionCloud } from './distribution-cloud';
import {
  parsePurposes,
  type DistributeInput,
  type DistributionRecord,
} from './distribution-shapes';
import { refuseDistributionTarget } from './distribution-target';
import { isEnabled, keyRecord, leaseOf, type KeyRecord } from './key-records';
import type {
  DistributionAttributes,
  DistributionVersionAttributes,
  DistributionView,
} from './records';

export type { DistributeInput } from './distribution-shapes';

export class Distributions {
  private readonly cloud: DistributionCloud;

  constructor(private readonly ctx: LifecycleContext) {
    this.cloud = new DistributionCloud(ctx);
  }

  private get ns(): string {
    return this.ctx.namespace;
  }

  async distribute(
    kmsName: string,
    keyName: string,
    input: DistributeInput,
  ): Promise<DistributionView> {
    const purpose = parsePurposes(input.purpose);
    const protection = (input.protection ?? DEFAULT_PROTECTION) as Protection;
    return await this.ctx.audited(
      'kms.distribute',
      `kms/${kmsName}/key/${keyName}`,
      { purpose, protection },
      async (ok) => {
        const kms = await this.ctx.kmsRecord(kmsName);
        const key = await keyRecord(this.ctx, keyName);
        refuseDistributionTarget({
          keyType: key.attributes.type,
          origin: key.attributes.origin,
          provider: kms.attributes.provider,
          azureService:
            kms.attributes.provider === 'azurekeyvault'
              ? azureServiceOf(kms.attributes.options)
              : undefined,
          purposes: purpose,
          protection,
        });
        const kmsKeyName = cloudKeyName(kms.attributes.provider, keyName, 'key', this.ns);
        enforcePolicy(this.ctx.policy, {
          kind: 'distribution',
          namespace: this.ns,
          key: keyName,
          key_type: key.attributes.type,
          kms: kmsName,
          provider: kms.attributes.provider,
          key_collection: kms.attributes.key_collection,
          purpose,
          protection,
        });
        return await this.withKeyLease(key, async () => {
          const distribution = await this.ctx.store.transaction(async (tx) => {
            const existing = await tx.get<DistributionAttributes>(
              'distribution',
              this.ns,
              kmsName,
              key.id,
            );
            if (existing !== undefined) {
              const same =
                existing.attributes.protection === protection &&
                [...existing.attributes.purpose].sort().join() === [...purpose].sort().join();
              if (!same) {
                throw new AlreadyExistsError(
                  `key '${keyName}' is already distributed to '${kmsName}' with purpose ${existing.attributes.purpose.join(',')} and protection ${existing.attributes.protection}; purpose and protection cannot change (undistribute first)`,
                  { field: 'purpose' },
                );
              }
              return existing;
            }
            const inserted = await tx.insert<DistributionAttributes>({
              kind: 'distribution',
              namespace: this.ns,
              name: kmsName,
              parent: key.id,
              ref: kms.id,
              attributes: {
                key: keyName,
                kms: kmsName,
                provider: kms.attributes.provider,
                purpose,
                protection,
                kms_key_name: kmsKeyName,
              },
            });
            await tx.audit(ok);
            return inserted;
          });
          // A new distribution holds only enabled versions: no states to check unless some are not.
          await this.cloud.sync(key, distribution, key.attributes.min_enabled_version > 0);
          return await this.read(kmsName, keyName);
        });
      },
    );
  }

  async read(kmsName: string, keyName: string): Promise<DistributionView> {
    const key = await keyRecord(this.ctx, keyName);
    const record = await this.ctx.store.get<DistributionAttributes>(
      'distribution',
      this.ns,
      kmsName,
      key.id,
    );
    if (record === undefined) {
      throw new NotFoundError(`key '${keyName}' is not distributed to KMS '${kmsName}'`, {
        field: 'key',
      });
    }
    const versions = await this.ctx.store.list<DistributionVersionAttributes>(
      'distribution_version',
      {
        parent: record.id,
      },
    );
    const a = record.attributes;
    return {
      key: a.key,
      kms: a.kms,
      provider: a.provider,
      purpose: a.purpose,
      protection: a.protection,
      kms_key_name: a.kms_key_name,
      versions: Object.fromEntries(
        versions
          .sort((x, y) => x.attributes.version - y.attributes.version)
          .map((v) => [
            String(v.attributes.version),
            {
              cloud_id: v.attributes.cloud_id,
              cloud_version: v.attributes.cloud_version,
              state: isEnabled(key.attributes, v.attributes.version) ? 'enabled' : 'disabled',
            },
          ]),
      ),
    };
  }

  /** Names of the keys distributed to a KMS connection. */
  async keysIn(kmsName: string): Promise<string[]> {
    const kms = await this.ctx.kmsRecord(kmsName);
    const records = await this.ctx.store.list<DistributionAttributes>('distribution', {
      ref: kms.id,
    });
    return records.map((r) => r.attributes.key).sort();
  }

  /** KMS connection names a key is distributed to. */
  async kmsOf(key: KeyRecord): Promise<string[]> {
    return (await this.ctx.store.list('distribution', { parent: key.id })).map((d) => d.name);
  }

  /** Deletes / schedules deletion of every version in the cloud; the key stays central. */
  async undistribute(kmsName: string, keyName: string): Promise<void> {
    await this.ctx.audited('kms.undistribute', `kms/${kmsName}/key/${keyName}`, {}, async (ok) => {
      const key = await keyRecord(this.ctx, keyName);
      await this.withKeyLease(key, async () => {
        const record = await this.ctx.store.get<DistributionAttributes>(
          'distribution',
          this.ns,
          kmsName,
          key.id,
        );
        if (record === undefined) return;
        await this.cloud.remove(key, record);
        await this.ctx.store.transaction(async (tx) => {
          const fresh = await tx.getById('distribution', record.id);
          if (fresh !== undefined) await tx.delete(fresh);
          await tx.audit(ok);
        });
      });
    });
  }

  /** Converges every distribution of the key (after rotate / update); runs them in parallel. */
  async syncKey(key: KeyRecord, checkStates: boolean): Promise<void> {
    const records = await this.ctx.store.list<DistributionAttributes>('distribution', {
      parent: key.id,
    });
    const fresh = await keyRecord(this.ctx, key.name);
    await Promise.all(records.map((d) => this.cloud.sync(fresh, d, checkStates)));
  }

  async withKeyLease<T>(key: KeyRecord, fn: () => Promise<T>): Promise<T> {
    return await this.ctx.store.withLease(leaseOf(key), fn, {
      waitMs: this.ctx.options.leaseWaitMs ?? 60_000,
      ...(this.ctx.options.leaseTtlMs === undefined ? {} : { ttlMs: this.ctx.options.leaseTtlMs }),
    });
  }

  /** Converges one distribution (reconcile's repair). */
  async syncOne(key: KeyRecord, record: DistributionRecord): Promise<void> {
    await this.cloud.sync(key, record, true);
  }

  /** What the cloud holds for a distribution, by Keyplane version. */
  async cloudVersions(key: KeyRecord, record: DistributionRecord): Promise<BackendKeyVersion[]> {
    return await this.cloud.versions(key, record);
  }
}
