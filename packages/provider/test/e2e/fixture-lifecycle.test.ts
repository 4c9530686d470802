/**
 * The framework's resource path end to end with real terraform: a test-only fixture resource
 * (test/support/fixture-provider.ts) served through the real framework and protocol, attached
 * with TF_REATTACH_PROVIDERS. init-free (reattach) → apply → empty plan → change → apply →
 * replace → import → drift → destroy; write-only values never reach state or plan; numbers
 * past 2^53 survive exactly; every RPC response passes the consistency checks (strict mode).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CtyNumber } from 'terraform-provider-keyplane';
import { fixtureProvider, newBackend, type FixtureBackend } from '../support/fixture-provider';
import { serveInProcess, type InProcessProvider } from '../support/in-process';
import {
  REQUIRED_PROVIDERS,
  TerraformWorkdir,
  describeWithTerraform,
  resourcesOf,
} from '../support/terraform';

const SECRET = 'wo-secret-7f3a9c';

function config(
  opts: { name?: string; labels?: string; rules?: string[]; size?: string } = {},
): string {
  const rules = (opts.rules ?? ['allow'])
    .map((a) => `  rule {\n    action = "${a}"\n  }\n`)
    .join('');
  return `${REQUIRED_PROVIDERS}
# Ephemeral: the value reaches the provider through the write-only attribute and nothing
# (plan file, state) keeps it.
variable "secret" {
  type      = string
  ephemeral = true
}

resource "keyplane_fixture" "a" {
  name              = "${opts.name ?? 'one'}"
  size              = ${opts.size ?? '12345678901234567890'}
  labels            = ${opts.labels ?? '{ env = "dev" }'}
  secret_wo         = var.secret
  secret_wo_version = 1
${rules}}

data "keyplane_fixture_lookup" "a" {
  id = keyplane_fixture.a.id
}

output "looked_up" {
  value = data.keyplane_fixture_lookup.a.name
}
`;
}

describeWithTerraform('fixture resource lifecycle through real terraform', () => {
  let backend: FixtureBackend;
  let provider: InProcessProvider;
  let tf: TerraformWorkdir;

  beforeAll(async () => {
    backend = newBackend();
    provider = await serveInProcess(fixtureProvider(backend));
    tf = new TerraformWorkdir({
      mode: { reattach: provider.reattach },
      env: { TF_VAR_secret: SECRET },
    });
  });
  afterAll(() => {
    provider.close();
    tf.cleanup();
  });

  it('creates, keeps exact numbers and never stores the write-only value', async () => {
    tf.write({ 'main.tf': config() });
    await tf.apply();
    const obj = backend.objects.get('fx-1');
    expect(obj?.size?.equals(CtyNumber.of('12345678901234567890'))).toBe(true);
    expect(obj?.secretLength).toBe(SECRET.length);
    expect(backend.receivedSecrets).toContain(SECRET);
    const stateText = readFileSync(join(tf.dir, 'terraform.tfstate'), 'utf8');
    expect(stateText).toContain('12345678901234567890');
    expect(stateText).not.toContain(SECRET);
    const res = resourcesOf(await tf.state()).find((r) => r.address === 'keyplane_fixture.a');
    expect(res?.values).toMatchObject({
      id: 'fx-1',
      name: 'one',
      mode: 'standard',
      revision: 1,
      secret_wo: null,
      secret_length: SECRET.length,
    });
    expect(res?.values.rule).toEqual([{ action: 'allow', priority: 10 }]);
    expect((await tf.outputs()).looked_up?.value).toBe('one');
  });

  it('re-plans with no changes', async () => {
    const { empty, output } = await tf.planIsEmpty();
    expect({ empty, output }).toMatchObject({ empty: true });
  });

  it('updates in place, keeping the id (use-state-for-unknown) and recomputing revision', async () => {
    tf.write({ 'main.tf': config({ labels: '{ env = "prod" }', rules: ['allow', 'deny'] }) });
    const plan = await tf.ok(['plan', '-no-color', '-out=tfplan']);
    expect(plan.stdout).toContain('1 to change');
    const shown = await tf.ok(['show', '-json', 'tfplan']);
    expect(shown.stdout).not.toContain(SECRET);
    await tf.ok(['apply', '-no-color', 'tfplan']);
    expect(backend.objects.get('fx-1')).toMatchObject({ revision: 2, labels: { env: 'prod' } });
    expect(backend.objects.get('fx-1')?.rules).toEqual([
      { action: 'allow', priority: 10 },
      { action: 'deny', priority: 20 },
    ]);
    expect((await tf.planIsEmpty()).empty).toBe(true);
  });

  it('plans a replacement when a requires-replace attribute changes', async () => {
    tf.write({
      'main.tf': config({ name: 'two', labels: '{ env = "prod" }', rules: ['allow', 'deny'] }),
    });
    const r = await tf.ok(['plan', '-no-color']);
    expect(r.stdout).toContain('must be replaced');
    expect(r.stdout).toMatch(/name += "one" -> "two" # forces replacement/);
    tf.write({ 'main.tf': config({ labels: '{ env = "prod" }', rules: ['allow', 'deny'] }) });
  });

  it('imports an existing object and re-plans with no changes', async () => {
    await tf.ok(['state', 'rm', '-no-color', 'keyplane_fixture.a']);
    await tf.importResource('keyplane_fixture.a', 'fx-1');
    const { empty, output } = await tf.planIsEmpty();
    expect({ empty, output }).toMatchObject({ empty: true });
  });

  it('refuses an import of an object that does not exist', async () => {
    const r = await tf.run(['import', '-input=false', '-no-color', 'keyplane_fixture.b', 'fx-404']);
    expect(r.code).toBe(1);
  });

  it('shows drift made out of band, and re-creates a deleted object', async () => {
    const o = backend.objects.get('fx-1');
    if (o === undefined) throw new Error('fx-1 missing');
    backend.objects.set('fx-1', { ...o, labels: { env: 'edited-out-of-band' } });
    const drift = await tf.planIsEmpty();
    expect(drift.empty).toBe(false);
    expect(drift.output).toContain('"edited-out-of-band" -> "prod"');
    backend.objects.delete('fx-1');
    const gone = await tf.planIsEmpty();
    expect(gone.output).toContain('1 to add');
  });

  it('reports validation errors with the attribute path, before anything is created', async () => {
    tf.write({ 'main.tf': config({ labels: '{ env = "prod" }', rules: ['allow', 'maybe'] }) });
    const r = await tf.run(['plan', '-no-color']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('rule[1].action must be one of: allow, deny; got "maybe"');
    expect(r.stderr).toContain('on main.tf line');
  });

  it('destroys', async () => {
    tf.write({ 'main.tf': config({ labels: '{ env = "prod" }', rules: ['allow', 'deny'] }) });
    await tf.apply();
    await tf.destroy();
    expect(backend.objects.size).toBe(0);
    expect(provider.calls.some((c) => c.method === 'ApplyResourceChange')).toBe(true);
    expect(provider.logs.join('')).not.toContain(SECRET);
  });
});
