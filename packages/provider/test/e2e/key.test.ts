/**
 * keyplane_key + data keyplane_key through real terraform and the provider executable on a
 * passphrase-sealed SQLite store: create (RSA, Ed25519, AES), empty re-plan, public keys and
 * fingerprints checked with openssl, rotate_trigger → one new version, an elapsed
 * rotation_period noticed at plan → the plan shows the new version, import round trip,
 * destroy; the secret scanner finds no private key material in state, plan JSON, TF_LOG or
 * the store file.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { e2eArtifacts, scanForSecrets } from '../support/secret-scan';
import {
  REQUIRED_PROVIDERS,
  TerraformWorkdir,
  describeWithTerraform,
  resourcesOf,
} from '../support/terraform';

const PASSPHRASE = 'central key e2e passphrase';
const AWS_SECRET = 'kms-e2e-secret-7a1b9c';

const config = (
  trigger: string,
  endpoint = 'http://127.0.0.1:4599',
  version = 1,
) => `${REQUIRED_PROVIDERS}
provider "keyplane" {}

resource "keyplane_key" "rsa" {
  name             = "payments-rsa"
  type             = "rsa-3072"
  deletion_allowed = true
  rotate_trigger   = "${trigger}"
}

resource "keyplane_key" "ed" {
  name             = "release-ed"
  type             = "ed25519"
  deletion_allowed = true
  rotation_period  = "3s"
}

resource "keyplane_key" "aes" {
  name             = "data-aes"
  type             = "aes256-gcm96"
  deletion_allowed = true
}

variable "aws_secret" {
  type      = string
  ephemeral = true
}

resource "keyplane_kms" "aws" {
  name                   = "aws-eu"
  type                   = "awskms"
  key_collection         = "eu-west-1"
  endpoint               = "${endpoint}"
  credentials_wo         = { access_key = "AKIDKMSE2E", secret_key = var.aws_secret }
  credentials_wo_version = ${version}
}

data "keyplane_key" "rsa" {
  name = keyplane_key.rsa.id
}

output "rsa_versions" {
  value = keyplane_key.rsa.versions
}
output "data_latest" {
  value = data.keyplane_key.rsa.latest_version
}
`;

function opensslFingerprint(pem: string): string {
  const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: pem });
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

type Versions = Record<string, { public_key_pem: string; fingerprint: string; state: string }>;

describeWithTerraform('keyplane_key through real terraform', () => {
  let tf: TerraformWorkdir;
  let files: string;
  let store: string;
  let log: string;
  const plans: string[] = [];

  beforeAll(async () => {
    files = mkdtempSync(join(tmpdir(), 'kp-tf-key-'));
    store = join(files, 'keyplane.db');
    log = join(files, 'tf-debug.log');
    tf = new TerraformWorkdir({
      env: {
        KEYPLANE_STORE: store,
        KEYPLANE_SEAL_PASSPHRASE: PASSPHRASE,
        TF_VAR_aws_secret: AWS_SECRET,
        TF_LOG: 'debug',
        TF_LOG_PATH: log,
      },
    });
    tf.write({ 'main.tf': config('r1') });
    await tf.init();
  }, 120_000);
  afterAll(() => {
    tf.cleanup();
    rmSync(files, { recursive: true, force: true });
  });

  it('creates the keys with public metadata only; fingerprints match openssl', async () => {
    await tf.apply();
    const out = await tf.outputs();
    const versions = out.rsa_versions?.value as Versions;
    expect(Object.keys(versions)).toEqual(['1']);
    const v1 = versions['1'];
    expect(v1?.state).toBe('enabled');
    expect(v1?.fingerprint).toBe(opensslFingerprint(v1?.public_key_pem ?? ''));
    expect(out.data_latest?.value).toBe(1);
    const aes = resourcesOf(await tf.state()).find((r) => r.address === 'keyplane_key.aes');
    expect(aes?.values).toMatchObject({ origin: 'software', latest_version: 1 });
    expect((aes?.values.versions as Versions)['1']?.public_key_pem).toBe('');
  }, 120_000);

  it('rotate_trigger adds one version; the plan shows it before apply', async () => {
    tf.write({ 'main.tf': config('r2') });
    await tf.ok(['plan', '-out=tfplan', '-input=false', '-no-color']);
    const shown = await tf.ok(['show', '-json', '-no-color', 'tfplan']);
    plans.push(shown.stdout);
    const changes = (
      JSON.parse(shown.stdout) as {
        resource_changes: { address: string; change: { actions: string[] } }[];
      }
    ).resource_changes;
    expect(changes.find((c) => c.address === 'keyplane_key.rsa')?.change.actions).toEqual([
      'update',
    ]);
    await tf.ok(['apply', '-input=false', '-no-color', 'tfplan']);
    const versions = (await tf.outputs()).rsa_versions?.value as Versions;
    expect(Object.keys(versions).sort()).toEqual(['1', '2']);
    expect(versions['2']?.fingerprint).not.toBe(versions['1']?.fingerprint);
  }, 120_000);

  it('an elapsed rotation_period shows in the next plan and rotates on apply', async () => {
    const latest = async () =>
      Number(
        resourcesOf(await tf.state()).find((r) => r.address === 'keyplane_key.ed')?.values
          .latest_version,
      );
    const before = await latest();
    await new Promise((r) => setTimeout(r, 3500));
    const plan = await tf.planIsEmpty();
    expect(plan.empty).toBe(false);
    expect(plan.output).toMatch(/keyplane_key\.ed will be updated in-place/);
    expect(plan.output).toContain(
      `~ latest_version      = ${String(before)} -> (known after apply)`,
    );
    await tf.apply('-target=keyplane_key.ed');
    expect(await latest()).toBe(before + 1);
  }, 120_000);

  it('keyplane_kms: credentials write-only and sealed, endpoint updates in place, version resends', async () => {
    const kms = resourcesOf(await tf.state()).find((r) => r.address === 'keyplane_kms.aws');
    expect(kms?.values).toMatchObject({
      credentials_wo: null,
      credential_names: ['access_key', 'secret_key'],
      endpoint: 'http://127.0.0.1:4599',
    });
    tf.write({ 'main.tf': config('r2', 'http://127.0.0.1:4600', 2) });
    const plan = await tf.planIsEmpty();
    expect(plan.output).toContain(
      '~ endpoint               = "http://127.0.0.1:4599" -> "http://127.0.0.1:4600"',
    );
    expect(plan.output).not.toContain('must be replaced');
    await tf.apply('-target=keyplane_kms.aws');
    await tf.ok(['state', 'rm', 'keyplane_kms.aws']);
    await tf.importResource('keyplane_kms.aws', 'aws-eu,credentials_wo_version=2');
    const after = await tf.ok(['plan', '-input=false', '-no-color', '-target=keyplane_kms.aws']);
    expect(after.stdout).toContain('No changes');
  }, 120_000);

  it('imports with the trigger in the id and re-plans with no change for it', async () => {
    await tf.ok(['state', 'rm', 'keyplane_key.rsa', 'keyplane_key.aes']);
    await tf.importResource('keyplane_key.rsa', 'payments-rsa,rotate_trigger=r2');
    await tf.importResource('keyplane_key.aes', 'data-aes');
    const plan = await tf.ok([
      'plan',
      '-input=false',
      '-no-color',
      '-target=keyplane_key.rsa',
      '-target=keyplane_key.aes',
    ]);
    expect(plan.stdout).toContain('No changes');
  }, 120_000);

  it('destroys; no private key material or passphrase anywhere', async () => {
    await tf.destroy();
    expect(resourcesOf(await tf.state())).toEqual([]);
    const found = scanForSecrets(e2eArtifacts({ dir: tf.dir, plans: plans, log, store }), [
      PASSPHRASE,
      AWS_SECRET,
    ]);
    expect(found).toEqual([]);
  }, 120_000);
});
