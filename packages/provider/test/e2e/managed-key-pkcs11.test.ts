/**
 * keyplane_managed_key + keyplane_signing_key + data keyplane_public_key end to end: real
 * terraform, the real provider executable from a filesystem mirror, a real SQLite store sealed
 * with a passphrase, and a SoftHSM2 token. init → apply (the key is generated in the token by
 * test/sign) → empty plan → change → apply → import round trip → PKCS#11 object deleted out of
 * band → the plan shows it → apply restores it → rotate the signing key → bad input refused at
 * plan with the attribute path → destroy; then the secret scanner over state, the saved plan
 * JSON, the TF_LOG=debug log and the store file.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSoftHsmToken, type SoftHsmToken } from '@keyplane/emulators';
import { pkcs11Tool } from '../../../emulators/test/support/pkcs11-tool';
import { e2eArtifacts, scanForSecrets } from '../support/secret-scan';
import {
  REQUIRED_PROVIDERS,
  TerraformWorkdir,
  describeWithTerraform,
  resourcesOf,
} from '../support/terraform';

const PIN = '73519462';
const PASSPHRASE = 'tf-e2e-passphrase-5d1c8e';

function config(token: SoftHsmToken, opts: { maxParallel?: number; trigger?: string } = {}) {
  return `${REQUIRED_PROVIDERS}
provider "keyplane" {}

variable "pin" {
  type      = string
  ephemeral = true
}

resource "keyplane_managed_key" "hsm" {
  name               = "release-signer"
  type               = "pkcs11"
  library            = "${token.module}"
  token_label        = "${token.label}"
  key_label          = "release-signer"
  mechanism          = "0x1041"
  curve              = "P256"
  allow_generate_key = true
  pin_wo             = var.pin
  pin_wo_version     = 1
${opts.maxParallel === undefined ? '' : `  max_parallel       = ${String(opts.maxParallel)}\n`}}

resource "keyplane_signing_key" "release" {
  name                 = "release"
  managed_key          = keyplane_managed_key.hsm.id
  allowed_managed_keys = [keyplane_managed_key.hsm.name]
  rotate_trigger       = "${opts.trigger ?? 'r1'}"
}

data "keyplane_public_key" "hsm" {
  managed_key = keyplane_managed_key.hsm.id
}

data "keyplane_public_key" "release" {
  signing_key = keyplane_signing_key.release.id
  version     = keyplane_signing_key.release.latest_version
}

output "pem" {
  value = data.keyplane_public_key.hsm.public_key_pem
}
output "fingerprint" {
  value = data.keyplane_public_key.hsm.fingerprint
}
output "release_fingerprint" {
  value = data.keyplane_public_key.release.fingerprint
}
output "latest_version" {
  value = keyplane_signing_key.release.latest_version
}
`;
}

/** sha256:<hex> of the SPKI DER, computed by openssl (independent of the engine). */
function opensslFingerprint(pem: string): string {
  const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: pem });
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

