/**
 * What the managed-key, signing-key, sign and verify commands share: the registry (the file
 * at $KEYPLANE_REGISTRY, default ./.keyplane/registry.json, until the key store lands), the
 * shared options, and closing backend connections when the command ends.
 *
 * @module
 */
import {
  FileRegistryStore,
  HASH_ALGORITHM_NAMES,
  ManagedKeys,
  REGISTRY_ENV,
} from '@keyplane/engine';
import type { OptionSpec } from './command';

export const REGISTRY_HELP = `The registry is the file named by ${REGISTRY_ENV} (default ./.keyplane/registry.json); secret parameters (pin, client_secret, access_key, secret_key) are sealed in it with KEYPLANE_SEAL_PASSPHRASE.`;

export const JSON_OPTION: OptionSpec = {
  name: 'json',
  type: 'boolean',
  description: 'Print JSON.',
};

/** `--hash` of test-sign, sign and verify (the nine hash names of seed 003). */
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

/** Runs `fn` with a ManagedKeys over the configured registry, closing backends afterwards. */
export async function withManagedKeys<T>(fn: (keys: ManagedKeys) => Promise<T>): Promise<T> {
  const keys = new ManagedKeys({ store: FileRegistryStore.fromEnv() });
  try {
    return await fn(keys);
  } finally {
    await keys.close();
  }
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
