/**
 * Runs a script of this folder in a plain `node` process and returns what it printed as JSON.
 * For behaviour jest cannot show: inside jest each test file has its own realm, so Node's own
 * errors fail `instanceof Error` there and realm-dependent checks look right when they are not.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export function runInPlainNode(script: string): unknown {
  const result = spawnSync(
    process.execPath,
    ['-r', join(__dirname, '../../scripts/register-ts.cjs'), join(__dirname, script)],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (result.status !== 0) {
    throw new Error(`${script} exited ${String(result.status)}: ${result.stderr}`);
  }
  return JSON.parse(result.stdout) as unknown;
}
