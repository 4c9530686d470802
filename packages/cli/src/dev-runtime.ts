/**
 * The `keyplane dev` runtime record: `<state-dir>/dev.json` says which process serves the local
 * clouds and where. A record whose process is gone is stale and treated as "not running".
 *
 * @module
 */
import { readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export interface DevRuntime {
  readonly pid: number;
  readonly startedAt: string;
  readonly stateDir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly health: readonly string[];
  /** What `dev up` prepared and which ports it reused, printed by the foreground and detached `up`. */
  readonly summary: string;
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

/** The ports one `dev up` bound; kept after `dev down` so the next `up` can take them again. */
export type DevPorts = Readonly<Record<DevPortName, number>>;
export const DEV_PORT_NAMES = ['aws', 'azure', 'gcp', 'gcpControl'] as const;
export type DevPortName = (typeof DEV_PORT_NAMES)[number];

const portsFile = (stateDir: string) => join(stateDir, 'ports.json');

/** The previous session's ports, or {} (no file, or one that is not ours to trust). */
export function readPreviousPorts(stateDir: string): Partial<DevPorts> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(portsFile(stateDir), 'utf8'));
  } catch {
    return {};
  }
  const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<
    string,
    unknown
  >;
  const ports: Partial<Record<DevPortName, number>> = {};
  for (const name of DEV_PORT_NAMES) {
    const port = record[name];
    if (typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536)
      ports[name] = port;
  }
  return ports;
}

export function writePorts(stateDir: string, ports: DevPorts): void {
  writeFileSync(portsFile(stateDir), JSON.stringify(ports, null, 2), { mode: 0o600 });
}

/** Whether 127.0.0.1:`port` can be bound right now (nothing else listens there). */
export async function isPortFree(port: number): Promise<boolean> {
  return await new Promise<boolean>((done) => {
    const probe = createServer();
    probe.once('error', () => {
      done(false);
    });
    probe.listen(port, '127.0.0.1', () => {
      probe.close(() => {
        done(true);
      });
    });
  });
}
