/**
 * Managed keys (seed 003 `/sys/managed-keys`) as a library: create / update / read / list /
 * delete registry entries, resolve an entry to its backend key — generating it only when
 * `allow_generate_key` is set and it is missing — and `testSign`. Operations for consumers go
 * through {@link CryptoClient} (crypto-client.ts); named signing keys live in signing-keys.ts.
 *
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { hashAlgorithm, type HashAlgorithmName } from '../algorithms/hashes';
import type { BackendConfig } from '../backends/configs';
import type { BackendKey, KeyUsage, KmsBackend } from '../backends/contract';
import { createKmsBackend } from '../backends/factory';
import type { KeyMaterial } from '../crypto/key-material';
import {
  AlreadyExistsError,
  BackendError,
  InvalidArgumentError,
  InUseError,
  NotFoundError,
  NotPermittedError,
  UsageNotAllowedError,
} from '../errors';
import { PassphraseSeal, type Seal } from '../seal/passphrase';
import { bindBackend, type Binding } from './backend-binding';
import {
  backendType,
  checkRequired,
  parseParameters,
  splitSecrets,
  type Parameters,
} from './parameters';
import {
  own,
  parametersOf,
  viewOf,
  type ManagedKeyRecord,
  type ManagedKeyView,
  type RegistryData,
} from './records';
import type { RegistryStore } from './registry-store';
import { checkGenerationParameters, signOptionsFor, type SignRequest } from './signing-rules';

export interface ManagedKeysOptions {
  readonly store: RegistryStore;
  /** Seals secret parameters at rest. @default PassphraseSeal.fromEnv() */
  readonly seal?: Seal | undefined;
  /** Opens backends (tests inject configs' extras here). @default createKmsBackend */
  readonly openBackend?: ((config: BackendConfig) => Promise<KmsBackend>) | undefined;
}

export interface TestSignOptions {
  /** @default 'sha2-256' (or the key's only hash, for GCP keys fixed to another) */
  readonly hash_algorithm?: string | undefined;
  /** @default the mechanism's / algorithm's padding, else false */
  readonly use_pss?: boolean | undefined;
}

export interface TestSignResult {
  readonly name: string;
  readonly type: string;
  /** undefined for Ed25519 (pure EdDSA). */
  readonly hash_algorithm: HashAlgorithmName | undefined;
  readonly use_pss: boolean;
  /** The backend key version that signed. */
  readonly key_version: string;
  /** True when this call generated the key (allow_generate_key). */
  readonly key_generated: boolean;
}

/** A managed key resolved to its backend key. */
export interface ResolvedManagedKey {
  readonly record: ManagedKeyRecord;
  readonly binding: Binding;
  readonly backend: KmsBackend;
  readonly key: BackendKey;
  readonly generated: boolean;
}

const NAME = /^[a-z0-9][a-z0-9_.-]{0,127}$/;

export function checkManagedKeyName(name: string, field = 'name'): void {
  if (!NAME.test(name)) {
    throw new InvalidArgumentError(
      `${field} '${name}' must be lowercase letters, digits, '.', '_' or '-' (1-128, starting with a letter or digit)`,
      { field },
    );
  }
}

export class ManagedKeys {
  /** Open backends by managed key name, with the record revision they were opened for. */
  private readonly backends = new Map<string, { revision: string; backend: Promise<KmsBackend> }>();
  /** Resolved pinned versions by record revision (see resolveRecord). */
  private readonly pinned = new Map<string, Promise<ResolvedManagedKey>>();

  constructor(private readonly options: ManagedKeysOptions) {}

  get store(): RegistryStore {
    return this.options.store;
  }

  /** Creates a managed key entry. Names are unique across all types (AlreadyExistsError). */
  async create(
    type: string,
    name: string,
    input: Readonly<Record<string, unknown>>,
  ): Promise<ManagedKeyView> {
    const t = backendType(type);
    checkManagedKeyName(name);
    const record = this.buildRecord(
      t,
      name,
      parseParameters(t, input, true),
      randomUUID(),
      undefined,
    );
    return await this.options.store.update((data) => {
      const existing = own(data.managed_keys, name);
      if (existing !== undefined) {
        throw new AlreadyExistsError(
          `managed key '${name}' already exists (type ${existing.type}); names are unique across all types`,
          {
            field: 'name',
          },
        );
      }
      return {
        data: { ...data, managed_keys: { ...data.managed_keys, [name]: record } },
        result: viewOf(record),
      };
    });
  }

