/**
 * CLI start-up: whole `keyplane` processes next to `node -e 0`, side by side in alternating
 * rounds (budget ≤ 1.5× for `--help` and `key generate`). The measure is CPU (user + system)
 * of the child processes, read from this process's children totals in /proc/self/stat (Linux),
 * which does not depend on how busy the machine is the way wall time does.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PairResult } from './harness';

const BIN = resolve(__dirname, '../../packages/cli/bin/keyplane.js');
/** USER_HZ: the unit of /proc times (sysconf(_SC_CLK_TCK), 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU ms used so far by this process's waited-for children (cutime + cstime). */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // Fields after the parenthesised command name; cutime and cstime are fields 16 and 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
}

/** CPU ms of `count` runs of `node …args` (each must exit 0). */
function cpuOf(args: () => readonly string[], count: number, cwd: string): number {
  const before = childrenCpuMs();
  for (let i = 0; i < count; i++) {
    const r = spawnSync(process.execPath, args(), { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`node ${args().join(' ')} failed: ${String(r.stderr)}`);
  }
  return childrenCpuMs() - before;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

export async function benchStartup(quick: boolean): Promise<PairResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'keyplane-bench-startup-'));
  try {
    let n = 0;
    const subjects = [
      { name: 'keyplane --help', args: () => [BIN, '--help'] },
      {
        name: 'keyplane key generate ecdsa-p256',
        args: () => [
          BIN,
          'key',
          'generate',
          '--type',
          'ecdsa-p256',
          '--out',
          `k${String(n++)}.pem`,
        ],
      },
    ];
    const baseline = () => ['-e', '0'];
    const perRound = quick ? 3 : 10;
    const rounds = quick ? 3 : 15;
    const rows: PairResult[] = [];
    for (const subject of subjects) {
      cpuOf(baseline, 2, dir);
      cpuOf(subject.args, 2, dir);
      const ratios: number[] = [];
      let baseMs = 0;
      let subjMs = 0;
      for (let r = 0; r < rounds; r++) {
        // Alternate which side goes first so neither always runs on a warmer machine.
        const first = r % 2 === 0 ? baseline : subject.args;
        const second = r % 2 === 0 ? subject.args : baseline;
        const a = cpuOf(first, perRound, dir);
        const b = cpuOf(second, perRound, dir);
        const [base, subj] = r % 2 === 0 ? [a, b] : [b, a];
        baseMs += base;
        subjMs += subj;
        ratios.push(subj / base);
      }
      const total = perRound * rounds;
      rows.push({
        name: `${subject.name} vs node -e 0`,
        baselineOpsPerSec: (total / baseMs) * 1000,
        subjectOpsPerSec: (total / subjMs) * 1000,
        ratio: median(ratios),
        throughputRatio: subjMs / baseMs,
        rounds,
        budget: 1.5,
      });
    }
    return await Promise.resolve(rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
