/**
 * Managed keys (Vault's `/sys/managed-keys`, https://developer.hashicorp.com/vault/api-docs/system/managed-keys)
 * as a library: create / update / read / list / delete registry entries (what an entry is:
 * managed-key-entry.ts), resolve an entry to its backend key — generating it only when
 * `allow_generate_key` is set and it is missing — `testSign` (test-sign.ts) and `storeKey`
 * (key-import.ts). Operations for consumers go through {@link CryptoClient} (crypto-client.ts);
 * named signing keys live in signing-keys.ts.
 *
 * @module
 */
import type { BackendConfig } from '../backends/configs';
import type { BackendKey, KmsBackend } from '../backends/contract';
import type { KeyMaterial } from '../crypto/key-material';
import { AlreadyExistsError, InUseError, NotFoundError } from '../errors';
import { audited, type AuditBase } from '../audit/audited';
import type { KeyStore } from '../store/contract';
import { resolveNamespace } from '../store/namespaces';
import { bindBackend, openWithLocalAuth, type Binding } from './backend-binding';
import { findOrGenerate } from './generation';
import { versionPublicKeys, type VersionPublicKey } from './public-keys';
import { PinnedResolutions } from './pinned-resolutions';
import { changedIdentity, refuseIdentityChange, type KeyIdentityPin } from './key-identity';

// Part of this module's surface before identities, entry rules and test/sign moved out.
export { publicKeySha256, type KeyIdentityPin } from './key-identity';
import { backendType, parseParameters, splitSecrets } from './parameters';
import {
  managedKeyFromStore,
  parametersOf,
  storedRecordOf,
  viewOf,
  type ManagedKeyAttributes,
  type ManagedKeyRecord,
  type ManagedKeyView,
  type SigningKeyAttributes,
} from './records';
import { checkGenerationParameters } from './signing-rules';
import {
  buildManagedKeyEntry,
  checkManagedKeyName,
  encodeSecrets,
  managedKeyIn,
  requireUsage,
} from './managed-key-entry';
import { importIntoBackend } from './key-import';
import { signAndVerify, type TestSignOptions, type TestSignResult } from './test-sign';
export { checkManagedKeyName, managedKeyIn, requireUsage } from './managed-key-entry';
export type { TestSignOptions, TestSignResult } from './test-sign';

export interface ManagedKeysOptions {
  readonly store: KeyStore;
  /** Namespace of every record this client reads and writes. @default $KEYPLANE_NAMESPACE, else root */
  readonly namespace?: string | undefined;
  /** Opens backends (tests inject configs' extras here). @default createKmsBackend */
  readonly openBackend?: ((config: BackendConfig) => Promise<KmsBackend>) | undefined;
}

/** A managed key resolved to its backend key. */
export interface ResolvedManagedKey {
  readonly record: ManagedKeyRecord;
  readonly binding: Binding;
  readonly backend: KmsBackend;
  readonly key: BackendKey;
  readonly generated: boolean;
}

export class ManagedKeys {
  /** Open backends by managed key id, with the record revision they were opened for. */
  private readonly backends: Map<string, { revision: number; backend: Promise<KmsBackend> }>;
  /** Resolved pinned versions by record revision (see resolveRecord). */
  private readonly pinned: PinnedResolutions;
  readonly namespace: string;

  /** `shared`: a client of another namespace whose open backends this one reuses. */
  constructor(
    private readonly options: ManagedKeysOptions,
    shared?: ManagedKeys,
  ) {
    this.namespace = resolveNamespace(options.namespace);
    this.backends =
      shared?.backends ?? new Map<string, { revision: number; backend: Promise<KmsBackend> }>();
    this.pinned = shared?.pinned ?? new PinnedResolutions();
  }

  get store(): KeyStore {
    return this.options.store;
  }

  /** The same store and open backends, acting in another namespace. */
  forNamespace(namespace: string): ManagedKeys {
    return new ManagedKeys({ ...this.options, namespace }, this);
  }

  private entry(operation: string, name: string, details: AuditBase['details'] = {}): AuditBase {
    return { namespace: this.namespace, operation, target: `managed_key/${name}`, details };
  }

  /** Creates a managed key entry. Names are unique across all types (AlreadyExistsError). */
  async create(
    type: string,
    name: string,
    input: Readonly<Record<string, unknown>>,
  ): Promise<ManagedKeyView> {
    return await audited(
      this.store,
      this.entry('managed-key.create', name, { type }),
      async (ok) => {
        const t = backendType(type);
        checkManagedKeyName(name);
        const { attributes, secrets } = buildManagedKeyEntry(
          t,
          name,
          parseParameters(t, input, true, true),
        );
        const stored = await this.store.transaction(async (tx) => {
          const existing = await tx.get<ManagedKeyAttributes>('managed_key', this.namespace, name);
          if (existing !== undefined) {
            throw new AlreadyExistsError(
              `managed key '${name}' already exists in namespace '${this.namespace}' (type ${existing.attributes.type}); names are unique across all types`,
              { field: 'name' },
            );
          }
          const record = await tx.insert({
            kind: 'managed_key',
            namespace: this.namespace,
            name,
            attributes,
            secrets: encodeSecrets(secrets),
          });
          await tx.audit(ok);
          return record;
        });
        return viewOf(managedKeyFromStore(stored));
      },
    );
  }

