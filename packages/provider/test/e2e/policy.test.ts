/**
 * The provider block's `policy` through real terraform and the provider executable: a refusal
 * shows at plan on the attribute it is about (key type and rotation period of a keyplane_key, the
 * type of a keyplane_kms), from an inline document or a file; a value only known at apply is
 * refused at apply, with nothing created; a compliant configuration applies and
 * re-plans empty; an invalid document is refused on `policy`. With no `policy` in the block,
 * $KEYPLANE_POLICY is enforced the same way.
 */
import { readdirSync } from 'node:fs';
import { openStore, PassphraseSeal } from '@keyplane/engine';
import { POLICY_ENV } from '@keyplane/engine/policy';
import { join } from 'node:path';
import { REQUIRED_PROVIDERS, TerraformWorkdir, describeWithTerraform } from '../support/terraform';

const PASSPHRASE = 'policy e2e passphrase 42c1';
const POLICY = {
  version: 1,
  rules: {
    allowed_key_types: ['ecdsa-p256', 'rsa-3072'],
    require_rotation_period: true,
    allowed_providers: ['gcpckms'],
  },
};

const provider = (policy: string) => `${REQUIRED_PROVIDERS}
provider "keyplane" {
  policy = ${policy}
}
`;
const inline = provider(`jsonencode(${JSON.stringify(POLICY)})`);

const compliant = `
resource "keyplane_key" "ok" {
  name             = "compliant"
  type             = "ecdsa-p256"
  rotation_period  = "720h"
  deletion_allowed = true
}
`;

/** terraform's error output on one line, so diagnostics can be matched whole. */
const flat = (text: string) => text.replace(/[│╷╵]/g, ' ').replace(/\s+/g, ' ');

