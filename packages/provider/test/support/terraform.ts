/**
 * The e2e harness: real `terraform` in a private temp dir with its own CLI config, either
 * installing the real provider executable into a filesystem mirror (`terraform init` offline),
 * or attaching to a provider served in this process (TF_REATTACH_PROVIDERS, for test-only
 * fixture providers). CHECKPOINT_DISABLE=1 always; nothing reaches a registry.
 *
 * Without terraform on PATH the suites skip with one message, except under CI=true, where a
 * missing terraform fails them.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { installProvider } from 'terraform-provider-keyplane';

export function findTerraform(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'terraform');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export const TERRAFORM = findTerraform();

/**
 * `describe` when terraform is available; under CI=true a missing terraform is a failure,
 * elsewhere the suite is skipped with one message.
 */
export function describeWithTerraform(name: string, body: () => void): void {
  if (TERRAFORM !== undefined) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs terraform on PATH', () => {
        throw new Error('terraform is not on PATH (CI=true: the Terraform e2e tests must run)');
      });
    });
    return;
  }
  console.warn(`skipping "${name}": terraform is not on PATH`);
  describe.skip(name, body);
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface WorkdirOptions {
  /** Install the real provider executable into a mirror in the workdir (default). */
  readonly mode?: 'mirror' | { readonly reattach: string };
  readonly env?: NodeJS.ProcessEnv;
}

export class TerraformWorkdir {
  readonly dir: string;
  readonly mirror: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly reattach: string | undefined;

  constructor(options: WorkdirOptions = {}) {
    if (TERRAFORM === undefined) throw new Error('terraform is not on PATH');
    this.dir = mkdtempSync(join(tmpdir(), 'kp-tf-'));
    this.mirror = join(this.dir, '.mirror');
    const cliConfig = join(this.dir, '.terraformrc');
    const mode = options.mode ?? 'mirror';
    if (mode === 'mirror') {
      const { cliConfig: snippet } = installProvider({ dir: this.mirror });
      writeFileSync(cliConfig, snippet);
      this.reattach = undefined;
    } else {
      writeFileSync(cliConfig, '');
      this.reattach = mode.reattach;
    }
    this.env = {
      PATH: process.env.PATH,
      HOME: this.dir,
      TMPDIR: process.env.TMPDIR ?? tmpdir(),
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_PLUGIN_CACHE_DIR: '',
      ...(this.reattach === undefined ? {} : { TF_REATTACH_PROVIDERS: this.reattach }),
      // Debugging aid: KEYPLANE_TEST_TF_LOG=/path/file keeps terraform's trace log.
      ...(process.env.KEYPLANE_TEST_TF_LOG === undefined
        ? {}
        : { TF_LOG: 'trace', TF_LOG_PATH: process.env.KEYPLANE_TEST_TF_LOG }),
      ...options.env,
    };
  }

  write(files: Readonly<Record<string, string>>): this {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(this.dir, name), text);
    return this;
  }

  run(
    args: readonly string[],
    options: { readonly env?: NodeJS.ProcessEnv; readonly input?: string } = {},
  ): Promise<RunResult> {
    return this.start(args, options).done;
  }

  /**
   * Starts terraform and hands out the child with its result. `detached` makes it the leader of
   * its own process group, so a test can signal the group as a terminal's Ctrl-C does.
   */
  start(
    args: readonly string[],
    options: {
      readonly env?: NodeJS.ProcessEnv;
      readonly input?: string;
      readonly detached?: boolean;
    } = {},
  ): { readonly child: ChildProcessWithoutNullStreams; readonly done: Promise<RunResult> } {
    const child = spawn(TERRAFORM as string, ['-chdir=' + this.dir, ...args], {
      env: { ...this.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: options.detached ?? false,
    });
    const done = new Promise<RunResult>((resolve, reject) => {
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        resolve({ code: code ?? -1, stdout, stderr });
      });
    });
    child.stdin.end(options.input ?? '');
    return { child, done };
  }

  /** Runs and requires exit code 0 (or one of `codes`), with terraform's output in the error. */
  async ok(
    args: readonly string[],
    codes: readonly number[] = [0],
    options: { readonly env?: NodeJS.ProcessEnv; readonly input?: string } = {},
  ): Promise<RunResult> {
    const r = await this.run(args, options);
    if (!codes.includes(r.code)) {
      throw new Error(`terraform ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
    }
    return r;
  }

  init(): Promise<RunResult> {
    return this.ok(['init', '-input=false', '-no-color']);
  }

  apply(...extra: string[]): Promise<RunResult> {
    return this.ok(['apply', '-auto-approve', '-input=false', '-no-color', ...extra]);
  }

  destroy(): Promise<RunResult> {
    return this.ok(['destroy', '-auto-approve', '-input=false', '-no-color']);
  }

  /** `plan -detailed-exitcode`: true when the plan is empty. */
  async planIsEmpty(): Promise<{ empty: boolean; output: string }> {
    const r = await this.ok(['plan', '-detailed-exitcode', '-input=false', '-no-color'], [0, 2]);
    return { empty: r.code === 0, output: r.stdout };
  }

  /**
   * `plan -out` then `show -json` of that saved plan (what a PR check reads), parsed; the raw
   * text too, for secret scans. The plan file `tfplan` is removed unless `keep` (to apply it).
   */
  async savedPlanJson(options: { readonly keep?: boolean } = {}): Promise<{
    plan: SavedPlan;
    text: string;
  }> {
    await this.ok(['plan', '-out=tfplan', '-input=false', '-no-color']);
    const shown = await this.ok(['show', '-json', '-no-color', 'tfplan']);
    if (options.keep !== true) rmSync(join(this.dir, 'tfplan'), { force: true });
    return { plan: JSON.parse(shown.stdout) as SavedPlan, text: shown.stdout };
  }

  async importResource(address: string, id: string): Promise<RunResult> {
    return await this.ok(['import', '-input=false', '-no-color', address, id]);
  }

  async state(): Promise<StateDocument> {
    const r = await this.ok(['show', '-json', '-no-color']);
    return JSON.parse(r.stdout) as StateDocument;
  }

  async outputs(): Promise<Record<string, { value: unknown }>> {
    const r = await this.ok(['output', '-json', '-no-color']);
    return JSON.parse(r.stdout) as Record<string, { value: unknown }>;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface StateResource {
  readonly address: string;
  readonly type: string;
  readonly values: Record<string, unknown>;
  readonly sensitive_values?: Record<string, unknown>;
}

export interface StateDocument {
  readonly values?: { readonly root_module?: { readonly resources?: readonly StateResource[] } };
}

/** The parts of `terraform show -json <planfile>` the tests read. */
export interface SavedPlan {
  readonly resource_changes?: readonly {
    readonly address: string;
    readonly change: {
      readonly actions: readonly string[];
      readonly after_unknown?: Record<string, unknown>;
    };
  }[];
}

/** The actions a saved plan has for one resource address (undefined: not in the plan). */
export const plannedActions = (plan: SavedPlan, address: string): readonly string[] | undefined =>
  plan.resource_changes?.find((c) => c.address === address)?.change.actions;

export function resourcesOf(doc: StateDocument): readonly StateResource[] {
  return doc.values?.root_module?.resources ?? [];
}

/** The required_providers block every test configuration starts with. */
export const REQUIRED_PROVIDERS = `terraform {
  required_providers {
    keyplane = { source = "keyplane/keyplane" }
  }
}
`;
