/**
 * Side-by-side timing: a subject and its raw baseline run in alternating rounds in the same
 * process, so CPU frequency, GC and emulator warm-up affect both alike; the reported ratio is
 * the median of per-round ratios (robust to one slow round), printed next to the throughput
 * ratio (total subject time / total baseline time) and the number of rounds: when the two forms
 * disagree the run was disturbed. Ratios, not absolute numbers, are what the budgets are about.
 * On a shared machine wall clock stays noisy however long the rounds; bench/callgrind.ts
 * counts instructions for the in-process pairs instead, which repeat run to run.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';

export type Operation = () => Promise<unknown>;

export interface PairOptions {
  /** Operations per round and side. */
  readonly perRound: number;
  readonly rounds: number;
  /** Operations in flight at once (1 = sequential). */
  readonly concurrency?: number;
  readonly warmup?: number;
}

export interface PairResult {
  readonly name: string;
  readonly baselineOpsPerSec: number;
  readonly subjectOpsPerSec: number;
  /** Median of per-round subject time / baseline time (1.00 = no overhead). */
  readonly ratio: number;
  /** Total subject time / total baseline time over all rounds. */
  readonly throughputRatio: number;
  readonly rounds: number;
  readonly budget?: number;
}

async function timeRound(op: Operation, count: number, concurrency: number): Promise<number> {
  const start = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      await op();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - start;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

export async function comparePair(
  name: string,
  baseline: Operation,
  subject: Operation,
  options: PairOptions,
  budget?: number,
): Promise<PairResult> {
  const concurrency = options.concurrency ?? 1;
  const warmup = options.warmup ?? Math.max(5, Math.floor(options.perRound / 4));
  await timeRound(baseline, warmup, concurrency);
  await timeRound(subject, warmup, concurrency);
  const ratios: number[] = [];
  let baseMs = 0;
  let subjMs = 0;
  for (let r = 0; r < options.rounds; r++) {
    // Alternate which side goes first so neither always runs on a warmer machine.
    const order = r % 2 === 0 ? ([baseline, subject] as const) : ([subject, baseline] as const);
    const first = await timeRound(order[0], options.perRound, concurrency);
    const second = await timeRound(order[1], options.perRound, concurrency);
    const [b, s] = r % 2 === 0 ? [first, second] : [second, first];
    baseMs += b;
    subjMs += s;
    ratios.push(s / b);
  }
  const total = options.perRound * options.rounds;
  return {
    name,
    baselineOpsPerSec: (total / baseMs) * 1000,
    subjectOpsPerSec: (total / subjMs) * 1000,
    ratio: median(ratios),
    throughputRatio: subjMs / baseMs,
    rounds: options.rounds,
    ...(budget === undefined ? {} : { budget }),
  };
}

/** Throughput of one operation at a given concurrency (for scaling tables). */
export async function throughput(
  op: Operation,
  count: number,
  concurrency: number,
): Promise<number> {
  await timeRound(op, Math.max(5, Math.floor(count / 4)), concurrency);
  const ms = await timeRound(op, count, concurrency);
  return (count / ms) * 1000;
}

export function printPairs(title: string, results: readonly PairResult[]): void {
  console.log(`\n${title}`);
  console.log(
    `  ${'benchmark'.padEnd(52)}${'baseline op/s'.padStart(14)}${'keyplane op/s'.padStart(15)}${'median'.padStart(8)}${'total'.padStart(7)}${'rounds'.padStart(7)}  budget`,
  );
  for (const r of results) {
    const verdict =
      r.budget === undefined
        ? ''
        : r.ratio <= r.budget
          ? `≤ ${r.budget.toFixed(2)} ok`
          : `> ${r.budget.toFixed(2)} OVER`;
    console.log(
      `  ${r.name.padEnd(52)}${r.baselineOpsPerSec.toFixed(0).padStart(14)}${r.subjectOpsPerSec.toFixed(0).padStart(15)}${r.ratio.toFixed(3).padStart(8)}${r.throughputRatio.toFixed(3).padStart(7)}${String(r.rounds).padStart(7)}  ${verdict}`,
    );
  }
}
