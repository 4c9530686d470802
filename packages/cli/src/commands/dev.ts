/**
 * `keyplane dev up|status|env|down` — run the local clouds (AWS KMS, Azure Key Vault, GCP Cloud
 * KMS emulators and a SoftHSM2 token) on 127.0.0.1 so the whole Keyplane flow works offline.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DEFAULT_IMPORT_SETTLE_MS,
  DEV_ENV,
  DEV_FAULT_OPERATIONS,
  DEV_TOKEN_LABEL,
  DEV_TOKEN_PIN,
  parseFaultTable,
  startDevStack,
  type DevStackInfo,
  type DevStackPorts,
  type FaultTable,
} from '@keyplane/emulators';
import { ENV_VARIABLES, envName, readEnv } from '@keyplane/engine/env';
import { UsageError, type CommandContext, type CommandSpec, type OptionSpec } from '../command';
import { FileError } from '../files';
import {
  DEV_PORT_NAMES,
  exportLines,
  isAlive,
  isPortFree,
  readPreviousPorts,
  readRuntime,
  removeRuntime,
  stateDirOf,
  writePorts,
  writeRuntime,
  type DevPortName,
  type DevRuntime,
} from '../dev-runtime';
import { printResult, printText } from '../output';

const STATE_DIR: OptionSpec = {
  name: 'state-dir',
  type: 'string',
  valueName: 'dir',
  description:
    'Where emulator state, the Azure CA and the SoftHSM token live (default: .keyplane/dev).',
};

const CLOUDS = ['aws', 'azure', 'gcp'] as const;

const FAULTS: readonly OptionSpec[] = CLOUDS.map((cloud) => ({
  name: `${cloud}-faults`,
  type: 'string' as const,
  valueName: 'json',
  description: `Fault injection for ${cloud}, e.g. '{"Sign":{"errorRate":0.2,"latencyMs":50}}' (or env ${envName(ENV_VARIABLES.devFaults, cloud)}).`,
}));

/** `--<cloud>-faults` wins over $KEYPLANE_<CLOUD>_FAULTS; bad JSON is a usage error naming the source. */
function faults(ctx: CommandContext, cloud: (typeof CLOUDS)[number]): FaultTable {
  const flag = ctx.values[`${cloud}-faults`];
  const variable = envName(ENV_VARIABLES.devFaults, cloud);
  try {
    return typeof flag === 'string'
      ? parseFaultTable(flag, `--${cloud}-faults`, DEV_FAULT_OPERATIONS[cloud])
      : parseFaultTable(
          readEnv(ENV_VARIABLES.devFaults, process.env, cloud),
          variable,
          DEV_FAULT_OPERATIONS[cloud],
        );
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

const PORTS: readonly OptionSpec[] = CLOUDS.map((cloud) => ({
  name: `${cloud}-port`,
  type: 'string' as const,
  valueName: 'port',
  description: `Port for the ${cloud} emulator (default: the previous session's if still free, else a free one; 0: a new free one).`,
}));

/** The `--<cloud>-port` value, or undefined when not given (0 asks for a new free port). */
function port(ctx: CommandContext, name: string): number | undefined {
  const v = ctx.values[name];
  if (typeof v !== 'string') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`--${name} '${v}' is not a port (0–65535)`);
  return n;
}

const MAX_DELAY_MS = 600_000;

const DELAYS: readonly OptionSpec[] = [
  {
    name: 'azure-consistency-delay',
    type: 'string',
    valueName: 'ms',
    description:
      'Azure soft delete eventually consistent for MS milliseconds after a DELETE, as in the service (default 0: off).',
  },
  {
    name: 'gcp-import-settle',
    type: 'string',
    valueName: 'ms',
    description: `How long a GCP import stays PENDING_IMPORT before ENABLED or IMPORT_FAILED (default ${DEFAULT_IMPORT_SETTLE_MS}; 0 settles at once).`,
  },
];

function milliseconds(ctx: CommandContext, name: string): number | undefined {
  const v = ctx.values[name];
  if (typeof v !== 'string') return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < 0 || n > MAX_DELAY_MS)
    throw new UsageError(`--${name} '${v}' is not a number of milliseconds (0–${MAX_DELAY_MS})`);
  return n;
}

const PORT_LABELS: Readonly<Record<DevPortName, string>> = {
  aws: 'aws',
  azure: 'azure',
  gcp: 'gcp',
  gcpControl: 'gcp control',
};

/**
 * Ports for this start: a `--<cloud>-port` flag wins; otherwise the previous session's port when
 * it is still free, so `endpoint=` values stored in managed keys keep working across restarts.
 */
