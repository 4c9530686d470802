/**
 * Central keys (Vault `keymgmt/key/:name`): create, read, list, rotate, update, delete, and
 * rotateDue. Each version's material is generated and sealed into the store (or generated in
 * the origin token) by key-version-insert.ts; reads return public metadata only. Rotation and updates end by converging every
 * distribution of the key (Distributions.sync), under the key's lease.
 *
 * @module
 */
import { keyType, type KeyTypeName } from '../algorithms/key-types';
import { ConcurrencyLimiter } from '../backends/common/limiter';
import type { AuditInput } from '../audit/entry';
import {
  AlreadyExistsError,
  ConflictError,
  InUseError,
  InvalidArgumentError,
  NotFoundError,
  NotPermittedError,
} from '../errors';
import { enforcePolicy } from '../policy/evaluate';
import type { StoreReader, StoreRecord } from '../store/contract';
import { LifecycleContext, type LifecycleOptions } from './context';
import { Distributions } from './distributions';
import { keyRecord, keyVersions, keyView, rotationDueAt, type KeyRecord } from './key-records';
import { checkMinEnabled, checkRotationPeriod, keyIntent } from './key-inputs';
import { insertKeyVersion, type TokenVersion } from './key-version-insert';
import { checkKeyName } from './names';
import { destroyInToken, generateInToken, resolveOrigin } from './origin';
import { reconcileKey, type ReconcileReport } from './reconcile';
import type { KeyAttributes, KeyView, KmsAttributes } from './records';

export interface KeyCreateInput {
  readonly type?: string | undefined;
  readonly deletion_allowed?: boolean | undefined;
  readonly min_enabled_version?: number | undefined;
  readonly rotation_period?: string | undefined;
  /**
   * `software` (node:crypto, sealed in the store) or `hsm:<kms>`: generated inside the token of
   * that pkcs11 KMS connection (same namespace), exported only wrapped.
   * @default 'software'
   */
  readonly origin?: string | undefined;
}

export interface KeyUpdateInput {
  readonly deletion_allowed?: boolean | undefined;
  readonly min_enabled_version?: number | undefined;
  readonly rotation_period?: string | undefined;
  /** Refused when it differs (type is immutable). */
  readonly type?: string | undefined;
}

/** Keys rotated at once by rotateDue when not given. */
const DEFAULT_ROTATE_CONCURRENCY = 8;

export interface RotateDueOptions {
  /** Keys rotated at once (their clouds are bounded by each backend's max_parallel). @default 8 */
  readonly concurrency?: number | undefined;
}

export interface RotateDueResult {
  /** Keys rotated by this call, with their new latest version. */
  readonly rotated: readonly {
    readonly name: string;
    readonly version: number;
    readonly due_at: string;
  }[];
}

export class KeyClient {
  readonly context: LifecycleContext;
  readonly distributions: Distributions;

  constructor(options: LifecycleOptions | LifecycleContext) {
    this.context = options instanceof LifecycleContext ? options : new LifecycleContext(options);
    this.distributions = new Distributions(this.context);
  }

  private get ns(): string {
    return this.context.namespace;
  }

  async create(name: string, input: KeyCreateInput): Promise<KeyView> {
    return await this.context.audited(
      'key.create',
      `key/${name}`,
      { type: input.type ?? '' },
      async (ok) => {
        checkKeyName(name, this.ns);
        const type = keyType(input.type ?? '', 'type').name;
        const origin = input.origin ?? 'software';
        const resolved = await resolveOrigin(this.context, origin, type);
        const attributes: KeyAttributes = {
          type,
          origin,
          deletion_allowed: input.deletion_allowed ?? false,
          min_enabled_version: checkMinEnabled(input.min_enabled_version ?? 0, 1),
          rotation_period: checkRotationPeriod(input.rotation_period ?? ''),
          latest_version: 1,
        };
        enforcePolicy(this.context.policy, keyIntent(this.ns, name, attributes, 'create'));
        if (resolved.kind === 'hsm') {
          await this.createInToken(name, attributes, resolved.kms, ok);
          return await this.read(name);
        }
        await this.context.store.transaction(async (tx) => {
          if ((await tx.get('key', this.ns, name)) !== undefined) {
            throw new AlreadyExistsError(`key '${name}' already exists in namespace '${this.ns}'`, {
              field: 'name',
            });
          }
          const key = await tx.insert<KeyAttributes>({
            kind: 'key',
            namespace: this.ns,
            name,
            attributes,
          });
          await insertKeyVersion(this.context, tx, key, 1);
          await tx.audit(ok);
        });
        return await this.read(name);
      },
    );
  }

