/**
 * Named signing keys over managed keys (Vault Transit, https://developer.hashicorp.com/vault/docs/secrets/transit#managed-keys: `transit/keys/<name> type=managed_key
 * managed_key_name=<key>`). A signing key is the managed key's consumer: it may use the managed
 * key only when that key has `any_mount=true` or the signing key lists it in
 * `allowed_managed_keys` (Vault's per-mount setting), and only managed keys of its own
 * namespace. Versions pin the backend key version *and identity* that signs for `v<N>`, so a
 * replaced backend key never silently changes what `v1` means.
 *
 * @module
 */
import { audited } from '../audit/audited';
import { AlreadyExistsError, NotFoundError, NotPermittedError } from '../errors';
import type { StoreRecord, StoreTx } from '../store/contract';
import { createHash } from 'node:crypto';
import {
  checkManagedKeyName,
  requireUsage,
  type ManagedKeys,
  type ResolvedManagedKey,
} from './managed-keys';
import type {
  ManagedKeyRecord,
  SigningKeyAttributes,
  SigningKeyRecord,
  SigningKeyVersion,
} from './records';

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

export function signingKeyMissing(namespace: string, name: string): NotFoundError {
  const ns = namespace === 'root' ? '' : ` in namespace '${namespace}'`;
  return new NotFoundError(`signing key '${name}' does not exist${ns}`, { field: 'key' });
}

