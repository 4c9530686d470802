/**
 * Fleet distribution under the clouds' published quotas (`--quotas real`: the dev-stack
 * emulators throttle like AWS, Azure and GCP). The baseline is not a script but the lower limit
 * the quota tables allow for the requests Keyplane made: for each quota group with `limit`
 * requests per `window`, n admitted requests take at least (ceil(n / limit) − 1) × window (a
 * sliding window admits `limit` at once, then `limit` per window), and the run can be no shorter
 * than its slowest group. Budget ≤ 1.10× that limit, zero failed distributions. AWS allows
 * GetParametersForImport once per 4 s (one per imported version), so the fleet is scaled down
 * to 8 keys (3 with --quick): 50 would make the bench over 3 minutes for AWS alone.
 *
 * @module
 */
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { CLOUDS, IN_FLIGHT, pool, startFleet } from './distribute';

interface QuotaRule {
  readonly limit: number;
  readonly windowSeconds: number;
}

export interface QuotaBoundResult {
  readonly name: string;
  readonly keys: number;
  readonly failed: number;
  readonly wallMs: number;
  readonly lowerBoundMs: number;
  /** The quota group that sets the lower limit, with its request count. */
  readonly boundBy: string;
  readonly ratio: number;
  readonly budget: number;
}

/** GET `<base>/_keyplane/<what>` (the Azure emulator serves TLS with its own CA). */
async function control(base: string, what: string, ca?: string): Promise<unknown> {
  const url = new URL(`/_keyplane/${what}`, base);
  if (url.protocol === 'http:') return await (await fetch(url)).json();
  return await new Promise((resolve, reject) => {
    request(url, { ca }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => {
        resolve(JSON.parse(body));
      });
    })
      .on('error', reject)
      .end();
  });
}

/** The quota-bound lower limit of `used` requests (ms), and the group that sets it. */
function lowerBound(
  rules: Readonly<Record<string, QuotaRule>>,
  used: Readonly<Record<string, number>>,
): { ms: number; group: string } {
  let best = { ms: 0, group: '(none)' };
  for (const [group, n] of Object.entries(used)) {
    const rule = rules[group];
    if (rule === undefined || n === 0) continue;
    const ms = (Math.ceil(n / rule.limit) - 1) * rule.windowSeconds * 1000;
    if (ms > best.ms) best = { ms, group: `${group} ×${String(n)}` };
  }
  return best;
}

export async function benchDistributeQuotaBound(quick: boolean): Promise<QuotaBoundResult> {
  const keys = quick ? 3 : 8;
  const fleet = await startFleet({ quotas: 'real' });
  try {
    const env = fleet.stack.env;
    const ca = readFileSync(env.KEYPLANE_AZURE_CA_FILE ?? '', 'utf8');
    const clouds = [
      { name: 'aws', base: env.KEYPLANE_AWS_KMS_ENDPOINT ?? '' },
      { name: 'azure', base: env.KEYPLANE_AZURE_KEYVAULT_URL ?? '', ca },
      { name: 'gcp', base: env.KEYPLANE_GCP_CONTROL_URL ?? '' },
    ];
    for (let i = 0; i < keys; i++)
      await fleet.client.create(`fleet-${String(i)}`, { type: 'rsa-2048' });
    const usage = async () =>
      await Promise.all(
        clouds.map(async (c) => (await control(c.base, 'usage', c.ca)) as Record<string, number>),
      );
    const before = await usage();
    let failed = 0;
    const start = performance.now();
    await pool(keys, async (i) => {
      const results = await Promise.allSettled(
        CLOUDS.map((c) =>
          fleet.client.distributions.distribute(c, `fleet-${String(i)}`, {
            purpose: 'sign,verify',
          }),
        ),
      );
      for (const r of results) {
        if (r.status === 'rejected') {
          failed++;
          console.error(`  failed: ${String(r.reason)}`);
        }
      }
    });
    const wallMs = performance.now() - start;
    const after = await usage();
    let bound = { ms: 0, group: '(none)' };
    for (const [i, c] of clouds.entries()) {
      const rules = (await control(c.base, 'quotas', c.ca)) as Record<string, QuotaRule>;
      const used = Object.fromEntries(
        Object.entries(after[i] ?? {}).map(([g, n]) => [g, n - (before[i]?.[g] ?? 0)]),
      );
      const b = lowerBound(rules, used);
      if (b.ms > bound.ms) bound = { ms: b.ms, group: `${c.name} ${b.group}` };
    }
    return {
      name: `distribute ${String(keys)} rsa-2048 keys × 3 clouds, ${String(IN_FLIGHT)} in flight, quotas real (scaled down: AWS GetParametersForImport 1 per 4 s)`,
      keys,
      failed,
      wallMs,
      lowerBoundMs: bound.ms,
      boundBy: bound.group,
      ratio: bound.ms === 0 ? Number.NaN : wallMs / bound.ms,
      budget: 1.1,
    };
  } finally {
    await fleet.close();
  }
}

export function printQuotaBound(r: QuotaBoundResult): void {
  console.log(`\nFleet distribution under real quotas\n  ${r.name}`);
  console.log(
    `  wall ${(r.wallMs / 1000).toFixed(1)} s vs quota-bound lower limit ${(r.lowerBoundMs / 1000).toFixed(1)} s (${r.boundBy}): ×${r.ratio.toFixed(2)} (budget ≤ ${r.budget.toFixed(2)}), ${String(r.failed)} failed`,
  );
}

if (require.main === module) {
  benchDistributeQuotaBound(process.argv.includes('--quick')).then(
    (r) => {
      printQuotaBound(r);
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