describeWithTerraform('keyplane_managed_key on SoftHSM2 through real terraform', () => {
  let token: SoftHsmToken;
  let tf: TerraformWorkdir;
  let store: string;
  let log: string;
  let files: string;
  const planJsons: string[] = [];

  beforeAll(async () => {
    token = await createSoftHsmToken({ label: 'kp-tf-e2e', pin: PIN, soPin: '86420975' });
    files = mkdtempSync(join(tmpdir(), 'kp-tf-store-'));
    store = join(files, 'store', 'keyplane.db');
    log = join(files, 'tf-debug.log');
    tf = new TerraformWorkdir({
      env: {
        ...token.env,
        TF_VAR_pin: PIN,
        KEYPLANE_STORE: store,
        KEYPLANE_SEAL_PASSPHRASE: PASSPHRASE,
        TF_LOG: 'debug',
        TF_LOG_PATH: log,
      },
    });
    tf.write({ 'main.tf': config(token) });
    await tf.init();
  }, 120_000);

  afterAll(async () => {
    tf.cleanup();
    rmSync(files, { recursive: true, force: true });
    await token.dispose();
  });

  /** A saved plan as `terraform show -json` prints it (scanned at the end). */
  async function savedPlanJson(): Promise<string> {
    await tf.ok(['plan', '-out=tfplan', '-input=false', '-no-color']);
    const shown = await tf.ok(['show', '-json', '-no-color', 'tfplan']);
    planJsons.push(shown.stdout);
    rmSync(join(tf.dir, 'tfplan'));
    return shown.stdout;
  }

  it('applies: the key is generated in the token, its public key matches openssl', async () => {
    await tf.apply();
    const out = await tf.outputs();
    const pem = String(out.pem?.value);
    expect(pem).toContain('BEGIN PUBLIC KEY');
    expect(out.fingerprint?.value).toBe(opensslFingerprint(pem));
    expect(out.release_fingerprint?.value).toBe(out.fingerprint?.value);
    expect(out.latest_version?.value).toBe(1);
    expect(pkcs11Tool(token, ['--list-objects', '--type', 'privkey'])).toContain('release-signer');
    const mk = resourcesOf(await tf.state()).find((r) => r.type === 'keyplane_managed_key');
    expect(mk?.values).toMatchObject({
      id: 'release-signer',
      curve: 'P256',
      pin_wo: null,
      pin_wo_version: 1,
      max_parallel: 1,
      usages: ['sign', 'verify'],
    });
    expect(mk?.values.key_version).toEqual(expect.any(String));
    expect((await tf.planIsEmpty()).empty).toBe(true);
    await savedPlanJson();
  }, 120_000);

  it('updates a parameter in place, test-signing again; then the plan is empty', async () => {
    tf.write({ 'main.tf': config(token, { maxParallel: 2 }) });
    const plan = await tf.planIsEmpty();
    expect(plan.empty).toBe(false);
    expect(plan.output).toContain('~ max_parallel');
    expect(plan.output).not.toContain('must be replaced');
    await tf.apply();
    expect((await tf.planIsEmpty()).empty).toBe(true);
  }, 120_000);

  it('imports both resources back with an empty plan afterwards', async () => {
    await tf.ok(['state', 'rm', 'keyplane_managed_key.hsm', 'keyplane_signing_key.release']);
    await tf.importResource('keyplane_managed_key.hsm', 'release-signer,pin_wo_version=1');
    await tf.importResource('keyplane_signing_key.release', 'release,rotate_trigger=r1');
    const plan = await tf.planIsEmpty();
    expect(plan.output).toContain('No changes');
    expect(plan.empty).toBe(true);
  }, 120_000);

  it('shows a PKCS#11 key deleted out of band in the next plan; apply restores it and rotates', async () => {
    const before = String((await tf.outputs()).fingerprint?.value);
    pkcs11Tool(token, ['--delete-object', '--type', 'privkey', '--label', 'release-signer']);
    pkcs11Tool(token, ['--delete-object', '--type', 'pubkey', '--label', 'release-signer']);
    // Signing key v1 pins the deleted key, so the fix is the restore plus a rotation.
    tf.write({ 'main.tf': config(token, { maxParallel: 2, trigger: 'r2' }) });
    const plan = await tf.planIsEmpty();
    expect(plan.empty).toBe(false);
    expect(plan.output).toMatch(/\+ key_version\s+= \(known after apply\)/);
    expect(plan.output).toMatch(/~ latest_version\s+= 1 -> \(known after apply\)/);
    await tf.apply();
    const out = await tf.outputs();
    expect(out.fingerprint?.value).not.toBe(before);
    expect(out.latest_version?.value).toBe(2);
    expect(out.release_fingerprint?.value).toBe(out.fingerprint?.value);
    expect(pkcs11Tool(token, ['--list-objects', '--type', 'privkey'])).toContain('release-signer');
    expect((await tf.planIsEmpty()).empty).toBe(true);
  }, 120_000);

  it('a rotate_trigger change without a new backend key adds no version', async () => {
    tf.write({ 'main.tf': config(token, { maxParallel: 2, trigger: 'r3' }) });
    const plan = await tf.planIsEmpty();
    expect(plan.output).toContain('~ rotate_trigger');
    await tf.apply();
    expect((await tf.outputs()).latest_version?.value).toBe(2);
    expect((await tf.planIsEmpty()).empty).toBe(true);
    await savedPlanJson();
  }, 120_000);

  it('refuses bad parameters at plan, naming the attribute and the allowed values', async () => {
    tf.write({
      'bad.tf': `resource "keyplane_managed_key" "bad" {
  name      = "bad"
  type      = "pkcs11"
  library   = "${token.module}"
  key_label = "x"
  mechanism = "0x9999"
  region    = "eu-west-1"
}
`,
    });
    const r = await tf.run(['plan', '-input=false', '-no-color']);
    rmSync(join(tf.dir, 'bad.tf'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('region is not a parameter of pkcs11 managed keys');
    expect(r.stderr).toContain('with keyplane_managed_key.bad');
  }, 120_000);

  it('destroys, and nothing secret reached state, plan, the debug log or the store', async () => {
    await tf.destroy();
    expect(resourcesOf(await tf.state())).toEqual([]);
    const found = scanForSecrets(e2eArtifacts({ dir: tf.dir, plans: planJsons, log, store }), [
      PIN,
      PASSPHRASE,
    ]);
    expect(found).toEqual([]);
    expect(readFileSync(log, 'utf8')).toContain('keyplane');
    expect(planJsons.length).toBe(2);
  }, 120_000);
});