  async read(name: string): Promise<KeyView> {
    const key = await keyRecord(this.context, name);
    const versions = await keyVersions(this.context.store, key);
    return keyView(key, versions, await this.distributions.kmsOf(key), this.context.now());
  }

  async list(): Promise<string[]> {
    return (await this.context.store.list('key', { namespace: this.ns })).map((r) => r.name);
  }

  /** A new version (latest = current), pushed to every distribution of the key. */
  async rotate(name: string): Promise<KeyView> {
    await this.rotateWhen(name, false);
    return await this.read(name);
  }

  /**
   * Rotates under the key's lease; with `onlyIfDue` the due check runs again inside the
   * transaction, so concurrent `rotate --due` runs rotate a due key once. Returns the new
   * version, or undefined when it was not due (any more).
   */
  private async rotateWhen(name: string, onlyIfDue: boolean): Promise<number | undefined> {
    return await this.context.audited('key.rotate', `key/${name}`, {}, async (ok) => {
      const key = await keyRecord(this.context, name);
      return await this.distributions.withKeyLease(key, async () => {
        // HSM origin: the token generates (or adopts) the next version before the store write;
        // the lease keeps another rotation from taking the same number meanwhile.
        const before = await keyRecord(this.context, name);
        if (onlyIfDue && !(await this.isDue(before))) return undefined;
        const next = before.attributes.latest_version + 1;
        const inToken = await this.tokenVersion(before, next);
        const rotated = await this.context.store.transaction(async (tx) => {
          const fresh = await keyRecord(this.context, name, tx);
          if (onlyIfDue && !(await this.isDue(fresh, tx))) return undefined;
          const version = fresh.attributes.latest_version + 1;
          if (inToken !== undefined && version !== next) {
            throw new ConflictError(`key '${name}' was rotated concurrently; retry`, {
              field: 'name',
            });
          }
          await insertKeyVersion(this.context, tx, fresh, version, inToken);
          const updated = await tx.update<KeyAttributes>(fresh, {
            attributes: { ...fresh.attributes, latest_version: version },
          });
          await tx.audit({ ...ok, details: { version, due: onlyIfDue } });
          return updated;
        });
        if (rotated === undefined) return undefined;
        await this.distributions.syncKey(rotated, rotated.attributes.min_enabled_version > 0);
        return rotated.attributes.latest_version;
      });
    });
  }

  async update(name: string, input: KeyUpdateInput): Promise<KeyView> {
    return await this.context.audited('key.update', `key/${name}`, {}, async (ok) => {
      const key = await keyRecord(this.context, name);
      if (input.type !== undefined && input.type !== key.attributes.type) {
        throw new InvalidArgumentError(
          `type of key '${name}' cannot be changed (it is ${key.attributes.type}); create a new key instead`,
          { field: 'type' },
        );
      }
      await this.distributions.withKeyLease(key, async () => {
        const updated = await this.context.store.transaction(async (tx) => {
          const fresh = await keyRecord(this.context, name, tx);
          const a = fresh.attributes;
          const attributes: KeyAttributes = {
            ...a,
            deletion_allowed: input.deletion_allowed ?? a.deletion_allowed,
            min_enabled_version: checkMinEnabled(
              input.min_enabled_version ?? a.min_enabled_version,
              a.latest_version,
            ),
            rotation_period: checkRotationPeriod(input.rotation_period ?? a.rotation_period),
          };
          enforcePolicy(this.context.policy, keyIntent(this.ns, name, attributes, 'update'));
          const result = await tx.update<KeyAttributes>(fresh, { attributes });
          await tx.audit(ok);
          return result;
        });
        await this.distributions.syncKey(updated, true);
      });
      return await this.read(name);
    });
  }

  /**
   * Only with deletion_allowed and once the key is in no KMS any more. An HSM-origin key's token
   * objects are destroyed after the store delete committed (a refused delete destroys nothing).
   */
  async delete(name: string): Promise<void> {
    await this.context.audited('key.delete', `key/${name}`, {}, async (ok) => {
      const inToken = await this.context.store.transaction(async (tx) => {
        const key = await tx.get<KeyAttributes>('key', this.ns, name);
        if (key === undefined) return [];
        if (!key.attributes.deletion_allowed) {
          throw new NotPermittedError(`key '${name}' has deletion_allowed=false; update it first`, {
            field: 'deletion_allowed',
          });
        }
        const held = await tx.list('distribution', { parent: key.id });
        if (held.length > 0) {
          throw new InUseError(
            `key '${name}' is still distributed to ${held.map((d) => d.name).join(', ')}; undistribute it first`,
            { field: 'name' },
          );
        }
        const versions = await keyVersions(tx, key);
        await tx.delete(key);
        await tx.audit(ok);
        return versions.flatMap((v) =>
          v.attributes.token === undefined ? [] : [v.attributes.token],
        );
      });
      await destroyInToken(this.context, inToken);
    });
  }