  /** Updates parameters of an existing entry (given ones replace, others are kept). */
  async update(
    name: string,
    input: Readonly<Record<string, unknown>>,
    type?: string,
  ): Promise<ManagedKeyView> {
    const current = await this.record(name, type);
    const parsed = parseParameters(current.type, input, false);
    const secrets = {
      ...this.unsealSecrets(current),
      ...splitSecrets(current.type, parsed).secrets,
    };
    const merged = { ...parametersOf(current), ...parsed, ...secrets };
    const record = this.buildRecord(current.type, name, merged, current.uuid, current.created_at);
    this.closeBackend(name);
    return await this.options.store.update((data) => ({
      data: { ...data, managed_keys: { ...data.managed_keys, [name]: record } },
      result: viewOf(record),
    }));
  }

  async read(name: string, type?: string): Promise<ManagedKeyView> {
    return viewOf(await this.record(name, type));
  }

  /** Names, sorted; only of `type` when given. */
  async list(type?: string): Promise<string[]> {
    const t = type === undefined ? undefined : backendType(type);
    const data = await this.options.store.read();
    return Object.values(data.managed_keys)
      .filter((r) => t === undefined || r.type === t)
      .map((r) => r.name)
      .sort();
  }

  /** Deletes the entry (never the backend key), refused while a consumer lists or uses it. */
  async delete(name: string, type?: string): Promise<void> {
    await this.record(name, type);
    this.closeBackend(name);
    await this.options.store.update((data) => {
      const users = Object.values(data.signing_keys)
        .filter((s) => s.managed_key === name || s.allowed_managed_keys.includes(name))
        .map((s) => s.name);
      if (users.length > 0) {
        throw new InUseError(
          `managed key '${name}' is used by signing key(s) ${users.join(', ')}; delete them or remove it from their allowed_managed_keys first`,
          {
            field: 'name',
          },
        );
      }
      const rest = Object.fromEntries(
        Object.entries(data.managed_keys).filter(([n]) => n !== name),
      );
      return { data: { ...data, managed_keys: rest }, result: undefined };
    });
  }

  /** Signs random data and verifies it (seed 003 `test/sign`); generates the key first when allowed and missing. */
  async testSign(
    name: string,
    options: TestSignOptions = {},
    type?: string,
  ): Promise<TestSignResult> {
    const record = await this.record(name, type);
    for (const usage of ['sign', 'verify'] as const) requireUsage(record, usage);
    const resolved = await this.resolveRecord(record);
    const request: SignRequest = {
      hash:
        options.hash_algorithm === undefined
          ? undefined
          : hashAlgorithm(options.hash_algorithm).name,
      pss: options.use_pss,
    };
    const signOptions = signOptionsFor(resolved, request);
    const data = randomBytes(64);
    const signature = await resolved.backend.sign(resolved.key, data, signOptions);
    const valid = await resolved.backend.verify(resolved.key, data, signature, signOptions);
    if (!valid) {
      // Nothing the caller passed is wrong: the backend signed with another key than it
      // verifies with, or returned a damaged signature.
      throw new BackendError(
        `test/sign: the signature made by managed key '${name}' did not verify with the same key (${record.type})`,
      );
    }
    return {
      name,
      type: record.type,
      hash_algorithm: signOptions.hash,
      use_pss: signOptions.pss === true,
      key_version: resolved.key.version,
      key_generated: resolved.generated,
    };
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
  async resolveRecord(record: ManagedKeyRecord, version?: string): Promise<ResolvedManagedKey> {
    if (version === undefined) return await this.lookup(record, undefined);
    const id = `${record.uuid}@${record.updated_at}#${version}`;
    let pinned = this.pinned.get(id);
    if (pinned === undefined) {
      pinned = this.lookup(record, version);
      this.pinned.set(id, pinned);
      pinned.catch(() => this.pinned.delete(id));
    }
    return await pinned;
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
      key = await backend.generateKey(ref, binding.spec());
      generated = true;
    }
    checkGenerationParameters(record, binding, key);
    return { record, binding, backend, key, generated };
  }

