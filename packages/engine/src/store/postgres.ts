/**
 * PostgreSQL for teams (CI runners and laptops sharing one store), through `pg` and Kysely's
 * PostgresDialect. Tables live in their own schema (default `keyplane`, `?schema=` in the URL or
 * the `schema` option). TLS settings in the URL (`sslmode`, `sslrootcert`, `sslcert`, `sslkey`)
 * reach `pg` unchanged; `tls` options are passed as its `ssl` setting.
 *
 * @module
 */
import type { ConnectionOptions } from 'node:tls';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { InvalidArgumentError, StoreError, type StoreFailure } from '../errors';
import { errorCode, type StoreDialect } from './dialect';
import type { Database } from './schema';

export interface PostgresOptions {
  /** @default the URL's `schema` parameter, else 'keyplane' */
  readonly schema?: string;
  /** TLS options for `pg` (`ssl`). */
  readonly tls?: ConnectionOptions;
  /** How long a read may trust the cache before checking the store generation. @default 1000 */
  readonly cacheTtlMs?: number;
  /** @default 5 */
  readonly poolSize?: number;
  /** @default 5000 */
  readonly connectTimeoutMs?: number;
}

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;
/** pg's type parsers, except int8 → number (sequence numbers, ms clocks, counts: all ≪ 2^53). */
const INT8_AS_NUMBER = new pg.TypeOverrides();
INT8_AS_NUMBER.setTypeParser(pg.types.builtins.INT8, Number);

/** PostgreSQL error codes (https://www.postgresql.org/docs/current/errcodes-appendix.html) and socket errors. */
const PG_FAILURES: Readonly<Record<string, StoreFailure>> = {
  ECONNREFUSED: 'unreachable',
  ECONNRESET: 'unreachable',
  ENOTFOUND: 'unreachable',
  ETIMEDOUT: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  '57P01': 'unreachable',
  '57P03': 'unreachable',
  '3D000': 'unreachable',
  '28P01': 'unreachable',
  '28000': 'unreachable',
  '53100': 'disk-full',
  '25006': 'read-only',
  '42501': 'read-only',
};

/**
 * Node's certificate verification failures (https://nodejs.org/api/tls.html, the OpenSSL
 * X509_V_ERR_* names): the server's certificate does not chain to the configured CA or does not
 * name the host.
 */
const TLS_VERIFY_FAILURES: Readonly<Record<string, string>> = {
  SELF_SIGNED_CERT_IN_CHAIN: 'it chains to a CA that is not the configured one',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed and not the configured CA',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'it is not signed by the configured CA',
  UNABLE_TO_GET_ISSUER_CERT: 'its issuer is not the configured CA',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its issuer is not the configured CA',
  CERT_SIGNATURE_FAILURE: 'its signature is invalid',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet',
  CERT_UNTRUSTED: 'it is not trusted',
  CERT_REJECTED: 'it was rejected',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it does not name the host in the URL',
};

function tlsError(shown: string, code: string, why: string, e: unknown): StoreError {
  return new StoreError(
    `the TLS certificate of the PostgreSQL store ${shown} could not be verified: ${why} (${code}); set sslrootcert in the URL (or the tls.ca option) to the CA that signed the server's certificate, for the host name in the URL`,
    { reason: 'tls', field: 'store', cause: e },
  );
}

/** `postgres://user:secret@host/db` → `postgres://user@host/db` (for messages). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

export function postgresDialect(url: string, options: PostgresOptions = {}): StoreDialect {
  const parsed = new URL(url);
  const schema = options.schema ?? parsed.searchParams.get('schema') ?? 'keyplane';
  if (!SCHEMA.test(schema)) {
    throw new InvalidArgumentError(
      `store schema '${schema}' must be lowercase letters, digits and '_' (a PostgreSQL identifier)`,
      { field: 'schema' },
    );
  }
  parsed.searchParams.delete('schema');
  const shown = redactUrl(parsed.toString());
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    types: INT8_AS_NUMBER,
    max: options.poolSize ?? 5,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    ...(options.tls === undefined ? {} : { ssl: options.tls }),
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const base = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const db = base.withSchema(schema);
  const ttl = options.cacheTtlMs ?? 1000;
  let checkedAt = 0;
  return {
    name: 'postgres',
    url: shown,
    db,
    base,
    schema,
    lockRows: true,
    // The commit does not block the event loop here (pg waits on the socket), so every commit
    // keeps PostgreSQL's full durability and there is nothing to defer.
    transaction: (fn) => db.transaction().execute((trx) => fn(trx)),
    syncDeferred: () => Promise.resolve(),
    now: () => sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`,
    mayHaveChanged: () => {
      const now = Date.now();
      if (now - checkedAt < ttl) return false;
      checkedAt = now;
      return true;
    },
    isUniqueViolation: (e) => errorCode(e) === '23505',
    isRetryable: (e) => ['40001', '40P01'].includes(errorCode(e)),
    storeError: (e) => {
      if (e instanceof StoreError) return e;
      const code = errorCode(e);
      const tlsWhy = TLS_VERIFY_FAILURES[code];
      if (tlsWhy !== undefined) return tlsError(shown, code, tlsWhy, e);
      const reason =
        PG_FAILURES[code] ??
        (e instanceof Error && /timeout expired|Connection terminated/i.test(e.message)
          ? 'unreachable'
          : undefined);
      if (reason === undefined) return undefined;
      const detail = e instanceof Error ? e.message : code;
      return new StoreError(
        `the PostgreSQL store ${shown} ${reason === 'unreachable' ? 'is unreachable' : reason === 'disk-full' ? 'is out of disk space' : 'is read-only for this user'} (${code || detail})`,
        {
          reason,
          field: 'store',
          cause: e,
        },
      );
    },
    close: async () => {
      await base.destroy();
    },
  };
}
