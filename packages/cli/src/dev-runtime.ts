/**
 * The `keyplane dev` runtime record: `<state-dir>/dev.json` says which process serves the local
 * clouds and where. A record whose process is gone is stale and treated as "not running".
 *
 * @module
 */
import { readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface DevRuntime {
  readonly pid: number;
  readonly startedAt: string;
  readonly stateDir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly health: readonly string[];
}

export const DEFAULT_STATE_DIR = '.keyplane/dev';

export function stateDirOf(value: string | boolean | undefined): string {
  return resolve(typeof value === 'string' ? value : DEFAULT_STATE_DIR);
}

const runtimeFile = (stateDir: string) => join(stateDir, 'dev.json');

/**
 * Whether `pid` is a live process. A detached server whose parent has exited is reaped by init;
 * until then it is a zombie that `kill(pid, 0)` still reports, so on Linux /proc is consulted.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill(pid, 0) is the best answer available
  }
}

/** The running session, or undefined (stale records are removed). */
export function readRuntime(stateDir: string): DevRuntime | undefined {
  let record: DevRuntime;
  try {
    record = JSON.parse(readFileSync(runtimeFile(stateDir), 'utf8')) as DevRuntime;
  } catch {
    return undefined;
  }
  if (isAlive(record.pid)) return record;
  removeRuntime(stateDir);
  return undefined;
}

export function writeRuntime(record: DevRuntime): void {
  const tmp = `${runtimeFile(record.stateDir)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(record, null, 2), { mode: 0o600 });
  renameSync(tmp, runtimeFile(record.stateDir));
}

export function removeRuntime(stateDir: string): void {
  rmSync(runtimeFile(stateDir), { force: true });
}

/** `export NAME='value'` lines, single-quoted for POSIX shells. */
export function exportLines(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'`)
    .join('\n');
}
