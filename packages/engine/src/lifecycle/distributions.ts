/**
 * Distribution (Vault `keymgmt/kms/:name/key/:key`): a central key imported by BYOK into a KMS,
 * every enabled version, in the cloud's native shape (see SHAPES). Checked against the
 * compatibility table and the key policy before anything changes; serialized per key by a
 * store lease (never a DB write lock held across a cloud call). Every cloud object is tagged
 * with the key's store id + version, so a rerun after a crash adopts what the crashed run
 * created (the backends' importKeyVersion contract) and records it: zero duplicates.
 *
 * `sync` is the one convergence step distribute, rotate and update all end with: import the
 * enabled versions a cloud lacks, disable what is below min_enabled_version, enable the rest.
 *
 * @module
 */
import { PURPOSES, type Protection, type Purpose } from '../algorithms/clouds';
import { table } from '../algorithms/table';
import type { BackendKeyVersion, BackendType, KeyRef, KmsBackend } from '../backends/contract';
import {
  AlreadyExistsError,
  InvalidArgumentError,
  NotFoundError,
  notAllowedMessage,
} from '../errors';
import { enforcePolicy } from '../policy/evaluate';
import type { StoreRecord } from '../store/contract';
import type * as AwsSymmetric from './aws-symmetric';
import type { AwsSymmetricTarget } from './aws-symmetric';
import { cloudKeyName } from './cloud-names';
import { DEFAULT_PROTECTION, azureServiceOf, checkCompatible } from './compatibility';
import type { LifecycleContext } from './context';
import { isEnabled, keyRecord, keyVersions, leaseOf, type KeyRecord } from './key-records';
import { checkOriginTarget, transferableOf } from './origin';
import type {
  DistributionAttributes,
  DistributionVersionAttributes,
  DistributionView,
  KmsAttributes,
} from './records';

type DistributionRecord = StoreRecord<DistributionAttributes>;
type DistributionVersionRecord = StoreRecord<DistributionVersionAttributes>;

interface Shape {
  /** The ref of one version (PKCS#11 addresses objects by CKA_ID). */
  readonly versionRef: (name: string, v: DistributionVersionAttributes) => KeyRef;
  /** Days before deletion where the cloud has a window (AWS 7–30). */
  readonly pendingWindowDays?: number;
}

const byVersion = (name: string, v: DistributionVersionAttributes): KeyRef => ({
  name,
  version: v.cloud_version,
});

/**
 * AWS: one KMS key per version behind `alias/<key>` (the backend moves the alias to the latest);
 * Azure: versions of one key; GCP: versions of one crypto key; PKCS#11: one object per version.
 */
const SHAPES = table<BackendType, Shape>({
  awskms: { versionRef: byVersion, pendingWindowDays: 7 },
  azurekeyvault: { versionRef: byVersion },
  gcpckms: { versionRef: byVersion },
  pkcs11: { versionRef: (name, v) => ({ name, id: v.cloud_id }) },
});

export interface DistributeInput {
  readonly purpose: readonly string[] | string;
  /** @default DEFAULT_PROTECTION ('hsm') */
  readonly protection?: string | undefined;
}

function parsePurposes(input: readonly string[] | string): Purpose[] {
  const list = (typeof input === 'string' ? input.split(',') : [...input])
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const bad = list.find((p) => !PURPOSES.includes(p as Purpose));
  if (bad !== undefined) {
    throw new InvalidArgumentError(notAllowedMessage('purpose', bad, '', PURPOSES), {
      field: 'purpose',
      allowed: PURPOSES,
    });
  }
  return [...new Set(list as Purpose[])];
}