  /**
   * Updates parameters of an existing entry (given ones replace, others are kept). No
   * parameters: nothing is written. Racing another update: ConflictError; racing a delete:
   * NotFoundError (the entry is never brought back).
   */
  async update(
    name: string,
    input: Readonly<Record<string, unknown>>,
    type?: string,
  ): Promise<ManagedKeyView> {
    const current = await this.record(name, type);
    const parsed = parseParameters(current.type, input, false);
    if (Object.keys(parsed).length === 0) return viewOf(current);
    return await audited(
      this.store,
      this.entry('managed-key.update', name, { parameters: Object.keys(parsed).sort() }),
      async (ok) => {
        const changed = splitSecrets(current.type, parsed).secrets;
        const merged = {
          ...parametersOf(current),
          ...parsed,
          ...this.unsealSecrets(current),
          ...changed,
        };
        const { attributes } = buildManagedKeyEntry(current.type, name, merged);
        const identityChanged = changedIdentity(current, attributes.params);
        const stored = await this.store.transaction(async (tx) => {
          if (identityChanged.length > 0) {
            const users = await tx.list<SigningKeyAttributes>('signing_key', {
              namespace: this.namespace,
            });
            const using = users.filter((s) => s.ref === current.uuid).map((s) => s.name);
            refuseIdentityChange(current, identityChanged, using);
          }
          const record = await tx.update(
            { kind: 'managed_key', id: current.uuid, revision: current.revision },
            { attributes, secrets: encodeSecrets(changed) },
          );
          await tx.audit(ok);
          return record;
        });
        this.closeBackend(current.uuid);
        return viewOf(managedKeyFromStore(stored));
      },
    );
  }

  async read(name: string, type?: string): Promise<ManagedKeyView> {
    return viewOf(await this.record(name, type));
  }

  /** Public key of each enabled backend version; never generates (a missing key is []). */
  async publicKeys(name: string, type?: string): Promise<VersionPublicKey[]> {
    const record = await this.record(name, type);
    const binding = this.bind(record);
    return await versionPublicKeys(await this.backend(record, binding), binding.ref);
  }

  /** Names, sorted; only of `type` when given. */
  async list(type?: string): Promise<string[]> {
    const t = type === undefined ? undefined : backendType(type);
    const records = await this.store.list<ManagedKeyAttributes>('managed_key', {
      namespace: this.namespace,
    });
    return records.filter((r) => t === undefined || r.attributes.type === t).map((r) => r.name);
  }

  /** Deletes the entry (never the backend key), refused while a consumer lists or uses it. */
  async delete(name: string, type?: string): Promise<void> {
    const current = await this.record(name, type);
    await audited(this.store, this.entry('managed-key.delete', name), async (ok) => {
      await this.store.transaction(async (tx) => {
        const consumers = await tx.list<SigningKeyAttributes>('signing_key', {
          namespace: this.namespace,
        });
        const users = consumers
          .filter((s) => s.ref === current.uuid || s.attributes.allowed_managed_keys.includes(name))
          .map((s) => s.name);
        if (users.length > 0) {
          throw new InUseError(
            `managed key '${name}' is used by signing key(s) ${users.join(', ')}; delete them or remove it from their allowed_managed_keys first`,
            { field: 'name' },
          );
        }
        await tx.delete({ kind: 'managed_key', id: current.uuid, revision: current.revision });
        await tx.audit(ok);
      });
    });
    this.closeBackend(current.uuid);
  }

  /** Signs random data and verifies it (Vault's `test/sign`); generates the key first when allowed and missing. */
  async testSign(
    name: string,
    options: TestSignOptions = {},
    type?: string,
  ): Promise<TestSignResult> {
    return await audited(this.store, this.entry('managed-key.test-sign', name), async (ok) => {
      const record = await this.record(name, type);
      for (const usage of ['sign', 'verify'] as const) requireUsage(record, usage);
      const result = await signAndVerify(name, await this.resolveRecord(record), options);
      // Generating the key is a state change in the backend: recorded before returning.
      await this.store.appendAudit({
        ...ok,
        details: { key_version: result.key_version, key_generated: result.key_generated },
      });
      return result;
    });
  }

  /**
   * The backend key of a managed key. Missing: generated when `allow_generate_key`, else
   * NotFoundError naming the key parameter. Found: checked against the parameters.
   */
  async resolve(name: string, type?: string, version?: string): Promise<ResolvedManagedKey> {
    return await this.resolveRecord(await this.record(name, type), version);
  }

