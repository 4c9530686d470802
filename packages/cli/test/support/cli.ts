/**
 * Runs the real `keyplane` executable (node + the committed launcher + dist/) in a private
 * working directory, as a user would.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(__dirname, '../../bin/keyplane.js');

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliSandbox {
  /** Runs `keyplane …args` with the sandbox as working directory. */
  run(...args: string[]): Run;
  /**
   * Runs without blocking the event loop — needed when the test itself hosts the emulator the
   * command talks to. `env` is added to the inherited environment; `input` goes to stdin.
   */
  runAsync(
    args: readonly string[],
    options?: { env?: Record<string, string>; input?: string },
  ): Promise<Run>;
  /** Absolute path of a file in the sandbox. */
  path(name: string): string;
  dispose(): void;
}

export function cliSandbox(): CliSandbox {
  if (!existsSync(resolve(__dirname, '../../dist/main.js'))) {
    throw new Error('packages/cli/dist is missing: run `npm run build` first (npm test does)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'keyplane-cli-'));
  return {
    run: (...args) => {
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    runAsync: (args, options = {}) =>
      new Promise((resolvePromise, reject) => {
        const child = spawn(process.execPath, [BIN, ...args], {
          cwd: dir,
          env: { ...process.env, ...options.env },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        child.on('error', reject);
        child.on('close', (status) => {
          resolvePromise({ status, stdout, stderr });
        });
        child.stdin.end(options.input ?? '');
      }),
    path: (name) => join(dir, name),
    dispose: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
