/**
 * `npm run bench:callgrind` — instruction counts for the in-process overhead pairs, which wall
 * clock cannot settle on a shared 2-core machine (ratios moved by ±0.15 between runs there).
 * Each side runs in its own `valgrind --tool=callgrind` process, twice: with `warmup` and with
 * `warmup + ops` operations. The difference divided by `ops` is instructions per operation in
 * steady state — start-up, module loading, JIT warm-up and key lookup cancel out. Node runs with
 * `--single-threaded --predictable` (no concurrent JIT/GC threads, fixed hash seeds), so the
 * count repeats to a fraction of a percent; the SoftHSM token is created once, outside valgrind.
 *
 * `--threads` also counts per thread and prints the main (caller's) thread apart from the total,
 * which includes worker threads such as the SQLite audit worker.
 *
 * Bench only (one to five minutes per pair): not part of the test suite, never a timing assertion.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createKmsBackend } from '@keyplane/engine';
import { createSoftHsmToken } from '@keyplane/emulators';
import { CALLGRIND_PAIRS, type CallgrindSide, type TokenEnv } from './callgrind-pairs';

const NODE_FLAGS = ['--single-threaded', '--predictable', '--expose-gc'];

interface Options {
  /** Overrides of each pair's own operation counts. */
  readonly ops: number | undefined;
  readonly warmup: number | undefined;
  /** Overrides the pair's `settle` (0: collect right where the counted operations start, ≤ warmup). */
  readonly settle: number | undefined;
  /** Only this pair (a key of CALLGRIND_PAIRS). */
  readonly only: string | undefined;
  /** Keep the callgrind files of the longer runs (for callgrind_annotate). */
  readonly keep: string | undefined;
  /**
   * `--threads`: also count per thread (callgrind `--separate-threads=yes`) and print the main
   * thread's Ir/op — the caller's hot path — next to the total, which includes worker threads
   * (the SQLite audit worker) and the libuv pool.
   */
  readonly threads: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const count = (flag: string): number | undefined => {
    const text = value(flag);
    if (text === undefined) return undefined;
    if (!/^[0-9]+$/.test(text)) throw new Error(`${flag} must be a whole number ≥ 0, got ${text}`);
    return Number(text);
  };
  return {
    ops: count('--ops'),
    warmup: count('--warmup'),
    settle: count('--settle'),
    only: value('--pair'),
    keep: value('--keep'),
    threads: argv.includes('--threads'),
  };
}

/** Total instructions (Ir) of one process, from the callgrind output's `totals:` line. */
function instructions(file: string): number {
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('totals:') || l.startsWith('summary:'));
  if (line === undefined) throw new Error(`no totals in ${file}`);
  return Number(line.split(/\s+/)[1]);
}

/** Instructions of the whole process and of its main thread (the same without `threads`). */
interface Count {
  readonly total: number;
  readonly main: number;
}

/** With `--separate-threads=yes` callgrind writes `<out>-01`, `<out>-02`, …; thread 1 is main. */
function threadCounts(out: string): Count {
  const dir = dirname(out);
  const files = readdirSync(dir).filter((f) => /^-[0-9]+$/.test(f.slice(basename(out).length)));
  let total = 0;
  let main: number | undefined;
  for (const f of files) {
    const count = instructions(join(dir, f));
    total += count;
    if (f.endsWith('-01')) main = count;
  }
  if (main === undefined) throw new Error(`no main-thread file for ${out}`);
  return { total, main };
}