export class Distributions {
  constructor(private readonly ctx: LifecycleContext) {}

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
        checkCompatible({
          provider: kms.attributes.provider,
          keyType: key.attributes.type,
          purposes: purpose,
          protection,
          azureService:
            kms.attributes.provider === 'azurekeyvault'
              ? azureServiceOf(kms.attributes.options)
              : undefined,
        });
        const kmsKeyName = cloudKeyName(kms.attributes.provider, keyName, 'key', this.ns);
        checkOriginTarget(key.attributes.origin, kms.attributes.provider, protection);
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
          await this.sync(key, distribution, key.attributes.min_enabled_version > 0);
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
        const symmetric = await this.awsSymmetric(key, record);
        if (symmetric !== undefined) {
          try {
            await symmetric.scheduleDeletion(record.attributes.kms_key_name, key.id, 7);
          } finally {
            symmetric.close();
          }
        }
        const backend = await this.backendOf(record);
        const shape = SHAPES[record.attributes.provider];
        const versions = await this.ctx.store.list<DistributionVersionAttributes>(
          'distribution_version',
          {
            parent: record.id,
          },
        );
        for (const v of symmetric === undefined ? versions : []) {
          try {
            await backend.scheduleVersionDeletion(
              shape.versionRef(record.attributes.kms_key_name, v.attributes),
              {
                pendingWindowDays: shape.pendingWindowDays,
              },
            );
          } catch (e) {
            // Already gone in the cloud (deleted out of band, or a rerun after a crash).
            if (!(e instanceof NotFoundError)) throw e;
          }
        }
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
    await Promise.all(records.map((d) => this.sync(fresh, d, checkStates)));
  }

  async withKeyLease<T>(key: KeyRecord, fn: () => Promise<T>): Promise<T> {
    return await this.ctx.store.withLease(leaseOf(key), fn, {
      waitMs: this.ctx.options.leaseWaitMs ?? 60_000,
      ...(this.ctx.options.leaseTtlMs === undefined ? {} : { ttlMs: this.ctx.options.leaseTtlMs }),
    });
  }

  private async kmsRecordOf(record: DistributionRecord): Promise<StoreRecord<KmsAttributes>> {
    const kms = await this.ctx.store.getById<KmsAttributes>('kms', record.ref);
    if (kms === undefined) {
      throw new NotFoundError(`KMS connection '${record.attributes.kms}' no longer exists`, {
        field: 'kms',
      });
    }
    return kms;
  }

  private async backendOf(record: DistributionRecord): Promise<KmsBackend> {
    return await this.ctx.backendFor(await this.kmsRecordOf(record));
  }

  /** AWS symmetric keys take the one-key, rotated-material shape (aws-symmetric.ts). */
  private async awsSymmetric(
    key: KeyRecord,
    record: DistributionRecord,
  ): Promise<AwsSymmetricTarget | undefined> {
    if (record.attributes.provider !== 'awskms' || key.attributes.type !== 'aes256-gcm96')
      return undefined;
    const config = this.ctx.configFor(await this.kmsRecordOf(record));
    if (config.type !== 'awskms') return undefined;
    // Required on first use: the AWS SDK loads only when an AWS symmetric key is distributed.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { AwsSymmetricTarget: Target } = require('./aws-symmetric') as typeof AwsSymmetric;
    return new Target(config);
  }

  /** Converges one distribution (reconcile's repair). */
  async syncOne(key: KeyRecord, record: DistributionRecord): Promise<void> {
    await this.sync(key, record, true);
  }

  /** What the cloud holds for a distribution, by Keyplane version. */
  async cloudVersions(key: KeyRecord, record: DistributionRecord): Promise<BackendKeyVersion[]> {
    const symmetric = await this.awsSymmetric(key, record);
    if (symmetric !== undefined) {
      try {
        return await symmetric.listVersions(record.attributes.kms_key_name, key.id);
      } finally {
        symmetric.close();
      }
    }
    const backend = await this.backendOf(record);
    return await backend.listVersions({ name: record.attributes.kms_key_name });
  }

  /** `checkStates`: also list the cloud's versions and fix enabled / disabled states. */
  private async sync(
    key: KeyRecord,
    record: DistributionRecord,
    checkStates: boolean,
  ): Promise<void> {
    const symmetric = await this.awsSymmetric(key, record);
    try {
      await this.syncWith(key, record, symmetric, checkStates);
    } finally {
      symmetric?.close();
    }
  }

  private async syncWith(
    key: KeyRecord,
    record: DistributionRecord,
    symmetric: AwsSymmetricTarget | undefined,
    checkStates: boolean,
  ): Promise<void> {
    const backend = await this.backendOf(record);
    const shape = SHAPES[record.attributes.provider];
    const name = record.attributes.kms_key_name;
    const held = new Map(
      (
        await this.ctx.store.list<DistributionVersionAttributes>('distribution_version', {
          parent: record.id,
        })
      ).map((v) => [v.attributes.version, v]),
    );
    for (const version of await keyVersions(this.ctx.store, key)) {
      const n = version.attributes.version;
      if (held.has(n) || !isEnabled(key.attributes, n)) continue;
      const material = await transferableOf(this.ctx, key, version);
      const imported =
        symmetric === undefined
          ? await backend.importKeyVersion({ name }, material, {
              keyplaneKey: key.id,
              keyplaneVersion: n,
              usages: record.attributes.purpose,
              protection: record.attributes.protection,
            })
          : await symmetric.importVersion(name, key.id, n, material);
      const stored = await this.ctx.store.transaction(
        async (tx) =>
          await tx.insert<DistributionVersionAttributes>({
            kind: 'distribution_version',
            namespace: this.ns,
            name: String(n),
            parent: record.id,
            attributes: { version: n, cloud_id: imported.id, cloud_version: imported.version },
          }),
      );
      held.set(n, stored);
    }
    // One AWS key's materials cannot be disabled one by one (only the whole key): skipped there.
    if (symmetric === undefined && checkStates)
      await this.applyEnabled(backend, shape, name, key, [...held.values()]);
  }

  /** Disables versions below min_enabled_version in the cloud and re-enables the others. */
  private async applyEnabled(
    backend: KmsBackend,
    shape: Shape,
    name: string,
    key: KeyRecord,
    held: readonly DistributionVersionRecord[],
  ): Promise<void> {
    const inCloud = new Map(
      (await backend.listVersions({ name })).map((v) => [v.keyplaneVersion, v.state]),
    );
    for (const v of held) {
      const want = isEnabled(key.attributes, v.attributes.version) ? 'enabled' : 'disabled';
      const state = inCloud.get(v.attributes.version);
      if (state !== undefined && state !== want && (state === 'enabled' || state === 'disabled')) {
        await backend.setVersionEnabled(shape.versionRef(name, v.attributes), want === 'enabled');
      }
    }
  }
}
