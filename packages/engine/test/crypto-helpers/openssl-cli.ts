/**
 * The Debian `openssl` CLI (OpenSSL 3.0) as an independent verifier / signer. Files live in a
 * private temp dir removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OpensslResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `openssl args…` in `cwd`; never throws on a non-zero exit (callers assert on status). */
export function openssl(args: readonly string[], cwd: string): OpensslResult {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8', timeout: 30_000 });
  if (r.error !== undefined) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs openssl and fails loudly (with its stderr) on a non-zero exit. */
export function opensslOk(args: readonly string[], cwd: string): string {
  const r = openssl(args, cwd);
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** A fresh private temp directory; remove it with {@link removeTempDir}. */
export function makeTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'keyplane-crypto-test-'));
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function writeFiles(
  dir: string,
  files: Readonly<Record<string, Uint8Array | string>>,
): void {
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
}