function measure(
  pair: string,
  side: CallgrindSide,
  warmup: number,
  settle: number,
  count: number,
  out: string,
  env: NodeJS.ProcessEnv,
  threads: boolean,
): Count {
  execFileSync(
    'valgrind',
    [
      '--tool=callgrind',
      `--callgrind-out-file=${out}`,
      ...(threads ? ['--separate-threads=yes'] : []),
      process.execPath,
      ...NODE_FLAGS,
      __filename,
      '--worker',
      pair,
      side,
      String(warmup),
      String(count),
      String(settle),
    ],
    { env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (threads) return threadCounts(out);
  const total = instructions(out);
  return { total, main: total };
}

async function prepareToken(dir: string): Promise<{ env: TokenEnv; dispose: () => Promise<void> }> {
  const token = await createSoftHsmToken({
    dir,
    label: 'keyplane-callgrind',
    pin: '1234',
    soPin: '5678',
  });
  process.env.SOFTHSM2_CONF = token.conf;
  const backend = await createKmsBackend({
    type: 'pkcs11',
    library: token.module,
    tokenLabel: token.label,
    pin: token.pin,
  });
  for (const [name, keyType] of [
    ['bench-rsa', 'rsa-2048'],
    ['bench-ec', 'ecdsa-p256'],
  ] as const) {
    await backend.generateKey({ name }, { keyType, usages: ['sign', 'verify'] });
  }
  await backend.close();
  const env = {
    SOFTHSM2_CONF: token.conf,
    KP_BENCH_MODULE: token.module,
    KP_BENCH_TOKEN: token.label,
    KP_BENCH_PIN: token.pin,
  };
  return { env, dispose: () => token.dispose() };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'kp-callgrind-'));
  const token = await prepareToken(dir);
  const env = { ...process.env, ...token.env };
  console.log(
    `Instruction counts (valgrind --tool=callgrind, node ${NODE_FLAGS.join(' ')}): ` +
      `Ir/op = (Ir(warmup + ops) − Ir(warmup)) / ops, each side in its own process`,
  );
  console.log(
    `  ${'pair'.padEnd(52)}${'baseline Ir/op'.padStart(15)}${'keyplane Ir/op'.padStart(15)}${'ratio'.padStart(8)}  budget`,
  );
  try {
    for (const [name, pair] of Object.entries(CALLGRIND_PAIRS)) {
      if (options.only !== undefined && options.only !== name) continue;
      const ops = options.ops ?? pair.ops;
      const warmup = options.warmup ?? pair.warmup;
      const settle = options.settle ?? pair.settle;
      if (settle > warmup) {
        throw new Error(
          `${name}: --settle (${String(settle)}) must be ≤ --warmup (${String(warmup)})`,
        );
      }
      const perOp = (side: CallgrindSide): Count => {
        const shortFile = join(options.keep ?? dir, `callgrind.${name}.${side}.warmup.out`);
        const short = measure(name, side, warmup, settle, warmup, shortFile, env, options.threads);
        const longFile = join(options.keep ?? dir, `callgrind.${name}.${side}.out`);
        const long = measure(
          name,
          side,
          warmup,
          settle,
          warmup + ops,
          longFile,
          env,
          options.threads,
        );
        return { total: (long.total - short.total) / ops, main: (long.main - short.main) / ops };
      };
      const base = perOp('baseline');
      const subject = perOp('subject');
      const line = (label: string, b: number, k: number): void => {
        const ratio = k / b;
        const verdict = ratio <= pair.budget ? 'ok' : 'OVER';
        console.log(
          `  ${label.padEnd(52)}${b.toFixed(0).padStart(15)}${k.toFixed(0).padStart(15)}${ratio.toFixed(3).padStart(8)}  ≤ ${pair.budget.toFixed(2)} ${verdict}`,
        );
      };
      line(`${pair.title}, ${String(ops)} ops`, base.total, subject.total);
      // The caller's thread alone (the budget is about the hot path; the total is above).
      if (options.threads) line('  main thread only', base.main, subject.main);
    }
  } finally {
    await token.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `count` operations; full collections after opening and `settle` operations before the end
 * of the warm-up put the start-up garbage (a larger heap for the subject, which loads the engine)
 * outside the counted window, so a one-off mark-compact is not charged to the steady-state
 * operations. A collection also frees the maps of short-lived objects, and optimized code that
 * embeds them is thrown away (V8 traces it as "deoptimization, reason: weak objects") and
 * compiled again — inside the counted window when `settle` is 0, which is why every pair sets one.
 */
async function worker(
  pair: string,
  side: CallgrindSide,
  warmup: number,
  count: number,
  settle: number,
): Promise<void> {
  const entry = CALLGRIND_PAIRS[pair];
  if (entry === undefined) throw new Error(`unknown pair ${pair}`);
  const env = process.env;
  const session = await entry.open({
    KP_BENCH_MODULE: env.KP_BENCH_MODULE ?? '',
    KP_BENCH_TOKEN: env.KP_BENCH_TOKEN ?? '',
    KP_BENCH_PIN: env.KP_BENCH_PIN ?? '',
  });
  const op = session[side];
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  const collectAt = Math.max(0, warmup - settle);
  for (let i = 0; i < count; i++) {
    if (i === collectAt) collect?.();
    await op();
  }
  if (count === collectAt) collect?.();
  await session.close();
}

const args = process.argv.slice(2);
const run =
  args[0] === '--worker'
    ? worker(
        args[1] ?? '',
        (args[2] ?? 'baseline') as CallgrindSide,
        Number(args[3]),
        Number(args[4]),
        Number(args[5] ?? 0),
      )
    : main();
run.then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