  /**
   * Rotates every key of the namespace whose rotation_period has elapsed. Idempotent: a key is
   * re-checked under its lease, so a second (or concurrent) run finds it no longer due. Keys
   * rotate `concurrency` at a time (each pushes its new version to its clouds in parallel; each
   * backend's max_parallel bounds what one KMS sees). A failed key does not stop the others:
   * the first failure is thrown once every key was tried.
   */
  async rotateDue(options: RotateDueOptions = {}): Promise<RotateDueResult> {
    const concurrency = options.concurrency ?? DEFAULT_ROTATE_CONCURRENCY;
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
      throw new InvalidArgumentError(
        `concurrency must be a whole number of keys from 1, got ${String(concurrency)}`,
        { field: 'concurrency' },
      );
    }
    const limiter = new ConcurrencyLimiter(concurrency);
    const outcomes = await Promise.allSettled(
      (await this.list()).map((name) => limiter.run(() => this.rotateIfDue(name))),
    );
    const failed = outcomes.find((o) => o.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return {
      rotated: outcomes.flatMap((o) =>
        o.status === 'fulfilled' && o.value !== undefined ? [o.value] : [],
      ),
    };
  }

  private async rotateIfDue(name: string): Promise<RotateDueResult['rotated'][number] | undefined> {
    const dueAt = await this.dueAt(await keyRecord(this.context, name));
    if (dueAt === undefined || this.context.now() < dueAt) return undefined;
    const version = await this.rotateWhen(name, true);
    return version === undefined ? undefined : { name, version, due_at: dueAt.toISOString() };
  }

  private async dueAt(
    key: KeyRecord,
    reader: StoreReader = this.context.store,
  ): Promise<Date | undefined> {
    const latest = (await keyVersions(reader, key)).at(-1);
    return latest === undefined
      ? undefined
      : rotationDueAt(key.attributes, latest.attributes.created_at);
  }

  private async isDue(key: KeyRecord, reader?: StoreReader): Promise<boolean> {
    const dueAt = await this.dueAt(key, reader);
    return dueAt !== undefined && this.context.now() >= dueAt;
  }

  /** An HSM-origin key's next version, generated (or adopted) in its token; else undefined. */
  private async tokenVersion(key: KeyRecord, version: number): Promise<TokenVersion | undefined> {
    if (key.ref === '') return undefined;
    const kms = await this.context.store.getById<KmsAttributes>('kms', key.ref);
    if (kms === undefined) {
      throw new NotFoundError(
        `key '${key.name}' originates in a KMS connection that no longer exists`,
        { field: 'origin' },
      );
    }
    return await generateInToken(this.context, kms, key, version);
  }

  /**
   * HSM origin: the key record first (no version), then the token's version 1, then the store
   * write. A create that crashed in between is resumed by the same create (or a rotate), which
   * adopts the token object by CKA_ID.
   */
  private async createInToken(
    name: string,
    attributes: KeyAttributes,
    kms: StoreRecord<KmsAttributes>,
    ok: AuditInput,
  ): Promise<void> {
    const key = await this.context.store.transaction(async (tx) => {
      const existing = await tx.get<KeyAttributes>('key', this.ns, name);
      if (existing !== undefined) {
        const a = existing.attributes;
        if (a.latest_version === 0 && a.origin === attributes.origin && a.type === attributes.type)
          return existing;
        throw new AlreadyExistsError(`key '${name}' already exists in namespace '${this.ns}'`, {
          field: 'name',
        });
      }
      return await tx.insert<KeyAttributes>({
        kind: 'key',
        namespace: this.ns,
        name,
        ref: kms.id,
        attributes: { ...attributes, latest_version: 0 },
      });
    });
    await this.distributions.withKeyLease(key, async () => {
      const inToken = await generateInToken(this.context, kms, key, 1);
      await this.context.store.transaction(async (tx) => {
        const fresh = await keyRecord(this.context, name, tx);
        if (fresh.attributes.latest_version !== 0) return;
        await insertKeyVersion(this.context, tx, fresh, 1, inToken);
        await tx.update<KeyAttributes>(fresh, {
          attributes: { ...fresh.attributes, latest_version: 1 },
        });
        await tx.audit(ok);
      });
    });
  }

  /** Drift between the store and every cloud holding the key; `repair` fixes what Keyplane owns. */
  async reconcile(
    name: string,
    options: { readonly repair?: boolean } = {},
  ): Promise<ReconcileReport> {
    return await reconcileKey(this.context, this.distributions, name, options);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

export type { KeyTypeName };
