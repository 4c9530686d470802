/**
 * What the managed-key, signing-key, sign, verify, store and audit commands share: the key
 * store ($KEYPLANE_STORE, default ./.keyplane/keyplane.db, unsealed with $KEYPLANE_SEAL /
 * $KEYPLANE_SEAL_PASSPHRASE), the namespace (--namespace / $KEYPLANE_NAMESPACE), the shared
 * options, and closing backend connections and the store when the command ends.
 *
 * @module
 */
import {
  HASH_ALGORITHM_NAMES,
  ManagedKeys,
  openSeal,
  openStore,
  sealConfigFromEnv,
  storeUrlFromEnv,
  type KeyStore,
} from '@keyplane/engine';
import { DEFAULT_STORE_PATH, ENV_VARIABLES, ROOT_NAMESPACE } from '@keyplane/engine/env';
import type { CommandContext, OptionSpec } from './command';

const ENV = ENV_VARIABLES;

/** Where records live, from the variable table (names and defaults are not restated here). */
export const REGISTRY_HELP = `Records live in the key store ${ENV.store.name} (sqlite:///path.db, a file path or postgres://…; default ${DEFAULT_STORE_PATH}), sealed with ${ENV.seal.name} (or ${ENV.sealPassphrase.name} for the development passphrase seal); --namespace / ${ENV.namespace.name} picks the namespace (default ${ROOT_NAMESPACE}).`;

export const NAMESPACE_OPTION: OptionSpec = {
  name: 'namespace',
  type: 'string',
  valueName: 'path',
  description: `Namespace (default $${ENV.namespace.name}, else ${ROOT_NAMESPACE}), e.g. team-a/payments.`,
};

/**
 * Opens the configured store, unsealed with the configured seal (a new store is initialized
 * with it, and the passphrase seal says once that it is for development), runs `fn`, and
 * closes it (flushing queued audit entries). `seal: false` opens it sealed (status only).
 */
export async function withStore<T>(
  fn: (store: KeyStore) => Promise<T>,
  options: { seal?: boolean; stderr?: NodeJS.WritableStream } = {},
): Promise<T> {
  const config = options.seal === false ? undefined : sealConfigFromEnv();
  const seal = config === undefined ? undefined : await openSeal(config);
  let store: KeyStore;
  try {
    store = await openStore(storeUrlFromEnv(), seal === undefined ? {} : { seal });
  } catch (e) {
    await seal?.close();
    throw e;
  }
  if (store.initializedNow && seal?.warning !== undefined) {
    options.stderr?.write(`${seal.warning}\n`);
  }
  try {
    return await fn(store);
  } finally {
    await store.close();
    await seal?.close();
  }
}

export const JSON_OPTION: OptionSpec = {
  name: 'json',
  type: 'boolean',
  description: 'Print JSON.',
};

/** `--hash` of test-sign, sign and verify (the nine hash names of Vault's managed-key test/sign). */
export const HASH_OPTION: OptionSpec = {
  name: 'hash',
  type: 'string',
  valueName: 'hash',
  choices: HASH_ALGORITHM_NAMES,
  description: 'Hash algorithm (default sha2-256, or the key’s only hash).',
};

export const PSS_OPTION: OptionSpec = {
  name: 'pss',
  type: 'boolean',
  description: 'RSA-PSS (default: the managed key’s mechanism / algorithm padding).',
};

/** Runs `fn` with a ManagedKeys over the configured store and namespace, closing both afterwards. */
export async function withManagedKeys<T>(
  ctx: Pick<CommandContext, 'values' | 'stderr'>,
  fn: (keys: ManagedKeys) => Promise<T>,
): Promise<T> {
  const namespace = ctx.values.namespace;
  return await withStore(
    async (store) => {
      const keys = new ManagedKeys({
        store,
        ...(typeof namespace === 'string' ? { namespace } : {}),
      });
      try {
        return await fn(keys);
      } finally {
        await keys.close();
      }
    },
    { stderr: ctx.stderr },
  );
}

/** Renders a flat record as aligned `Key  Value` lines (Vault CLI style). */
export function keyValueTable(data: Readonly<Record<string, unknown>>): string {
  const rows = Object.entries(data).sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(3, ...rows.map(([k]) => k.length)) + 4;
  const show = (v: unknown): string => (Array.isArray(v) ? v.join(',') : String(v));
  return [
    `${'Key'.padEnd(width)}Value`,
    `${'---'.padEnd(width)}-----`,
    ...rows.map(([k, v]) => `${k.padEnd(width)}${show(v)}`),
  ].join('\n');
}

/** Text blocks showing public keys: a heading with the fingerprint, then the PEM. */
export function publicKeyBlocks(
  keys: readonly { heading: string; public_key_pem?: string | undefined; fingerprint?: string }[],
): string {
  return keys
    .filter((k) => k.public_key_pem !== undefined)
    .map((k) => `\n${k.heading} (${k.fingerprint ?? ''}):\n${(k.public_key_pem ?? '').trimEnd()}`)
    .join('\n');
}