async function choosePorts(
  ctx: CommandContext,
  stateDir: string,
): Promise<{ ports: DevStackPorts; notes: string[] }> {
  const given: Partial<Record<DevPortName, number | undefined>> = {
    aws: port(ctx, 'aws-port'),
    azure: port(ctx, 'azure-port'),
    gcp: port(ctx, 'gcp-port'),
  };
  const ports: Record<DevPortName, number> = { aws: 0, azure: 0, gcp: 0, gcpControl: 0 };
  const previous = readPreviousPorts(stateDir);
  const reused: string[] = [];
  const taken: string[] = [];
  for (const name of DEV_PORT_NAMES) {
    const before = previous[name];
    const flag = given[name];
    if (flag !== undefined) ports[name] = flag;
    if (flag !== undefined || before === undefined) continue;
    if (await isPortFree(before)) {
      ports[name] = before;
      reused.push(`${PORT_LABELS[name]} ${before}`);
    } else taken.push(`${PORT_LABELS[name]} ${before}`);
  }
  const notes = [
    ...(reused.length > 0 ? [`Reused the previous session's ports: ${reused.join(', ')}.`] : []),
    ...(taken.length > 0
      ? [
          `Previous ports in use by something else, new ones picked (update stored endpoint= values): ${taken.join(', ')}.`,
        ]
      : []),
  ];
  return { ports, notes };
}

/** What walkthroughs can use right away, and what happened to the ports. */
function summaryOf(info: DevStackInfo, notes: readonly string[]): string {
  return [
    'Ready to use:',
    `  AWS KMS         ${info.aws.endpoint} (region us-east-1, credentials keyplane-dev/keyplane-dev)`,
    `  Azure Key Vault ${info.azure.vaultUrl}: any vault_name works with endpoint= this URL (ca_file=${info.azure.caFile})`,
    `  GCP key ring    ${info.gcp.keyRing} (gRPC ${info.gcp.endpoint}, control ${info.gcp.controlUrl})`,
    `  SoftHSM2 token  ${DEV_TOKEN_LABEL}, PIN ${DEV_TOKEN_PIN} (module ${info.softhsm.module})`,
    ...notes,
  ].join('\n');
}

function notRunning(stateDir: string): FileError {
  return new FileError(
    `keyplane dev is not running (state dir ${stateDir}); start it with 'keyplane dev up'`,
  );
}

/** Foreground: start the stack, record it, serve until SIGINT/SIGTERM. */
async function serve(ctx: CommandContext, stateDir: string): Promise<void> {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const { ports, notes } = await choosePorts(ctx, stateDir);
  const azureDelay = milliseconds(ctx, 'azure-consistency-delay');
  const gcpSettle = milliseconds(ctx, 'gcp-import-settle');
  const stack = await startDevStack({
    stateDir,
    ...(ctx.values.quotas === 'real' ? { quotas: 'real' as const } : {}),
    ports,
    faults: { aws: faults(ctx, 'aws'), azure: faults(ctx, 'azure'), gcp: faults(ctx, 'gcp') },
    ...(azureDelay === undefined ? {} : { azureConsistencyDelayMs: azureDelay }),
    ...(gcpSettle === undefined ? {} : { gcpImportSettleMs: gcpSettle }),
  });
  writePorts(stateDir, stack.info.ports);
  const summary = summaryOf(stack.info, notes);
  const health = [
    `${stack.info.aws.endpoint}/_keyplane/health`,
    `${stack.info.azure.vaultUrl}/_keyplane/health`,
    `${stack.info.gcp.controlUrl}/_keyplane/health`,
  ];
  writeRuntime({
    pid: process.pid,
    startedAt: new Date().toISOString(),
    stateDir,
    env: stack.env,
    health,
    summary,
  });
  await printText(
    ctx,
    `keyplane dev is up (pid ${process.pid}).\n${summary}\nUse it with:\n${exportLines(stack.env)}\n# stop with Ctrl-C or 'keyplane dev down'`,
  );
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await printText(ctx, 'keyplane dev: stopping…');
  await stack.close();
  removeRuntime(stateDir);
  await printText(ctx, 'keyplane dev: stopped');
  // The servers are closed, but an HTTP/2 socket whose client never answers GOAWAY (a client
  // blocked in a synchronous call) would keep this process alive: the job is done, so exit.
  process.exit(0);
}

/** Detached: re-run `dev up` in the background and wait until it has recorded itself. */
async function detach(
  ctx: CommandContext,
  stateDir: string,
  argv: readonly string[],
): Promise<void> {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const log = join(stateDir, 'dev.log');
  const out = openSync(log, 'a', 0o600);
  const bin = resolve(__dirname, '../../bin/keyplane.js');
  const child = spawn(
    process.execPath,
    [bin, 'dev', 'up', ...argv.filter((a) => a !== '--detach')],
    {
      detached: true,
      stdio: ['ignore', out, out],
    },
  );
  child.unref();
  const pid = child.pid ?? -1;
  for (let waited = 0; waited < 60_000; waited += 100) {
    const runtime = readRuntime(stateDir);
    if (runtime?.pid === pid) {
      await printText(
        ctx,
        `keyplane dev is up in the background (pid ${pid}, log ${log}).\n${runtime.summary}\nLoad the environment with:\n  eval "$(keyplane dev env --state-dir ${stateDir})"`,
      );
      return;
    }
    if (!isAlive(pid)) break;
    await sleep(100);
  }
  const tail = readFileSync(log, 'utf8').split('\n').slice(-15).join('\n');
  throw new FileError(`keyplane dev failed to start; last lines of ${log}:\n${tail}`);
}