describeWithTerraform('provider policy at plan and at apply', () => {
  let tf: TerraformWorkdir;
  let store: string;

  beforeAll(async () => {
    tf = new TerraformWorkdir({ env: { KEYPLANE_SEAL_PASSPHRASE: PASSPHRASE } });
    store = join(tf.dir, 'keyplane.db');
    tf.write({ 'main.tf': inline + compliant, 'policy.json': JSON.stringify(POLICY) });
    await tf.init();
  }, 120_000);
  afterAll(() => {
    tf.cleanup();
  });

  const plan = (env: NodeJS.ProcessEnv = {}) =>
    tf.run(['plan', '-input=false', '-no-color'], { env: { KEYPLANE_STORE: store, ...env } });

  it('refuses a key type, a missing rotation period and a KMS type at plan, on their attributes', async () => {
    tf.write({
      'main.tf': `${inline}
resource "keyplane_key" "weak" {
  name = "weak"
  type = "rsa-2048"
}

resource "keyplane_kms" "aws" {
  name           = "aws-use1"
  type           = "awskms"
  key_collection = "us-east-1"
}
`,
    });
    const r = await plan();
    expect(r.code).toBe(1);
    const text = flat(r.stderr);
    // Each diagnostic carries its attribute path: terraform quotes the line of that attribute.
    expect(text).toMatch(
      /Error: Policy violation with keyplane_key\.weak, on main\.tf line (\d+), in resource "keyplane_key" "weak": \1: type = "rsa-2048" type 'rsa-2048' is not an allowed key type in namespace 'root'/,
    );
    expect(text).toContain('[POLICY_KEY_TYPE_NOT_ALLOWED]');
    expect(text).toMatch(
      /rotation_period is not set; a rotation period is required .*\[POLICY_ROTATION_PERIOD_REQUIRED\]/,
    );
    expect(text).toMatch(
      /with keyplane_kms\.aws, on main\.tf line (\d+), in resource "keyplane_kms" "aws": \1: type = "awskms" .*'awskms'.*\[POLICY_PROVIDER_NOT_ALLOWED\]/,
    );
    expect(readdirSync(tf.dir)).not.toContain('terraform.tfstate');
  }, 120_000);

  it('reads the same policy from a file', async () => {
    tf.write({
      'main.tf': `${provider('"policy.json"')}
resource "keyplane_key" "weak" {
  name            = "weak"
  type            = "ed25519"
  rotation_period = "720h"
}
`,
    });
    const r = await plan();
    expect(r.code).toBe(1);
    expect(flat(r.stderr)).toMatch(
      /\d+: type = "ed25519" type 'ed25519' is not an allowed key type .*\[POLICY_KEY_TYPE_NOT_ALLOWED\]/,
    );
  }, 120_000);

  it('takes the policy from $KEYPLANE_POLICY when the block sets none, and names it when broken', async () => {
    tf.write({
      'main.tf': `${REQUIRED_PROVIDERS}
provider "keyplane" {}

resource "keyplane_key" "weak" {
  name            = "weak"
  type            = "rsa-2048"
  rotation_period = "720h"
}
`,
      'broken.json': '{"rules":[]}',
    });
    const r = await plan({ [POLICY_ENV]: 'policy.json' });
    expect(r.code).toBe(1);
    expect(flat(r.stderr)).toMatch(
      /Error: Policy violation with keyplane_key\.weak, .*: type = "rsa-2048" type 'rsa-2048' is not an allowed key type .*\[POLICY_KEY_TYPE_NOT_ALLOWED\]/,
    );
    const broken = await plan({ [POLICY_ENV]: 'broken.json' });
    expect(broken.code).toBe(1);
    // On the provider block, not on an attribute: the configuration has no `policy` line.
    expect(flat(broken.stderr)).toMatch(
      /Error: Invalid policy with provider\["registry\.terraform\.io\/keyplane\/keyplane"\], on main\.tf line (\d+), in provider "keyplane": \1: provider "keyplane" \{\} \$KEYPLANE_POLICY /,
    );
    expect(flat(broken.stderr)).toContain(
      `$KEYPLANE_POLICY ${join(tf.dir, 'broken.json')}: invalid policy document (2 problems)`,
    );
    expect(readdirSync(tf.dir)).not.toContain('terraform.tfstate');
  }, 120_000);

  it('refuses at apply what the plan could not know, and creates nothing', async () => {
    tf.write({
      'main.tf': `${inline}
resource "terraform_data" "type" {
  input = "rsa-2048"
}

resource "keyplane_key" "late" {
  name            = "late"
  type            = terraform_data.type.output
  rotation_period = "720h"
}
`,
    });
    const r = await tf.run(['apply', '-auto-approve', '-input=false', '-no-color'], {
      env: { KEYPLANE_STORE: store },
    });
    expect(r.code).toBe(1);
    // Terraform plans again during apply, with terraform_data's output known by then: the
    // refusal comes before the key is created (and the engine would refuse it at create too).
    expect(flat(r.stderr)).toMatch(
      /Error: Policy violation with keyplane_key\.late, .*: type = terraform_data\.type\.output type 'rsa-2048' is not an allowed key type.*POLICY_KEY_TYPE_NOT_ALLOWED/,
    );
    const opened = await openStore(store, { seal: new PassphraseSeal(PASSPHRASE), init: false });
    expect(await opened.list('key', { namespace: 'root' })).toEqual([]);
    await opened.close();
  }, 120_000);

  it('applies a compliant configuration and re-plans empty; refuses an invalid document', async () => {
    tf.write({ 'main.tf': inline + compliant });
    await tf.ok(['apply', '-auto-approve', '-input=false', '-no-color'], [0], {
      env: { KEYPLANE_STORE: store },
    });
    const again = await tf.ok(['plan', '-detailed-exitcode', '-input=false', '-no-color'], [0, 2], {
      env: { KEYPLANE_STORE: store },
    });
    expect(again.code).toBe(0);
    tf.write({ 'main.tf': provider('jsonencode({ version = 2 })') + compliant });
    const bad = await plan();
    expect(bad.code).toBe(1);
    expect(flat(bad.stderr)).toContain('Error: Invalid policy');
    expect(flat(bad.stderr)).toContain("version '2' is not supported; allowed: 1");
    tf.write({ 'main.tf': inline + compliant });
    await tf.ok(['destroy', '-auto-approve', '-input=false', '-no-color'], [0], {
      env: { KEYPLANE_STORE: store },
    });
  }, 120_000);
});
