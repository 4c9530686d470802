/**
 * A real, throwaway PostgreSQL for tests and benchmarks (the key store's team backend): initdb +
 * pg_ctl into a temp directory owned by the `postgres` system user (initdb refuses to run as
 * root), trust auth, listening on 127.0.0.1 only on a free port, stopped (immediate) and removed
 * by `stop()`. The binaries are found on PATH or in Debian's /usr/lib/postgresql/<v>/bin.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string;
  readonly port: number;
  /** A PostgreSQL binary (pg_dump, psql) of the same installation. */
  bin(name: string): string;
  /** Runs a PostgreSQL client binary as the postgres user. */
  run(name: string, args: readonly string[]): string;
  stop(): void;
}

export interface PostgresServerOptions {
  /**
   * Serve TLS with this certificate and key (PEM), and accept TCP clients only over TLS
   * (`hostssl` in pg_hba.conf), so a client that silently skipped TLS fails instead of passing.
   */
  readonly tls?: { readonly cert: string; readonly key: string };
}

export function postgresBin(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir !== '' && existsSync(join(dir, name)) && existsSync(join(dir, 'initdb')))
      return join(dir, name);
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const p = join(root, v, 'bin', name);
    if (existsSync(p)) return p;
  }
  throw new Error(
    `PostgreSQL's ${name} was not found (install the postgresql package; .ci/run does)`,
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  });
}

function asPostgres(file: string, args: readonly string[]): string {
  const asRoot = process.getuid?.() === 0;
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Owned by the postgres user when we run as root (the server refuses keys it does not own). */
function giveToPostgres(path: string): void {
  if (process.getuid?.() !== 0) return;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(path, uid, gid);
}

/** Files the server reads: 0600, owned by the server's user. */
function writeServerFile(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  giveToPostgres(path);
}

/**
 * TLS on: the certificate pair in the data directory and TCP clients only over TLS
 * (https://www.postgresql.org/docs/current/ssl-tcp.html, /auth-pg-hba-conf.html).
 */
function enableTls(data: string, tls: NonNullable<PostgresServerOptions['tls']>): string[] {
  writeServerFile(join(data, 'server.crt'), tls.cert);
  writeServerFile(join(data, 'server.key'), tls.key);
  writeServerFile(
    join(data, 'pg_hba.conf'),
    ['local all all trust', 'hostssl all all 127.0.0.1/32 trust', ''].join('\n'),
  );
  return ['-c ssl=on'];
}

export async function startPostgres(server: PostgresServerOptions = {}): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'kp-pg-'));
  giveToPostgres(dir);
  const data = join(dir, 'data');
  asPostgres(postgresBin('initdb'), [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  const port = await freePort();
  const options = [
    `-p ${String(port)}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    '-c fsync=off',
    '-c max_connections=50',
    ...(server.tls === undefined ? [] : enableTls(data, server.tls)),
  ].join(' ');
  asPostgres(postgresBin('pg_ctl'), [
    '-D',
    data,
    '-o',
    options,
    '-l',
    join(dir, 'log'),
    '-w',
    'start',
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${String(port)}/postgres`,
    port,
    bin: postgresBin,
    run: (name, args) => asPostgres(postgresBin(name), args),
    stop: () => {
      try {
        asPostgres(postgresBin('pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
