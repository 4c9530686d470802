/**
 * SoftHSM2 token bootstrap for local development and tests: a private `SOFTHSM2_CONF` and token
 * directory (never the system /etc/softhsm config), a token initialised by label and PIN, and
 * the slot found by label — `softhsm2-util --init-token` reassigns the slot to a random id, so
 * slot numbers must never be assumed.
 *
 * @module
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where Debian, Ubuntu, Fedora and Homebrew put the module; `SOFTHSM2_MODULE` overrides. */
const MODULE_CANDIDATES = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib64/pkcs11/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
  '/opt/homebrew/lib/softhsm/libsofthsm2.so',
];

export interface SoftHsmTokenOptions {
  /** Directory holding `softhsm2.conf` and `tokens/`; a fresh temp dir when omitted. */
  readonly dir?: string;
  /** Token label (≤ 32 characters). @default 'keyplane-dev' */
  readonly label?: string;
  /** User PIN (4–255 characters). @default '1234' */
  readonly pin?: string;
  /** Security officer PIN. @default '5678' */
  readonly soPin?: string;
}

export interface SoftHsmToken {
  /** PKCS#11 module path to load (pkcs11js `load`, Vault's `library`). */
  readonly module: string;
  /** Value for the `SOFTHSM2_CONF` environment variable. */
  readonly conf: string;
  readonly dir: string;
  readonly label: string;
  readonly pin: string;
  /** The slot id the token landed on (decimal, as Vault's `slot` parameter takes it). */
  readonly slot: string;
  /** Environment to pass to processes that use the token. */
  readonly env: Readonly<Record<string, string>>;
  /** Removes the token directory if this helper created it. */
  dispose(): Promise<void>;
}

/** Finds the SoftHSM2 PKCS#11 module or explains how to install it. */
export function findSoftHsmModule(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.SOFTHSM2_MODULE;
  if (override !== undefined && override !== '') {
    if (!existsSync(override)) throw new Error(`SOFTHSM2_MODULE=${override} does not exist`);
    return override;
  }
  const found = MODULE_CANDIDATES.find((p) => existsSync(p));
  if (found === undefined) {
    throw new Error(
      `SoftHSM2 is not installed (looked for libsofthsm2.so in ${MODULE_CANDIDATES.join(', ')}); install it with 'apt-get install softhsm2' or set SOFTHSM2_MODULE`,
    );
  }
  return found;
}

/** Parses `softhsm2-util --show-slots`: slot id → token label (trimmed; SoftHSM pads to 32). */
export function parseShowSlots(output: string): Map<string, string> {
  const slots = new Map<string, string>();
  let current: string | undefined;
  for (const line of output.split('\n')) {
    const slot = /^Slot (\d+)\s*$/.exec(line);
    if (slot !== null) current = slot[1];
    const label = /^\s+Label:\s?(.*)$/.exec(line);
    if (label !== null && current !== undefined) slots.set(current, (label[1] ?? '').trim());
  }
  return slots;
}

async function softhsmUtil(args: readonly string[], conf: string): Promise<string> {
  try {
    const { stdout } = await run('softhsm2-util', [...args], {
      env: { ...process.env, SOFTHSM2_CONF: conf },
    });
    return stdout;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') {
      throw new Error("softhsm2-util not found: install SoftHSM2 ('apt-get install softhsm2')", {
        cause: e,
      });
    }
    throw new Error(
      `softhsm2-util ${args[0] ?? ''} failed: ${(err.stderr ?? err.message).trim()}`,
      { cause: e },
    );
  }
}

/** Finds the slot holding the token with `label` under `conf`, or undefined. */
export async function findSlotByLabel(conf: string, label: string): Promise<string | undefined> {
  const slots = parseShowSlots(await softhsmUtil(['--show-slots'], conf));
  return [...slots].find(([, l]) => l === label)?.[0];
}

/**
 * Creates (or reuses, when `dir` already holds a token with this label) a SoftHSM2 token.
 * Reuse keeps `keyplane dev up --state-dir` sessions alive across restarts.
 */
export async function createSoftHsmToken(options: SoftHsmTokenOptions = {}): Promise<SoftHsmToken> {
  const label = options.label ?? 'keyplane-dev';
  const pin = options.pin ?? '1234';
  const soPin = options.soPin ?? '5678';
  if (label.length === 0 || label.length > 32)
    throw new Error(`label '${label}' must be 1–32 characters`);
  if (pin.length < 4 || pin.length > 255) throw new Error('pin must be 4–255 characters');
  const module = findSoftHsmModule();
  const owned = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'keyplane-softhsm-')));
  const conf = join(dir, 'softhsm2.conf');
  await mkdir(join(dir, 'tokens'), { recursive: true, mode: 0o700 });
  const config = [
    `directories.tokendir = ${join(dir, 'tokens')}`,
    'objectstore.backend = file',
    'log.level = ERROR',
    'slots.removable = false',
    'slots.mechanisms = ALL',
    'library.reset_on_fork = false',
    '',
  ].join('\n');
  await writeFile(conf, config, { mode: 0o600 });
  let slot = await findSlotByLabel(conf, label);
  if (slot === undefined) {
    await softhsmUtil(
      ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', soPin],
      conf,
    );
    slot = await findSlotByLabel(conf, label);
  }
  if (slot === undefined)
    throw new Error(`token '${label}' was initialised but no slot reports it`);
  return {
    module,
    conf,
    dir,
    label,
    pin,
    slot,
    env: { SOFTHSM2_CONF: conf },
    dispose: async () => {
      if (owned) await rm(dir, { recursive: true, force: true });
    },
  };
}
