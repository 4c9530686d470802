/**
 * `npm run bench` — prints each Keyplane path next to its raw baseline, measured in this run.
 * `--quick` shortens every benchmark, for a smoke run of the script (no test runs the benchmarks
 * and none asserts timings; CI type-checks bench/ with the rest).
 *
 * @module
 */
import { cpus } from 'node:os';
import { benchCdktfSynth } from './cdktf-synth';
import { printPairs } from './harness';
import { benchProviderPlan, printProviderPlan } from './provider-plan';
import { benchProviderStartup, printProviderStartup } from './provider-startup';
import { benchCloudSign } from './sign-cloud';
import { benchPkcs11 } from './sign-pkcs11';
import { benchSoftwareSign } from './sign-software';
import { benchStartup } from './startup';
import { benchStore } from './store';
import { benchDistribute } from './distribute';
import { benchDistributeQuotaBound, printQuotaBound } from './distribute-quotas';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.METADATA_SERVER_DETECTION = 'none';

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  console.log(
    `Keyplane benchmarks — node ${process.version}, ${String(cpus().length)} CPU(s)${quick ? ', quick mode' : ''}`,
  );
  printPairs(
    'CLI start-up, whole processes (op/s = processes per CPU second)',
    await benchStartup(quick),
  );
  printProviderStartup(await benchProviderStartup(quick));
  printProviderPlan(await benchProviderPlan(quick));
  printPairs('CDKTF synth (in process, same stack shape)', await benchCdktfSynth(quick));
  printPairs('Software signing (same KeyObject)', await benchSoftwareSign(quick));
  const hsm = await benchPkcs11(quick);
  printPairs('PKCS#11 on SoftHSM2 (same token and key)', hsm.pairs);
  const base = hsm.scaling[0]?.opsPerSec ?? 1;
  console.log('\nPKCS#11 session pool (rsa-2048 sign, 8 callers)');
  for (const row of hsm.scaling) {
    console.log(
      `  max_parallel=${String(row.maxParallel)}  ${row.opsPerSec.toFixed(0).padStart(6)} op/s  ×${(row.opsPerSec / base).toFixed(2)}`,
    );
  }
  printPairs('Cloud backends vs direct SDK calls (same emulator key)', await benchCloudSign(quick));
  const store = await benchStore(quick);
  printPairs('Key store (SQLite file, PostgreSQL on loopback)', store.pairs);
  const c = store.concurrency;
  console.log(
    `\nPostgreSQL, ${String(c.writers)} concurrent writers on one record (optimistic revisions)\n  ${String(c.increments)} increments → final ${String(c.final)} (${c.final === c.increments ? 'no lost update' : 'LOST UPDATES'}), ${String(c.conflicts)} ERR_CONFLICT retries, ${c.opsPerSec.toFixed(0)} committed op/s`,
  );
  printPairs('Fleet distribution (dev-stack emulators, quotas off)', [
    await benchDistribute(quick),
  ]);
  // `--quotas real`: also the fleet under the clouds' published quotas (distribute-quotas.ts).
  const quotas = process.argv.indexOf('--quotas');
  if (quotas >= 0 && process.argv[quotas + 1] === 'real')
    printQuotaBound(await benchDistributeQuotaBound(quick));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
