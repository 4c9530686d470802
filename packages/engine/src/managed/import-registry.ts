/**
 * `keyplane store import-registry <file>`: converts a pre-store registry.json (managed keys and
 * signing keys in one JSON file, secrets sealed with the passphrase) into the store once, in one
 * transaction, so nobody's managed keys are lost. UUIDs are kept; names already in the namespace
 * are refused (nothing is imported then).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { ENV_VARIABLES } from '../env';
import { AlreadyExistsError, InvalidArgumentError, NotFoundError } from '../errors';
import type { PassphraseSeal } from '../seal/passphrase';
import type { KeyStore } from '../store/contract';
import { checkNamespacePath } from '../store/namespaces';
import type { ManagedKeyAttributes, SigningKeyAttributes, SigningKeyVersion } from './records';

interface LegacyManagedKey extends ManagedKeyAttributes {
  readonly uuid: string;
  readonly name: string;
  readonly sealed_secrets?: string;
}

interface LegacySigningKey {
  readonly name: string;
  readonly managed_key: string;
  readonly allowed_managed_keys: readonly string[];
  readonly latest_version: number;
  readonly versions: Readonly<Record<string, { backend_version: string; created_at: string }>>;
}

interface LegacyRegistry {
  readonly format: 1;
  readonly managed_keys: Readonly<Record<string, LegacyManagedKey>>;
  readonly signing_keys?: Readonly<Record<string, LegacySigningKey>>;
}

export interface ImportRegistryResult {
  readonly namespace: string;
  readonly managed_keys: readonly string[];
  readonly signing_keys: readonly string[];
}

function readRegistry(path: string): LegacyRegistry {
  let data: Partial<LegacyRegistry>;
  try {
    data = JSON.parse(readFileSync(path, 'utf8')) as Partial<LegacyRegistry>;
  } catch (cause) {
    throw new InvalidArgumentError(`${path} is not readable JSON`, { field: 'file', cause });
  }
  if (data.format !== 1 || typeof data.managed_keys !== 'object') {
    throw new InvalidArgumentError(`${path} is not a Keyplane registry (format 1)`, {
      field: 'file',
    });
  }
  return data as LegacyRegistry;
}

/**
 * Imports `path` into `namespace`. `legacySeal` opens the registry's sealed secrets (the
 * passphrase it was written with); they are re-sealed under the store's data key.
 */
export async function importRegistry(
  store: KeyStore,
  path: string,
  namespace: string,
  legacySeal: PassphraseSeal | undefined,
): Promise<ImportRegistryResult> {
  checkNamespacePath(namespace);
  const registry = readRegistry(path);
  const managed = Object.values(registry.managed_keys);
  const signing = Object.values(registry.signing_keys ?? {});
  return await store.transaction(async (tx) => {
    const ids = new Map<string, string>();
    for (const mk of managed) {
      if ((await tx.get('managed_key', namespace, mk.name)) !== undefined) {
        throw new AlreadyExistsError(
          `managed key '${mk.name}' already exists in namespace '${namespace}'; nothing was imported`,
          { field: 'name' },
        );
      }
      let secrets: Record<string, Buffer> = {};
      if (mk.sealed_secrets !== undefined) {
        if (legacySeal === undefined) {
          throw new InvalidArgumentError(
            `managed key '${mk.name}' has sealed secrets: set ${ENV_VARIABLES.registryPassphrase.name} (or ${ENV_VARIABLES.sealPassphrase.name}) to the passphrase the registry was written with`,
            { field: ENV_VARIABLES.registryPassphrase.name },
          );
        }
        const bytes = legacySeal.unseal(mk.sealed_secrets, `managed-key:${mk.uuid}`);
        const parsed = JSON.parse(bytes.toString('utf8')) as Record<string, string>;
        bytes.fill(0);
        secrets = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, Buffer.from(v)]));
      }
      const attributes: ManagedKeyAttributes = {
        type: mk.type,
        allow_generate_key: mk.allow_generate_key,
        allow_replace_key: mk.allow_replace_key,
        allow_store_key: mk.allow_store_key,
        any_mount: mk.any_mount,
        usages: mk.usages,
        params: mk.params,
      };
      await tx.insert({
        kind: 'managed_key',
        namespace,
        name: mk.name,
        id: mk.uuid,
        attributes,
        secrets,
      });
      ids.set(mk.name, mk.uuid);
    }
    for (const sk of signing) {
      const ref = ids.get(sk.managed_key);
      if (ref === undefined) {
        // A signing key over nothing would fail only at its first sign, far from the import.
        throw new NotFoundError(
          `signing key '${sk.name}' uses managed key '${sk.managed_key}', which is not in ${path}; nothing was imported`,
          { field: `signing_keys.${sk.name}.managed_key` },
        );
      }
      const attributes: SigningKeyAttributes = {
        managed_key: sk.managed_key,
        allowed_managed_keys: sk.allowed_managed_keys,
        latest_version: sk.latest_version,
      };
      const key = await tx.insert({
        kind: 'signing_key',
        namespace,
        name: sk.name,
        ref,
        attributes,
      });
      for (const [n, v] of Object.entries(sk.versions)) {
        // Pre-store versions pinned only the backend version: the identity is left open ('').
        const version: SigningKeyVersion = { ...v, backend_key_id: '', public_key_sha256: '' };
        await tx.insert({
          kind: 'signing_key_version',
          namespace,
          name: n,
          parent: key.id,
          attributes: version,
        });
      }
    }
    const result = {
      namespace,
      managed_keys: managed.map((m) => m.name).sort(),
      signing_keys: signing.map((s) => s.name).sort(),
    };
    await tx.audit({
      namespace,
      operation: 'store.import-registry',
      target: 'store',
      outcome: 'ok',
      details: { managed_keys: result.managed_keys, signing_keys: result.signing_keys },
    });
    return result;
  });
}
