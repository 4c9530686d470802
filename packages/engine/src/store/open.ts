/**
 * Opening a store from its URL: `sqlite:///abs/path.db`, a plain file path, or
 * `postgres://…` / `postgresql://…`. Default: `$KEYPLANE_STORE`, else `./.keyplane/keyplane.db`
 * (resolved against the working directory).
 *
 * @module
 */
import { isAbsolute, join, resolve } from 'node:path';
import { UnsupportedTargetError } from '../errors';
import type { KeyStore } from './contract';
import { postgresDialect, type PostgresOptions } from './postgres';
import { SqlKeyStore, type StoreOpenOptions } from './sql-store';
import { sqliteDialect } from './sqlite';

export const STORE_ENV = 'KEYPLANE_STORE';
export const DEFAULT_STORE_PATH = join('.keyplane', 'keyplane.db');

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
  const value = explicit ?? env[STORE_ENV];
  return value === undefined || value === '' ? DEFAULT_STORE_PATH : value;
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
