/**
 * Which modules a real node process loads: runs `node --require record-modules.cjs …args` and
 * returns every CommonJS module it loaded, relative to the repository — for the structural
 * start-up checks (the CLI's commands, the construct package's imports).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';

const ROOT = resolve(__dirname, '../../../..');
const RECORDER = resolve(__dirname, 'record-modules.cjs');

export function loadedModules(args: readonly string[], cwd?: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'keyplane-modules-'));
  try {
    const out = join(dir, 'modules.json');
    const r = spawnSync(process.execPath, ['--require', RECORDER, ...args], {
      cwd: cwd ?? dir,
      encoding: 'utf8',
      env: { ...process.env, KEYPLANE_TEST_MODULES_OUT: out },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return (JSON.parse(readFileSync(out, 'utf8')) as string[])
      .filter((m) => m !== RECORDER)
      .map((m) =>
        m
          .slice(ROOT.length + 1)
          .split(sep)
          .join('/'),
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Packages and engine areas a start-up path must not touch. */
export const HEAVY_MODULES: readonly RegExp[] = [
  /node_modules\/@aws-sdk\//,
  /node_modules\/@smithy\//,
  /node_modules\/@azure\//,
  /node_modules\/@google-cloud\//,
  /node_modules\/google-gax\//,
  /node_modules\/@grpc\//,
  /node_modules\/protobufjs\//,
  /node_modules\/pkcs11js\//,
  /node_modules\/@noble\//,
  /^packages\/emulators\//,
  /^packages\/engine\/dist\/(backends|byok|managed|seal)\//,
  /^packages\/engine\/dist\/index\.js$/,
];

export const heavyOf = (modules: readonly string[]): string[] =>
  modules.filter((m) => HEAVY_MODULES.some((h) => h.test(m)));
