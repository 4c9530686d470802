/**
 * Named signing keys over managed keys (seed 000: `transit/keys/<name> type=managed_key
 * managed_key_name=<key>`). A signing key is the managed key's consumer: it may use the managed
 * key only when that key has `any_mount=true` or the signing key lists it in
 * `allowed_managed_keys` (Vault's per-mount setting). Versions pin the backend key version that
 * signs for `v<N>`, so a replaced backend key never silently changes what `v1` means.
 *
 * @module
 */
import { AlreadyExistsError, NotFoundError, NotPermittedError } from '../errors';
import { checkManagedKeyName, type ManagedKeys } from './managed-keys';
import { own, type ManagedKeyRecord, type RegistryData, type SigningKeyRecord } from './records';

export interface CreateSigningKeyOptions {
  /** The managed key that signs (`managed_key_name`). */
  readonly managed_key: string;
  /** Managed keys this consumer may use without `any_mount`. @default [] */
  readonly allowed_managed_keys?: readonly string[] | undefined;
}

/** Refuses a consumer not allowed to use `managed` (any_mount / allowed_managed_keys). */
export function checkConsumerAllowed(
  consumer: string,
  allowed: readonly string[],
  managed: ManagedKeyRecord,
): void {
  if (managed.any_mount || allowed.includes(managed.name)) return;
  throw new NotPermittedError(
    `signing key '${consumer}' may not use managed key '${managed.name}': set any_mount=true on the managed key or list it in the signing key's allowed_managed_keys`,
    { field: 'allowed_managed_keys' },
  );
}

/** The signing key named `name` in `data`, or NotFoundError. */
export function signingKeyIn(data: RegistryData, name: string): SigningKeyRecord {
  const found = own(data.signing_keys, name);
  if (found === undefined) {
    throw new NotFoundError(`signing key '${name}' does not exist`, { field: 'key' });
  }
  return found;
}

export class SigningKeys {
  constructor(private readonly managed: ManagedKeys) {}

  /** Creates a signing key; resolves (and, if allowed, generates) the managed key for v1. */
  async create(name: string, options: CreateSigningKeyOptions): Promise<SigningKeyRecord> {
    checkManagedKeyName(name);
    const allowed = [...new Set(options.allowed_managed_keys ?? [])];
    const record = await this.managed.record(options.managed_key);
    checkConsumerAllowed(name, allowed, record);
    const existing = await this.find(name);
    if (existing !== undefined) {
      throw new AlreadyExistsError(`signing key '${name}' already exists`, { field: 'name' });
    }
    const resolved = await this.managed.resolveRecord(record);
    const now = new Date().toISOString();
    const signingKey: SigningKeyRecord = {
      name,
      managed_key: options.managed_key,
      allowed_managed_keys: allowed,
      latest_version: 1,
      versions: { '1': { backend_version: resolved.key.version, created_at: now } },
      created_at: now,
    };
    return await this.managed.store.update((data) => {
      if (own(data.signing_keys, name) !== undefined) {
        throw new AlreadyExistsError(`signing key '${name}' already exists`, { field: 'name' });
      }
      if (own(data.managed_keys, options.managed_key) === undefined) {
        throw new NotFoundError(`managed key '${options.managed_key}' does not exist`, {
          field: 'managed_key',
        });
      }
      return {
        data: { ...data, signing_keys: { ...data.signing_keys, [name]: signingKey } },
        result: signingKey,
      };
    });
  }

  /** Adds version N+1 pinned to the managed key's current backend version (no-op if unchanged). */
  async rotate(name: string): Promise<SigningKeyRecord> {
    const current = await this.get(name);
    const resolved = await this.managed.resolve(current.managed_key);
    const latest = current.versions[String(current.latest_version)];
    if (latest?.backend_version === resolved.key.version) return current;
    const version = current.latest_version + 1;
    const next: SigningKeyRecord = {
      ...current,
      latest_version: version,
      versions: {
        ...current.versions,
        [String(version)]: {
          backend_version: resolved.key.version,
          created_at: new Date().toISOString(),
        },
      },
    };
    return await this.managed.store.update((data) => ({
      data: { ...data, signing_keys: { ...data.signing_keys, [name]: next } },
      result: next,
    }));
  }

  async get(name: string): Promise<SigningKeyRecord> {
    return signingKeyIn(await this.managed.store.read(), name);
  }

  async list(): Promise<string[]> {
    return Object.keys((await this.managed.store.read()).signing_keys).sort();
  }

  async delete(name: string): Promise<void> {
    await this.get(name);
    await this.managed.store.update((data) => ({
      data: {
        ...data,
        signing_keys: Object.fromEntries(
          Object.entries(data.signing_keys).filter(([n]) => n !== name),
        ),
      },
      result: undefined,
    }));
  }

  private async find(name: string): Promise<SigningKeyRecord | undefined> {
    const data = await this.managed.store.read();
    return own(data.signing_keys, name);
  }
}
