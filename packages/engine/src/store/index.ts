/**
 * The sealed key store: contract, SQLite and PostgreSQL implementations, namespaces, leases.
 *
 * @module
 */
export * from './contract';
export { openStore, parseStoreUrl, storeUrlFromEnv, STORE_ENV, DEFAULT_STORE_PATH } from './open';
export type { OpenStoreOptions, StoreLocation } from './open';
export type { StoreOpenOptions } from './sql-store';
export type { PostgresOptions } from './postgres';
export {
  ROOT_NAMESPACE,
  NAMESPACE_ENV,
  checkNamespacePath,
  parentNamespace,
  resolveNamespace,
} from './namespaces';
export { SCHEMA_VERSION, RECORD_TABLES } from './schema';
