/**
 * KMS connections (Vault `keymgmt/kms/:name`): create / read / list / update / delete. provider
 * and key_collection are immutable (a different vault is a different connection); credentials
 * are sealed one field each and never shown; delete is refused while keys are distributed
 * through the connection.
 *
 * @module
 */
import { AlreadyExistsError, InUseError, InvalidArgumentError } from '../errors';
import { enforcePolicy } from '../policy/evaluate';
import type { StoreRecord } from '../store/contract';
import { checkSettings, providerOf, type ConnectionSettings } from './connection-config';
import { LifecycleContext, type LifecycleOptions } from './context';
import { checkName } from './names';
import { CREDENTIAL_PREFIX, type KmsAttributes, type KmsView } from './records';

/** What create / update accept: Vault's fields; credentials as a map. */
export interface KmsConnectionInput {
  readonly provider?: string | undefined;
  readonly key_collection?: string | undefined;
  readonly credentials?: Readonly<Record<string, string>> | undefined;
  /** endpoint, environment, resource, ca_file (Azure), library (PKCS#11). '' removes one. */
  readonly options?: Readonly<Record<string, string>> | undefined;
}

const IMMUTABLE = ['provider', 'key_collection'] as const;

export function kmsView(record: StoreRecord<KmsAttributes>): KmsView {
  return {
    name: record.name,
    namespace: record.namespace,
    provider: record.attributes.provider,
    key_collection: record.attributes.key_collection,
    options: record.attributes.options,
    credentials: record.secretFields
      .filter((f) => f.startsWith(CREDENTIAL_PREFIX))
      .map((f) => f.slice(CREDENTIAL_PREFIX.length)),
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}

const sealedCredentials = (
  credentials: Readonly<Record<string, string>>,
): Record<string, Uint8Array> =>
  Object.fromEntries(
    Object.entries(credentials).map(([k, v]) => [
      `${CREDENTIAL_PREFIX}${k}`,
      Buffer.from(v, 'utf8'),
    ]),
  );

const withoutEmpty = (o: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== ''));

export class KmsConnectionClient {
  readonly context: LifecycleContext;

  constructor(options: LifecycleOptions | LifecycleContext) {
    this.context = options instanceof LifecycleContext ? options : new LifecycleContext(options);
  }

  private get ns(): string {
    return this.context.namespace;
  }

  async create(name: string, input: KmsConnectionInput): Promise<KmsView> {
    return await this.context.audited(
      'kms.create',
      `kms/${name}`,
      { provider: input.provider ?? '' },
      async (ok) => {
        checkName(name, 'name');
        const provider = providerOf(input.provider ?? '');
        const settings: ConnectionSettings = {
          provider,
          key_collection: input.key_collection ?? '',
          options: withoutEmpty(input.options ?? {}),
          credentials: input.credentials ?? {},
        };
        checkSettings(settings);
        enforcePolicy(this.context.policy, {
          kind: 'kms',
          namespace: this.ns,
          name,
          provider,
          key_collection: settings.key_collection,
        });
        const record = await this.context.store.transaction(async (tx) => {
          if ((await tx.get('kms', this.ns, name)) !== undefined) {
            throw new AlreadyExistsError(
              `KMS connection '${name}' already exists in namespace '${this.ns}'`,
              {
                field: 'name',
              },
            );
          }
          const inserted = await tx.insert<KmsAttributes>({
            kind: 'kms',
            namespace: this.ns,
            name,
            attributes: {
              provider,
              key_collection: settings.key_collection,
              options: settings.options,
            },
            secrets: sealedCredentials(settings.credentials),
          });
          await tx.audit(ok);
          return inserted;
        });
        return kmsView(record);
      },
    );
  }

  async read(name: string): Promise<KmsView> {
    return kmsView(await this.context.kmsRecord(name));
  }

  async list(): Promise<string[]> {
    return (await this.context.store.list('kms', { namespace: this.ns })).map((r) => r.name);
  }

  /** Given credentials replace the stored ones as a whole; options are merged ('' removes). */
  async update(name: string, input: KmsConnectionInput): Promise<KmsView> {
    return await this.context.audited('kms.update', `kms/${name}`, {}, async (ok) => {
      const current = await this.context.kmsRecord(name);
      for (const field of IMMUTABLE) {
        const given = input[field];
        if (given !== undefined && given !== current.attributes[field]) {
          throw new InvalidArgumentError(
            `${field} of KMS connection '${name}' cannot be changed (it is '${current.attributes[field]}'); create a new connection instead`,
            { field },
          );
        }
      }
      const options = withoutEmpty({ ...current.attributes.options, ...(input.options ?? {}) });
      const credentials = input.credentials ?? this.context.credentialsOf(current);
      checkSettings({ ...current.attributes, options, credentials });
      const removed = current.secretFields.filter(
        (f) =>
          f.startsWith(CREDENTIAL_PREFIX) &&
          input.credentials !== undefined &&
          !(f.slice(CREDENTIAL_PREFIX.length) in credentials),
      );
      const record = await this.context.store.transaction(async (tx) => {
        const updated = await tx.update<KmsAttributes>(current, {
          attributes: { ...current.attributes, options },
          secrets: {
            ...Object.fromEntries(removed.map((f) => [f, null])),
            ...(input.credentials === undefined ? {} : sealedCredentials(credentials)),
          },
        });
        await tx.audit(ok);
        return updated;
      });
      return kmsView(record);
    });
  }

  async delete(name: string): Promise<void> {
    await this.context.audited('kms.delete', `kms/${name}`, {}, async (ok) => {
      await this.context.store.transaction(async (tx) => {
        const current = await tx.get<KmsAttributes>('kms', this.ns, name);
        if (current === undefined) return;
        const distributions = await tx.list('distribution', { ref: current.id });
        if (distributions.length > 0) {
          const keys = await Promise.all(distributions.map((d) => tx.getById('key', d.parent)));
          throw new InUseError(
            `KMS connection '${name}' still holds keys: ${keys.map((k) => k?.name ?? '?').join(', ')}; undistribute them first`,
            { field: 'name' },
          );
        }
        const originating = await tx.list('key', { ref: current.id });
        if (originating.length > 0) {
          throw new InUseError(
            `KMS connection '${name}' is the origin (hsm:${name}) of keys: ${originating.map((k) => k.name).join(', ')}; their versions live in its token`,
            { field: 'name' },
          );
        }
        await tx.delete(current);
        await tx.audit(ok);
      });
    });
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
