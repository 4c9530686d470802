/**
 * Opening a store from its URL: `sqlite:///abs/path.db`, a plain file path, or
 * `postgres://…` / `postgresql://…`. Default: `$KEYPLANE_STORE`, else `./.keyplane/keyplane.db`
 * (resolved against the working directory).
 *
 * @module
 */
import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_STORE_PATH, ENV_VARIABLES, envOrDefault } from '../env';
import { UnsupportedTargetError } from '../errors';
import type { KeyStore } from './contract';
import { postgresDialect, type PostgresOptions } from './postgres';
import { SqlKeyStore, type StoreOpenOptions } from './sql-store';
import { sqliteDialect } from './sqlite';

/** The variable naming the store (the row of {@link ENV_VARIABLES}). */
export const STORE_ENV = ENV_VARIABLES.store.name;
export { DEFAULT_STORE_PATH };

export interface OpenStoreOptions extends StoreOpenOptions, PostgresOptions {}

export type StoreLocation =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const ALLOWED = ['sqlite:///abs/path.db', 'postgres://…', 'postgresql://…', 'a file path'];

/** Parses a store URL (or path); UnsupportedTargetError for an unknown scheme. */
export function parseStoreUrl(value: string, cwd = process.cwd()): StoreLocation {
  const scheme = SCHEME.exec(value)?.[1]?.toLowerCase();
  // A one-letter "scheme" is a Windows drive letter, not a URL.
  if (scheme === undefined || scheme.length === 1) {
    return { kind: 'sqlite', path: isAbsolute(value) ? value : resolve(cwd, value) };
  }
  if (scheme === 'sqlite') {
    const rest = value.slice('sqlite:'.length).replace(/^\/\//, '');
    return { kind: 'sqlite', path: isAbsolute(rest) ? rest : resolve(cwd, rest) };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') return { kind: 'postgres', url: value };
  throw new UnsupportedTargetError(
    `store URL scheme '${scheme}:' is not supported; allowed: ${ALLOWED.join(', ')}`,
    { field: 'store', allowed: ALLOWED },
  );
}

/** The configured store location: explicit, else $KEYPLANE_STORE, else ./.keyplane/keyplane.db. */
export function storeUrlFromEnv(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit === undefined || explicit === ''
    ? (envOrDefault(ENV_VARIABLES.store, env) ?? DEFAULT_STORE_PATH)
    : explicit;
}

/** Opens (migrating, and initializing an empty store with the seal given) a KeyStore. */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<KeyStore> {
  const location = parseStoreUrl(url);
  const dialect =
    location.kind === 'sqlite'
      ? sqliteDialect(location.path)
      : postgresDialect(location.url, options);
  return await SqlKeyStore.open(dialect, options);
}
