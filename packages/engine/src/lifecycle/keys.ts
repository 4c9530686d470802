/**
 * Central keys (Vault `keymgmt/key/:name`): create, read, list, rotate, update, delete, and
 * rotateDue. Material is generated with node:crypto and sealed into the store (one sealed field
 * per version); reads return public metadata only. Rotation and updates end by converging every
 * distribution of the key (Distributions.sync), under the key's lease.
 *
 * @module
 */
import { keyType, type KeyTypeName } from '../algorithms/key-types';
import { publicKeyFingerprint } from '../crypto/fingerprint';
import { exportPlaintext, generateKeyMaterial, publicKeyOf } from '../crypto/key-material';
import { parseDuration } from '../duration';
import { AlreadyExistsError, InUseError, InvalidArgumentError, NotPermittedError } from '../errors';
import { enforcePolicy } from '../policy/evaluate';
import type { KeyIntent } from '../policy/intents';
import type { StoreReader, StoreTx } from '../store/contract';
import { LifecycleContext, type LifecycleOptions } from './context';
import { Distributions } from './distributions';
import { keyRecord, keyVersions, keyView, rotationDueAt, type KeyRecord } from './key-records';
import { checkKeyName } from './names';
import { reconcileKey, type ReconcileReport } from './reconcile';
import {
  MATERIAL_FIELD,
  type KeyAttributes,
  type KeyVersionAttributes,
  type KeyView,
} from './records';

export interface KeyCreateInput {
  readonly type?: string | undefined;
  readonly deletion_allowed?: boolean | undefined;
  readonly min_enabled_version?: number | undefined;
  readonly rotation_period?: string | undefined;
  /** Only `software` so far. */
  readonly origin?: string | undefined;
}

export interface KeyUpdateInput {
  readonly deletion_allowed?: boolean | undefined;
  readonly min_enabled_version?: number | undefined;
  readonly rotation_period?: string | undefined;
  /** Refused when it differs (type is immutable). */
  readonly type?: string | undefined;
}

export interface RotateDueResult {
  /** Keys rotated by this call, with their new latest version. */
  readonly rotated: readonly {
    readonly name: string;
    readonly version: number;
    readonly due_at: string;
  }[];
}

const ORIGINS = ['software'];

/** The policy's view of a key (everything but the version counter). */
function keyIntent(
  namespace: string,
  name: string,
  a: KeyAttributes,
  operation: 'create' | 'update',
): KeyIntent {
  return {
    kind: 'key',
    operation,
    namespace,
    name,
    type: a.type,
    origin: a.origin,
    rotation_period: a.rotation_period === '' ? undefined : a.rotation_period,
    deletion_allowed: a.deletion_allowed,
    min_enabled_version: a.min_enabled_version,
  };
}

function checkRotationPeriod(value: string): string {
  if (value !== '' && value !== '0') parseDuration(value, 'rotation_period');
  return value === '0' ? '' : value;
}

function checkMinEnabled(value: number, latest: number): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > latest) {
    throw new InvalidArgumentError(
      `min_enabled_version must be an integer from 0 (all versions) to the latest version ${String(latest)}, got ${String(value)}`,
      { field: 'min_enabled_version' },
    );
  }
  return value;
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
        if (!ORIGINS.includes(origin)) {
          throw new InvalidArgumentError(
            `origin '${origin}' is not supported; allowed: ${ORIGINS.join(', ')}`,
            {
              field: 'origin',
              allowed: ORIGINS,
            },
          );
        }
        const attributes: KeyAttributes = {
          type,
          origin,
          deletion_allowed: input.deletion_allowed ?? false,
          min_enabled_version: checkMinEnabled(input.min_enabled_version ?? 0, 1),
          rotation_period: checkRotationPeriod(input.rotation_period ?? ''),
          latest_version: 1,
        };
        enforcePolicy(this.context.policy, keyIntent(this.ns, name, attributes, 'create'));
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
          await this.insertVersion(tx, key, 1);
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
        const rotated = await this.context.store.transaction(async (tx) => {
          const fresh = await keyRecord(this.context, name, tx);
          if (onlyIfDue) {
            const dueAt = await this.dueAt(fresh, tx);
            if (dueAt === undefined || this.context.now() < dueAt) return undefined;
          }
          const version = fresh.attributes.latest_version + 1;
          await this.insertVersion(tx, fresh, version);
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

  /** Only with deletion_allowed and once the key is in no KMS any more. */
  async delete(name: string): Promise<void> {
    await this.context.audited('key.delete', `key/${name}`, {}, async (ok) => {
      await this.context.store.transaction(async (tx) => {
        const key = await tx.get<KeyAttributes>('key', this.ns, name);
        if (key === undefined) return;
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
        await tx.delete(key);
        await tx.audit(ok);
      });
    });
  }

  /**
   * Rotates every key of the namespace whose rotation_period has elapsed. Idempotent: a key is
   * re-checked under its lease, so a second (or concurrent) run finds it no longer due.
   */
  async rotateDue(): Promise<RotateDueResult> {
    const rotated: { name: string; version: number; due_at: string }[] = [];
    for (const name of await this.list()) {
      const dueAt = await this.dueAt(await keyRecord(this.context, name));
      if (dueAt === undefined || this.context.now() < dueAt) continue;
      const version = await this.rotateWhen(name, true);
      if (version !== undefined) rotated.push({ name, version, due_at: dueAt.toISOString() });
    }
    return { rotated };
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

  private async insertVersion(tx: StoreTx, key: KeyRecord, version: number): Promise<void> {
    const material = generateKeyMaterial(key.attributes.type);
    const publicKey = publicKeyOf(material);
    const plain = exportPlaintext(material, publicKey === undefined ? 'raw' : 'pkcs8');
    try {
      await tx.insert<KeyVersionAttributes>({
        kind: 'key_version',
        namespace: this.ns,
        name: String(version),
        parent: key.id,
        attributes: {
          version,
          created_at: this.context.now().toISOString(),
          public_key_pem:
            publicKey === undefined
              ? ''
              : String(publicKey.export({ type: 'spki', format: 'pem' })),
          fingerprint: publicKey === undefined ? '' : publicKeyFingerprint(publicKey),
        },
        secrets: { [MATERIAL_FIELD]: plain },
      });
    } finally {
      plain.fill(0);
    }
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
