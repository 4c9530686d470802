/**
 * What the key lifecycle clients share: the store, the namespace they act in, the key policy
 * they enforce, the clock (rotation_due), and the backends opened for KMS connections (one per
 * connection revision, closed by `close`).
 *
 * @module
 */
import type { BackendConfig } from '../backends/configs';
import type { KmsBackend } from '../backends/contract';
import { audited, type AuditBase } from '../audit/audited';
import type { AuditInput } from '../audit/entry';
import { NotFoundError } from '../errors';
import { openWithLocalAuth } from '../managed/backend-binding';
import type { Policy } from '../policy/document';
import type { KeyStore, StoreRecord } from '../store/contract';
import { resolveNamespace } from '../store/namespaces';
import { backendConfigOf } from './connection-config';
import { CREDENTIAL_PREFIX, type KmsAttributes } from './records';

export interface LifecycleOptions {
  readonly store: KeyStore;
  /** @default $KEYPLANE_NAMESPACE, else root */
  readonly namespace?: string | undefined;
  /** Enforced on every create / distribute / update (none: everything the tables allow). */
  readonly policy?: Policy | undefined;
  /** @default createKmsBackend (with static tokens for loopback emulators) */
  readonly openBackend?: ((config: BackendConfig) => Promise<KmsBackend>) | undefined;
  /** @default () => new Date() */
  readonly now?: (() => Date) | undefined;
  /** Lease wait for distribute / rotate of one key. @default 60000 */
  readonly leaseWaitMs?: number | undefined;
  /** Lease time to live (how soon a crashed holder's lease can be taken). @default 30000 */
  readonly leaseTtlMs?: number | undefined;
}

export class LifecycleContext {
  readonly namespace: string;
  private readonly backends = new Map<string, { revision: number; backend: Promise<KmsBackend> }>();

  constructor(readonly options: LifecycleOptions) {
    this.namespace = resolveNamespace(options.namespace);
  }

  get store(): KeyStore {
    return this.options.store;
  }

  get policy(): Policy | undefined {
    return this.options.policy;
  }

  now(): Date {
    return this.options.now?.() ?? new Date();
  }

  async audited<T>(
    operation: string,
    target: string,
    details: NonNullable<AuditBase['details']>,
    body: (ok: AuditInput) => Promise<T>,
  ): Promise<T> {
    return await audited(
      this.store,
      { namespace: this.namespace, operation, target, details },
      body,
    );
  }

  async kmsRecord(name: string): Promise<StoreRecord<KmsAttributes>> {
    const record = await this.store.get<KmsAttributes>('kms', this.namespace, name);
    if (record === undefined) {
      throw new NotFoundError(
        `KMS connection '${name}' not found in namespace '${this.namespace}'`,
        {
          field: 'kms',
        },
      );
    }
    return record;
  }

  /** The backend config of a connection, credentials opened from the store. */
  configFor(record: StoreRecord<KmsAttributes>): BackendConfig {
    return backendConfigOf({ ...record.attributes, credentials: this.credentialsOf(record) });
  }

  /** The connection's credentials, opened from their sealed fields. */
  credentialsOf(record: StoreRecord<KmsAttributes>): Record<string, string> {
    return Object.fromEntries(
      record.secretFields
        .filter((f) => f.startsWith(CREDENTIAL_PREFIX))
        .map((f) => [
          f.slice(CREDENTIAL_PREFIX.length),
          this.store.secret(record, f).toString('utf8'),
        ]),
    );
  }

  /** The backend of a connection, opened once per connection revision. */
  async backendFor(record: StoreRecord<KmsAttributes>): Promise<KmsBackend> {
    const cached = this.backends.get(record.id);
    if (cached?.revision === record.revision) return await cached.backend;
    if (cached !== undefined) void cached.backend.then((b) => b.close()).catch(() => undefined);
    const config = this.configFor(record);
    const backend = (this.options.openBackend ?? openWithLocalAuth)(config);
    this.backends.set(record.id, { revision: record.revision, backend });
    return await backend;
  }

  async close(): Promise<void> {
    const open = [...this.backends.values()];
    this.backends.clear();
    await Promise.all(
      open.map(async (o) => {
        const backend = await o.backend.catch(() => undefined);
        await backend?.close();
      }),
    );
  }
}