/** The identity a version pins: backend id and the SHA-256 of the public key. */
async function identityOf(
  resolved: ResolvedManagedKey,
): Promise<Omit<SigningKeyVersion, 'created_at'>> {
  const pinned = { backend_version: resolved.key.version, backend_key_id: resolved.key.id };
  if (resolved.key.signatures.length === 0) return { ...pinned, public_key_sha256: '' };
  const publicKey = await resolved.backend.getPublicKey(resolved.key);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return {
    ...pinned,
    public_key_sha256: createHash('sha256').update(spki).digest('hex'),
    // Recorded so `signing-key read` shows it without the backend (verifiable with openssl).
    public_key_pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function sameIdentity(
  pinned: Omit<SigningKeyVersion, 'created_at'>,
  current: Omit<SigningKeyVersion, 'created_at'>,
): boolean {
  // '' = not pinned (versions written before identities were recorded).
  const matches = (a: string, b: string) => a === '' || a === b;
  return (
    pinned.backend_version === current.backend_version &&
    matches(pinned.backend_key_id, current.backend_key_id) &&
    matches(pinned.public_key_sha256, current.public_key_sha256)
  );
}

export class SigningKeys {
  constructor(private readonly managed: ManagedKeys) {}

  private get store() {
    return this.managed.store;
  }

  private get namespace(): string {
    return this.managed.namespace;
  }

  /** Creates a signing key; resolves (and, if allowed, generates) the managed key for v1. */
  async create(name: string, options: CreateSigningKeyOptions): Promise<SigningKeyRecord> {
    const entry = {
      namespace: this.namespace,
      operation: 'signing-key.create',
      target: `signing_key/${name}`,
      details: { managed_key: options.managed_key },
    };
    return await audited(this.store, entry, async (ok) => {
      checkManagedKeyName(name);
      const allowed = [...new Set(options.allowed_managed_keys ?? [])];
      for (const other of allowed) {
        if ((await this.store.get('managed_key', this.namespace, other)) === undefined) {
          throw new NotFoundError(
            `allowed_managed_keys names managed key '${other}', which does not exist in namespace '${this.namespace}'`,
            { field: 'allowed_managed_keys' },
          );
        }
      }
      const record = await this.managed.record(options.managed_key);
      requireUsage(record, 'sign');
      checkConsumerAllowed(name, allowed, record);
      if ((await this.store.get('signing_key', this.namespace, name)) !== undefined) {
        throw new AlreadyExistsError(`signing key '${name}' already exists`, { field: 'name' });
      }
      const identity = await identityOf(await this.managed.resolveRecord(record));
      await this.store.transaction(async (tx) => {
        if ((await tx.getById('managed_key', record.uuid)) === undefined) {
          throw new NotFoundError(`managed key '${options.managed_key}' does not exist`, {
            field: 'managed_key',
          });
        }
        const attributes: SigningKeyAttributes = {
          managed_key: options.managed_key,
          allowed_managed_keys: allowed,
          latest_version: 1,
        };
        const key = await tx.insert({
          kind: 'signing_key',
          namespace: this.namespace,
          name,
          ref: record.uuid,
          attributes,
        });
        await this.addVersion(tx, key, 1, identity);
        await tx.audit({
          ...ok,
          details: { ...entry.details, backend_version: identity.backend_version },
        });
      });
      return await this.get(name);
    });
  }

  /** Adds version N+1 pinned to the managed key's current backend key (no-op if unchanged). */
  async rotate(name: string): Promise<SigningKeyRecord> {
    const entry = {
      namespace: this.namespace,
      operation: 'signing-key.rotate',
      target: `signing_key/${name}`,
    };
    return await audited(this.store, entry, async (ok) => {
      const current = await this.stored(name);
      const latest = await this.version(current, current.attributes.latest_version);
      const resolved = await this.managed.resolve(current.attributes.managed_key);
      const identity = await identityOf(resolved);
      // Same version *and* same key: a key replaced under its old version number (a new
      // PKCS#11 object labelled like the old one) is a new signing-key version too.
      if (latest !== undefined && sameIdentity(latest, identity)) return await this.get(name);
      const version = current.attributes.latest_version + 1;
      await this.store.transaction(async (tx) => {
        const updated = await tx.update<SigningKeyAttributes>(
          { kind: 'signing_key', id: current.id, revision: current.revision },
          { attributes: { ...current.attributes, latest_version: version } },
        );
        await this.addVersion(tx, updated, version, identity);
        await tx.audit({ ...ok, details: { version, backend_version: identity.backend_version } });
      });
      return await this.get(name);
    });
  }

  private async addVersion(
    tx: StoreTx,
    key: StoreRecord,
    version: number,
    identity: Omit<SigningKeyVersion, 'created_at'>,
  ): Promise<void> {
    const attributes: SigningKeyVersion = { ...identity, created_at: new Date().toISOString() };
    await tx.insert({
      kind: 'signing_key_version',
      namespace: key.namespace,
      name: String(version),
      parent: key.id,
      attributes,
    });
  }

  /** The signing key record as stored; NotFoundError when missing. */
  async stored(name: string): Promise<StoreRecord<SigningKeyAttributes>> {
    const found = await this.store.get<SigningKeyAttributes>('signing_key', this.namespace, name);
    if (found === undefined) throw signingKeyMissing(this.namespace, name);
    return found;
  }

  /** Version `n` of a stored signing key (cached read), undefined when it has none. */
  async version(key: StoreRecord, n: number): Promise<SigningKeyVersion | undefined> {
    const v = await this.store.get<SigningKeyVersion>(
      'signing_key_version',
      key.namespace,
      String(n),
      key.id,
    );
    return v?.attributes;
  }

  async get(name: string): Promise<SigningKeyRecord> {
    const key = await this.stored(name);
    const versions = await this.store.list<SigningKeyVersion>('signing_key_version', {
      parent: key.id,
    });
    return {
      namespace: key.namespace,
      name: key.name,
      managed_key: key.attributes.managed_key,
      allowed_managed_keys: key.attributes.allowed_managed_keys,
      latest_version: key.attributes.latest_version,
      versions: Object.fromEntries(
        versions.sort((a, b) => Number(a.name) - Number(b.name)).map((v) => [v.name, v.attributes]),
      ),
      created_at: key.createdAt,
    };
  }

  async list(): Promise<string[]> {
    return (await this.store.list('signing_key', { namespace: this.namespace })).map((r) => r.name);
  }

  async delete(name: string): Promise<void> {
    const entry = {
      namespace: this.namespace,
      operation: 'signing-key.delete',
      target: `signing_key/${name}`,
    };
    await audited(this.store, entry, async (ok) => {
      const current = await this.stored(name);
      await this.store.transaction(async (tx) => {
        await tx.delete({ kind: 'signing_key', id: current.id, revision: current.revision });
        await tx.audit(ok);
      });
    });
  }
}
