/**
 * `terraform plan` (refresh included) of N keyplane resources against the same configuration
 * of N builtin `terraform_data` resources, both applied first, measured in alternating rounds
 * in this run (budget: ≤ 2× for N = 500). The keyplane side is what a real plan costs: the
 * provider executable installed in a filesystem mirror, several provider launches, a sealed
 * SQLite store opened once per launch, and per resource a refresh that looks up the backend
 * key version in a SoftHSM2 token (drift check) — `keyplane_managed_key` with `test_sign`.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSoftHsmToken, type SoftHsmToken } from '@keyplane/emulators';
import { installProvider } from 'terraform-provider-keyplane';
import { median } from './harness';

const PIN = '1234';

interface Workdir {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
}

function terraform(w: Workdir, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', [`-chdir=${w.dir}`, ...args], {
      env: w.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`terraform ${args.join(' ')} exited ${String(code)}: ${stderr}`));
    });
  });
}

function workdir(main: string, token: SoftHsmToken): Workdir {
  const dir = mkdtempSync(join(tmpdir(), 'kp-bench-plan-'));
  const { cliConfig } = installProvider({ dir: join(dir, '.mirror') });
  writeFileSync(join(dir, '.terraformrc'), cliConfig);
  writeFileSync(join(dir, 'main.tf'), main);
  return {
    dir,
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_CLI_CONFIG_FILE: join(dir, '.terraformrc'),
      KEYPLANE_STORE: join(dir, 'keyplane.db'),
      KEYPLANE_SEAL_PASSPHRASE: 'bench passphrase for plans',
      TF_VAR_pin: PIN,
      ...token.env,
    },
  };
}

const keyplaneConfig = (n: number, token: SoftHsmToken) => `terraform {
  required_providers {
    keyplane = { source = "keyplane/keyplane" }
  }
}
variable "pin" {
  type      = string
  ephemeral = true
}
resource "keyplane_managed_key" "k" {
  count              = ${String(n)}
  name               = "k-\${count.index}"
  type               = "pkcs11"
  library            = "${token.module}"
  token_label        = "${token.label}"
  key_label          = "k-\${count.index}"
  mechanism          = "0x1041"
  curve              = "P256"
  allow_generate_key = true
  pin_wo             = var.pin
  pin_wo_version     = 1
}
`;

/** N signing keys over one managed key: the provider + store path with one backend key. */
const signingConfig = (n: number, token: SoftHsmToken) => `${keyplaneConfig(1, token).replace(
  'allow_generate_key = true',
  'allow_generate_key = true\n  any_mount          = true',
)}
resource "keyplane_signing_key" "s" {
  count       = ${String(n)}
  name        = "s-\${count.index}"
  managed_key = keyplane_managed_key.k[0].id
}
`;

const dataConfig = (n: number) => `resource "terraform_data" "k" {
  count = ${String(n)}
  input = {
    name        = "k-\${count.index}"
    type        = "pkcs11"
    key_label   = "k-\${count.index}"
    mechanism   = "0x1041"
    curve       = "P256"
  }
}
`;

export interface PlanSide {
  readonly name: string;
  readonly ms: number;
  /** Median of per-round ratios against terraform_data. */
  readonly ratio: number;
}

export interface ProviderPlan {
  readonly resources: number;
  readonly terraformDataMs: number;
  readonly sides: readonly PlanSide[];
  readonly rounds: number;
}

export async function benchProviderPlan(quick: boolean): Promise<ProviderPlan> {
  const n = quick ? 20 : 500;
  const rounds = quick ? 1 : 3;
  const token = await createSoftHsmToken({ label: 'kp-bench-plan', pin: PIN });
  const subjects = [
    { name: 'keyplane_managed_key (HSM)', w: workdir(keyplaneConfig(n, token), token) },
    { name: 'keyplane_signing_key', w: workdir(signingConfig(n, token), token) },
  ];
  const data = workdir(dataConfig(n), token);
  const all = [...subjects.map((s) => s.w), data];
  try {
    for (const w of all) {
      await terraform(w, ['init', '-input=false']);
      // One at a time: concurrent C_GenerateKeyPair on one SoftHSM2 token fails now and then
      // (CKR_GENERAL_ERROR), which is not what this benchmark is about.
      await terraform(w, ['apply', '-auto-approve', '-input=false', '-parallelism=1']);
    }
    const plan = async (w: Workdir) => {
      const t0 = performance.now();
      await terraform(w, ['plan', '-input=false', '-detailed-exitcode', '-lock=false']);
      return performance.now() - t0;
    };
    for (const w of all) await plan(w); // warm the page cache for every side alike
    const times = subjects.map(() => [] as number[]);
    const ratios = subjects.map(() => [] as number[]);
    const base: number[] = [];
    for (let i = 0; i < rounds; i++) {
      // Alternate the order so no side always runs on a warmer machine.
      const order = i % 2 === 0 ? [...subjects.keys(), -1] : [-1, ...subjects.keys()];
      const round = new Map<number, number>();
      for (const j of order) round.set(j, await plan(j < 0 ? data : (subjects[j]?.w ?? data)));
      const b = round.get(-1) ?? 1;
      base.push(b);
      subjects.forEach((_, j) => {
        const t = round.get(j) ?? 0;
        times[j]?.push(t);
        ratios[j]?.push(t / b);
      });
    }
    return {
      resources: n,
      terraformDataMs: median(base),
      sides: subjects.map((s, j) => ({
        name: s.name,
        ms: median(times[j] ?? []),
        ratio: median(ratios[j] ?? []),
      })),
      rounds,
    };
  } finally {
    for (const w of all) rmSync(w.dir, { recursive: true, force: true });
    await token.dispose();
  }
}

export function printProviderPlan(r: ProviderPlan): void {
  console.log(
    `\nterraform plan (refresh included) of ${String(r.resources)} resources, median of ${String(r.rounds)} alternating rounds`,
  );
  console.log(`  terraform_data              ${r.terraformDataMs.toFixed(0).padStart(7)} ms`);
  for (const side of r.sides) {
    const ok = side.ratio <= 2 ? 'ok' : 'OVER';
    console.log(
      `  ${side.name.padEnd(27)} ${side.ms.toFixed(0).padStart(7)} ms   ratio ${side.ratio.toFixed(2)}   budget ≤ 2.00: ${ok}`,
    );
  }
}
