/**
 * The cloud side of a distribution: converging what a cloud holds with the store (import the
 * enabled versions it lacks through BYOK, fix enabled / disabled states), listing it, and
 * removing it. AWS symmetric keys take the one-key, rotated-material shape (aws-symmetric.ts).
 *
 * @module
 */
import type { BackendKeyVersion, KmsBackend } from '../backends/contract';
import { NotFoundError } from '../errors';
import type { StoreRecord } from '../store/contract';
import type * as AwsSymmetric from './aws-symmetric';
import type { AwsSymmetricTarget } from './aws-symmetric';
import type { LifecycleContext } from './context';
import {
  SHAPES,
  type DistributionRecord,
  type DistributionVersionRecord,
  type Shape,
} from './distribution-shapes';
import { isEnabled, keyVersions, type KeyRecord } from './key-records';
import { transferableOf } from './origin';
import type { DistributionVersionAttributes, KmsAttributes } from './records';

export class DistributionCloud {
  constructor(private readonly ctx: LifecycleContext) {}

  private get ns(): string {
    return this.ctx.namespace;
  }

  /** Deletes / schedules deletion of every version the cloud holds for a distribution. */
  async remove(key: KeyRecord, record: DistributionRecord): Promise<void> {
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

  /** What the cloud holds for a distribution, by Keyplane version. */
  async versions(key: KeyRecord, record: DistributionRecord): Promise<BackendKeyVersion[]> {
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
  async sync(key: KeyRecord, record: DistributionRecord, checkStates: boolean): Promise<void> {
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