  /**
   * Imports key material into the managed key's backend (`allow_store_key`); over an existing
   * key only with `allow_replace_key`.
   */
  async storeKey(name: string, material: KeyMaterial, type?: string): Promise<BackendKey> {
    const record = await this.record(name, type);
    if (!record.allow_store_key) {
      throw new NotPermittedError(
        `managed key '${name}' does not allow importing keys; set allow_store_key=true`,
        {
          field: 'allow_store_key',
        },
      );
    }
    const binding = this.bind(record);
    const backend = await this.backend(record, binding);
    const existing = await backend.findKey(binding.ref);
    if (existing !== undefined && !record.allow_replace_key) {
      throw new NotPermittedError(
        `managed key '${name}' already has a key in ${record.type}; set allow_replace_key=true to replace it`,
        {
          field: 'allow_replace_key',
        },
      );
    }
    const versions = existing === undefined ? [] : await backend.listVersions(binding.ref);
    // Versions the backend made itself (a generated key) carry no Keyplane tag but still count.
    const next = Math.max(versions.length, ...versions.map((v) => v.keyplaneVersion ?? 0)) + 1;
    const imported = await backend.importKeyVersion(binding.ref, material, {
      keyplaneKey: name,
      keyplaneVersion: next,
      usages: record.usages.filter((u): u is KeyUsage => u !== 'random'),
    });
    return await backend.getKey({ ...binding.ref, version: imported.version });
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

  /** The registry entry, NotFoundError (naming the type filter when given) when absent. */
  async record(name: string, type?: string): Promise<ManagedKeyRecord> {
    return managedKeyIn(await this.options.store.read(), name, type);
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
    const open = this.backends.get(record.name);
    if (open?.revision === record.updated_at) return open.backend;
    if (open !== undefined) this.closeBackend(record.name);
    const backend = (this.options.openBackend ?? openWithLocalAuth)(binding.config);
    const entry = { revision: record.updated_at, backend };
    this.backends.set(record.name, entry);
    backend.catch(() => {
      if (this.backends.get(record.name) === entry) this.backends.delete(record.name);
    });
    return backend;
  }

  private closeBackend(name: string): void {
    const open = this.backends.get(name);
    this.backends.delete(name);
    void open?.backend.then((b) => b.close()).catch(() => undefined);
  }

  private seal(): Seal {
    return (
      this.options.seal ??
      PassphraseSeal.require(
        process.env,
        'to store managed-key secrets (pin, client_secret, access_key, secret_key) sealed',
      )
    );
  }

  private unsealSecrets(record: ManagedKeyRecord): Record<string, string> {
    if (record.sealed_secrets === undefined) return {};
    const bytes = this.seal().unseal(record.sealed_secrets, `managed-key:${record.uuid}`);
    try {
      return JSON.parse(bytes.toString('utf8')) as Record<string, string>;
    } finally {
      bytes.fill(0);
    }
  }

  private buildRecord(
    type: ManagedKeyRecord['type'],
    name: string,
    all: Parameters,
    uuid: string,
    createdAt: string | undefined,
  ): ManagedKeyRecord {
    checkRequired(type, all);
    const { plain, secrets } = splitSecrets(type, all);
    const { allow_generate_key, allow_replace_key, allow_store_key, any_mount, usages, ...params } =
      plain;
    const now = new Date().toISOString();
    const record: ManagedKeyRecord = {
      uuid,
      name,
      type,
      allow_generate_key: allow_generate_key === true,
      allow_replace_key: allow_replace_key === true,
      allow_store_key: allow_store_key === true,
      any_mount: any_mount === true,
      usages: (usages ?? ['sign', 'verify']) as readonly KeyUsage[],
      params,
      secret_names: Object.keys(secrets).sort(),
      ...(Object.keys(secrets).length === 0
        ? {}
        : {
            sealed_secrets: this.seal().seal(
              Buffer.from(JSON.stringify(secrets)),
              `managed-key:${uuid}`,
            ),
          }),
      created_at: createdAt ?? now,
      updated_at: now,
    };
    // Validates the cross-parameter rules (mechanism/curve/key_bits, endpoint/insecure) now,
    // at create time, rather than at first use.
    const binding = bindBackend(type, { name, usages: record.usages, params, secrets });
    if (record.allow_generate_key) binding.spec();
    return record;
  }
}

/** The entry named `name` (of `type`, when given) in `data`, or NotFoundError. */
export function managedKeyIn(data: RegistryData, name: string, type?: string): ManagedKeyRecord {
  const record = own(data.managed_keys, name);
  if (record === undefined || (type !== undefined && record.type !== backendType(type))) {
    const where = type === undefined ? '' : ` of type ${type}`;
    throw new NotFoundError(`managed key '${name}'${where} does not exist`, { field: 'name' });
  }
  return record;
}

/** Refuses an operation missing from the entry's `usages`. */
export function requireUsage(record: ManagedKeyRecord, usage: KeyUsage): void {
  if (!record.usages.includes(usage)) {
    throw new UsageNotAllowedError(
      `managed key '${record.name}' does not allow '${usage}'; its usages are ${record.usages.join(', ')}`,
      { field: 'usages', allowed: record.usages },
    );
  }
}

/**
 * createKmsBackend, plus a static token for a GCP emulator on loopback (`insecure`) so the
 * Google auth library never goes looking for metadata servers offline.
 */
async function openWithLocalAuth(config: BackendConfig): Promise<KmsBackend> {
  if (
    config.type === 'gcpckms' &&
    config.insecure === true &&
    config.credentialsFile === undefined &&
    config.authClient === undefined
  ) {
    const { OAuth2Client } = await import('google-auth-library');
    const authClient = new OAuth2Client();
    authClient.setCredentials({
      access_token: 'keyplane-local-dev',
      expiry_date: Date.now() + 3_600_000,
    });
    return await createKmsBackend({ ...config, authClient });
  }
  return await createKmsBackend(config);
}