export const devUp: CommandSpec = {
  path: ['dev', 'up'],
  details:
    "Foreground by default (Ctrl-C stops). With --detach it runs in the background; then use 'keyplane dev env' and 'keyplane dev down'.",
  options: [
    { name: 'detach', type: 'boolean', description: 'Run in the background.' },
    {
      name: 'quotas',
      type: 'string',
      valueName: 'preset',
      choices: ['real'],
      description: "Apply the clouds' published default quotas.",
    },
    STATE_DIR,
    ...PORTS,
    ...DELAYS,
    ...FAULTS,
  ],
  run: async (ctx) => {
    for (const p of PORTS) port(ctx, p.name);
    for (const d of DELAYS) milliseconds(ctx, d.name);
    for (const cloud of CLOUDS) faults(ctx, cloud);
    const stateDir = stateDirOf(ctx.values['state-dir']);
    const running = readRuntime(stateDir);
    if (running !== undefined) {
      throw new FileError(
        `keyplane dev is already running (pid ${running.pid}, since ${running.startedAt}); stop it with 'keyplane dev down'`,
      );
    }
    if (ctx.values.detach === true) await detach(ctx, stateDir, ctx.argv);
    else await serve(ctx, stateDir);
  },
};

export const devStatus: CommandSpec = {
  path: ['dev', 'status'],
  options: [STATE_DIR, { name: 'json', type: 'boolean', description: 'Print status as JSON.' }],
  run: async (ctx) => {
    const stateDir = stateDirOf(ctx.values['state-dir']);
    const runtime = readRuntime(stateDir);
    if (runtime === undefined) throw notRunning(stateDir);
    const caFile = runtime.env[DEV_ENV.azureCaFile];
    const checks = await Promise.all(
      runtime.health.map(async (url) => ({ url, ok: await healthy(url, caFile) })),
    );
    const lines = checks.map((c) => `  ${c.ok ? 'ok  ' : 'DOWN'} ${c.url}`);
    await printResult(
      ctx,
      { running: true, pid: runtime.pid, startedAt: runtime.startedAt, checks },
      `keyplane dev is running (pid ${runtime.pid}, since ${runtime.startedAt})\n${lines.join('\n')}`,
    );
    if (checks.some((c) => !c.ok)) throw new FileError('some emulators do not answer; see above');
  },
};

/** GET a health URL; https URLs (Azure) are checked against the emulator's own CA file. */
async function healthy(url: string, caFile: string | undefined): Promise<boolean> {
  return await new Promise<boolean>((done) => {
    const ca = url.startsWith('https:') && caFile !== undefined ? readFileSync(caFile) : undefined;
    const req = (url.startsWith('https:') ? httpsGet : httpGet)(
      url,
      { ca, timeout: 2000 },
      (res) => {
        res.resume();
        done(res.statusCode === 200);
      },
    );
    req.on('error', () => {
      done(false);
    });
    req.on('timeout', () => {
      req.destroy();
    });
  });
}

export const devEnv: CommandSpec = {
  path: ['dev', 'env'],
  options: [STATE_DIR],
  run: async (ctx) => {
    const stateDir = stateDirOf(ctx.values['state-dir']);
    const runtime: DevRuntime | undefined = readRuntime(stateDir);
    if (runtime === undefined) throw notRunning(stateDir);
    await printText(ctx, exportLines(runtime.env));
  },
};

export const devDown: CommandSpec = {
  path: ['dev', 'down'],
  options: [STATE_DIR],
  run: async (ctx) => {
    const stateDir = stateDirOf(ctx.values['state-dir']);
    const runtime = readRuntime(stateDir);
    if (runtime === undefined) {
      await printText(ctx, `keyplane dev is not running (state dir ${stateDir}); nothing to stop`);
      return;
    }
    process.kill(runtime.pid, 'SIGTERM');
    for (let waited = 0; waited < 15_000 && isAlive(runtime.pid); waited += 100) await sleep(100);
    if (isAlive(runtime.pid))
      throw new FileError(`keyplane dev (pid ${runtime.pid}) did not stop within 15 s`);
    removeRuntime(stateDir);
    await printText(ctx, `keyplane dev stopped (pid ${runtime.pid}); state kept in ${stateDir}`);
  },
};
