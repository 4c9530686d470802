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

export interface ProviderPlan {
  readonly resources: number;
  readonly keyplaneMs: number;
  readonly terraformDataMs: number;
  readonly ratio: number;
  readonly rounds: number;
}

export async function benchProviderPlan(quick: boolean): Promise<ProviderPlan> {
  const n = quick ? 20 : 500;
  const rounds = quick ? 1 : 5;
  const token = await createSoftHsmToken({ label: 'kp-bench-plan', pin: PIN });
  const keyplane = workdir(keyplaneConfig(n, token), token);
  const data = workdir(dataConfig(n), token);
  try {
    for (const w of [keyplane, data]) {
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
    await plan(keyplane); // warm the page cache for both sides alike
    await plan(data);
    const k: number[] = [];
    const d: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < rounds; i++) {
      let a: number;
      let b: number;
      // Alternate which side goes first so neither always runs on a warmer machine.
      if (i % 2 === 0) {
        a = await plan(keyplane);
        b = await plan(data);
      } else {
        b = await plan(data);
        a = await plan(keyplane);
      }
      k.push(a);
      d.push(b);
      ratios.push(a / b);
    }
    return {
      resources: n,
      keyplaneMs: median(k),
      terraformDataMs: median(d),
      ratio: median(ratios),
      rounds,
    };
  } finally {
    rmSync(keyplane.dir, { recursive: true, force: true });
    rmSync(data.dir, { recursive: true, force: true });
    await token.dispose();
  }
}

export function printProviderPlan(r: ProviderPlan): void {
  const ok = r.ratio <= 2 ? 'ok' : 'OVER';
  console.log(
    `\nterraform plan (refresh included) of ${String(r.resources)} resources, median of ${String(r.rounds)} alternating rounds`,
  );
  console.log(`  terraform_data              ${r.terraformDataMs.toFixed(0).padStart(7)} ms`);
  console.log(
    `  keyplane_managed_key (HSM)  ${r.keyplaneMs.toFixed(0).padStart(7)} ms   ratio ${r.ratio.toFixed(2)}   budget ≤ 2.00: ${ok}`,
  );
}
