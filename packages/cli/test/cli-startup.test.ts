/**
 * Start-up stays cheap by construction: which modules a command loads is asserted here (a
 * structural check; bench/startup.ts measures the CPU). `--help` loads no engine module but its
 * errors and the (import-free) variable table, `key generate` only the key-ceremony entry point, and neither loads a cloud SDK,
 * gRPC/protobuf, pkcs11js or the emulators; those load only for the commands that use them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { heavyOf as heavy, loadedModules } from './support/loaded-modules';

const BIN = resolve(__dirname, '../bin/keyplane.js');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyplane-startup-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the real executable; returns the modules it loaded, relative to the repository. */
const modulesOf = (...args: string[]): string[] => loadedModules([BIN, ...args], dir);

describe('modules loaded at start-up', () => {
  it('--help loads the CLI core, the engine errors and the variable table only', () => {
    const modules = modulesOf('--help');
    expect(heavy(modules)).toEqual([]);
    expect(modules.filter((m) => m.startsWith('packages/engine/'))).toEqual([
      'packages/engine/dist/env.js',
      'packages/engine/dist/errors.js',
    ]);
    expect(modules.some((m) => m.startsWith('packages/cli/dist/commands/'))).toBe(false);
    expect(modules.some((m) => m.includes('node_modules/'))).toBe(false);
  });

  it('key generate loads its own command and the engine key-ceremony entry point', () => {
    const modules = modulesOf(
      'key',
      'generate',
      '--type',
      'ecdsa-p256',
      '--out',
      join(dir, 'k.pem'),
    );
    expect(heavy(modules)).toEqual([]);
    expect(modules.filter((m) => m.startsWith('packages/cli/dist/commands/'))).toEqual([
      'packages/cli/dist/commands/key-generate.js',
    ]);
    expect(modules).toContain('packages/engine/dist/keys.js');
  });

  it('a command help loads that command only', () => {
    const modules = modulesOf('byok', 'wrap', '--help');
    expect(modules.filter((m) => m.startsWith('packages/cli/dist/commands/'))).toEqual([
      'packages/cli/dist/commands/byok-wrap.js',
    ]);
    expect(heavy(modules).filter((m) => m.includes('node_modules/'))).toEqual([]);
  });

  it('the dev stack loads only for dev commands', () => {
    expect(modulesOf('dev', 'up', '--help').some((m) => m.startsWith('packages/emulators/'))).toBe(
      true,
    );
    expect(
      modulesOf('managed-key', 'create', '--help').some((m) => m.startsWith('packages/emulators/')),
    ).toBe(false);
  });
});
