/**
 * What the managed-key, signing-key, sign and verify commands share: the registry (the file
 * at $KEYPLANE_REGISTRY, default ./.keyplane/registry.json, until the key store lands), Vault-
 * style `param=value` arguments, and closing backend connections when the command ends.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import {
  FileRegistryStore,
  HASH_ALGORITHM_NAMES,
  ManagedKeys,
  REGISTRY_ENV,
} from '@keyplane/engine';
import { UsageError, type CommandSpec, type OptionSpec } from './command';
import { readInput } from './files';

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

/**
 * Parses `name=value` arguments. `name=@file` reads the value from a file and `name=-` from
 * stdin (first line), so a PIN or client secret need not appear in shell history or `ps`.
 */
export function parseParamArgs(spec: CommandSpec, args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0)
      throw new UsageError(
        `expected name=value, got '${arg.includes('=') ? arg : arg.slice(0, 40)}'`,
        spec,
      );
    const name = arg.slice(0, eq);
    const raw = arg.slice(eq + 1);
    if (Object.prototype.hasOwnProperty.call(out, name)) {
      throw new UsageError(`parameter ${name} given twice`, spec);
    }
    out[name] = readValue(name, raw);
  }
  return out;
}

function readValue(name: string, raw: string): string {
  if (raw === '-') return firstLine(readFileSync(0, 'utf8'));
  if (raw.startsWith('@')) return firstLine(readInput(name, raw.slice(1)).toString('utf8'));
  return raw;
}

const firstLine = (text: string): string => text.replace(/\r?\n[\s\S]*$/, '');

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