  /**
   * {@link resolve} for a record already read. A pinned `version` (a signing key's) is looked
   * up once per record revision and then served from memory: the operation path then costs the
   * backend operation alone, and a version disabled or deleted since is refused by the backend
   * itself (ERR_KEY_STATE / ERR_NOT_FOUND). Without a version the lookup is always live.
   */
  async resolveRecord(
    record: ManagedKeyRecord,
    version?: string,
    pin?: KeyIdentityPin,
  ): Promise<ResolvedManagedKey> {
    if (version === undefined) return await this.lookup(record, undefined);
    return await this.pinned.resolve(record, version, pin, () => this.lookup(record, version));
  }

  /**
   * What {@link resolveRecord} with this pinned version resolved for this very record object
   * (the store hands out the same object while the record is unchanged), without a promise;
   * undefined when only resolveRecord can answer.
   */
  resolvedNow(
    record: ManagedKeyRecord,
    version: string,
    pin: KeyIdentityPin,
  ): ResolvedManagedKey | undefined {
    return this.pinned.now(record, version, pin);
  }

  private async lookup(
    record: ManagedKeyRecord,
    version: string | undefined,
  ): Promise<ResolvedManagedKey> {
    const { name } = record;
    const binding = this.bind(record);
    const backend = await this.backend(record, binding);
    const ref = version === undefined ? binding.ref : { ...binding.ref, version };
    let key = await backend.findKey(ref);
    let generated = false;
    if (key === undefined) {
      if (version !== undefined) {
        throw new NotFoundError(
          `version ${version} of managed key '${name}' no longer exists in ${record.type}`,
          { field: 'version' },
        );
      }
      if (!record.allow_generate_key) {
        throw new NotFoundError(
          `managed key '${name}': key '${ref.name || String(ref.id)}' does not exist in ${record.type}; set allow_generate_key=true to let Keyplane generate it`,
          { field: 'allow_generate_key' },
        );
      }
      ({ key, generated } = await findOrGenerate(this.store, record, backend, binding));
    }
    checkGenerationParameters(record, binding, key);
    return { record, binding, backend, key, generated };
  }

  /**
   * Imports key material into the managed key's backend (`allow_store_key`); over an existing
   * key only with `allow_replace_key`.
   */
  async storeKey(name: string, material: KeyMaterial, type?: string): Promise<BackendKey> {
    return await audited(this.store, this.entry('managed-key.store-key', name), async (ok) => {
      const record = await this.record(name, type);
      const binding = this.bind(record);
      const backend = await this.backend(record, binding);
      const key = await importIntoBackend(record, backend, binding, material);
      await this.store.appendAudit({ ...ok, details: { version: key.version } });
      return key;
    });
  }

  /** Closes every backend connection this instance opened. */
  async close(): Promise<void> {
    const all = [...this.backends.values()].map((open) => open.backend);
    this.backends.clear();
    this.pinned.clear();
    await Promise.all(
      all.map(async (b) => {
        await (await b).close();
      }),
    );
  }

  /** The entry in this namespace, NotFoundError (naming the type filter when given) when absent. */
  async record(name: string, type?: string): Promise<ManagedKeyRecord> {
    const stored = await this.store.get('managed_key', this.namespace, name);
    return managedKeyIn(stored, this.namespace, name, type);
  }

  private bind(record: ManagedKeyRecord): Binding {
    return bindBackend(record.type, {
      name: record.name,
      usages: record.usages,
      params: record.params,
      secrets: this.unsealSecrets(record),
    });
  }

  /**
   * The open backend for this record revision. A record changed since (here or by another
   * process) gets a new connection with its new parameters; the superseded one is closed.
   */
  private backend(record: ManagedKeyRecord, binding: Binding): Promise<KmsBackend> {
    const open = this.backends.get(record.uuid);
    if (open?.revision === record.revision) return open.backend;
    if (open !== undefined) this.closeBackend(record.uuid);
    const backend = (this.options.openBackend ?? openWithLocalAuth)(binding.config);
    const entry = { revision: record.revision, backend };
    this.backends.set(record.uuid, entry);
    backend.catch(() => {
      if (this.backends.get(record.uuid) === entry) this.backends.delete(record.uuid);
    });
    return backend;
  }

  private closeBackend(id: string): void {
    const open = this.backends.get(id);
    this.backends.delete(id);
    void open?.backend.then((b) => b.close()).catch(() => undefined);
  }

  /** The secret parameters, opened from their sealed fields. */
  private unsealSecrets(record: ManagedKeyRecord): Record<string, string> {
    const stored = storedRecordOf(record);
    if (stored === undefined) return {};
    return Object.fromEntries(
      record.secret_names.map((field) => {
        const bytes = this.store.secret(stored, field);
        try {
          return [field, bytes.toString('utf8')];
        } finally {
          bytes.fill(0);
        }
      }),
    );
  }
}
