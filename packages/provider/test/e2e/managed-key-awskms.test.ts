/**
 * keyplane_managed_key of type awskms through real terraform and the provider executable,
 * against the local AWS KMS emulator (SigV4 checked against the configured credentials): the
 * access key and secret key are write-only (`access_key_wo` / `secret_key_wo` from ephemeral
 * variables), the key is generated behind its alias by test/sign, the public key matches the
 * one the emulator serves (read with the AWS SDK), a credential rotation is sent by bumping
 * `*_wo_version` (the store's sealed field then holds the new secret), import re-plans empty; the secret scanner
 * then finds neither credential nor the passphrase in state, plan JSON, TF_LOG or the store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { openStore, PassphraseSeal } from '@keyplane/engine';
import { startAwsKmsEmulator, type AwsKmsEmulator } from '@keyplane/emulators';
import { e2eArtifacts, scanForSecrets } from '../support/secret-scan';
import {
  REQUIRED_PROVIDERS,
  TerraformWorkdir,
  describeWithTerraform,
  resourcesOf,
} from '../support/terraform';

const OLD = { accessKeyId: 'AKIDTFOLD0001', secretAccessKey: 'tf-old-secret-9c1e2d' };
const NEW = { accessKeyId: 'AKIDTFNEW0002', secretAccessKey: 'tf-new-secret-4b7a6f' };
const PASSPHRASE = 'aws e2e passphrase 3e8d';

const config = (endpoint: string, version: number) => `${REQUIRED_PROVIDERS}
provider "keyplane" {}

variable "access_key" {
  type      = string
  ephemeral = true
}
variable "secret_key" {
  type      = string
  ephemeral = true
}

resource "keyplane_managed_key" "aws" {
  name                  = "aws-signer"
  type                  = "awskms"
  endpoint              = "${endpoint}"
  region                = "eu-west-1"
  kms_key               = "alias/tf-signer"
  key_type              = "ECDSA"
  curve                 = "P256"
  allow_generate_key    = true
  access_key_wo         = var.access_key
  access_key_wo_version = ${String(version)}
  secret_key_wo         = var.secret_key
  secret_key_wo_version = ${String(version)}
}

data "keyplane_public_key" "aws" {
  managed_key = keyplane_managed_key.aws.id
}

output "pem" {
  value = data.keyplane_public_key.aws.public_key_pem
}
`;

describeWithTerraform('keyplane_managed_key on the AWS KMS emulator through real terraform', () => {
  let emulator: AwsKmsEmulator;
  let tf: TerraformWorkdir;
  let files: string;
  let store: string;
  let log: string;
  const plans: string[] = [];
  const vars = (c: typeof OLD) => ({
    TF_VAR_access_key: c.accessKeyId,
    TF_VAR_secret_key: c.secretAccessKey,
  });

  beforeAll(async () => {
    emulator = await startAwsKmsEmulator({
      port: 0,
      region: 'eu-west-1',
      credentials: [OLD, NEW],
    });
    files = mkdtempSync(join(tmpdir(), 'kp-tf-aws-'));
    store = join(files, 'keyplane.db');
    log = join(files, 'tf-debug.log');
    tf = new TerraformWorkdir({
      env: {
        KEYPLANE_STORE: store,
        KEYPLANE_SEAL_PASSPHRASE: PASSPHRASE,
        AWS_EC2_METADATA_DISABLED: 'true',
        TF_LOG: 'debug',
        TF_LOG_PATH: log,
        ...vars(OLD),
      },
    });
    tf.write({ 'main.tf': config(emulator.url, 1) });
    await tf.init();
  }, 120_000);

  afterAll(async () => {
    tf.cleanup();
    rmSync(files, { recursive: true, force: true });
    await emulator.close();
  });

  it('generates the key behind its alias; the public key is the one AWS serves', async () => {
    await tf.apply();
    const pem = String((await tf.outputs()).pem?.value);
    const kms = new KMSClient({ endpoint: emulator.url, region: 'eu-west-1', credentials: OLD });
    const served = await kms.send(new GetPublicKeyCommand({ KeyId: 'alias/tf-signer' }));
    kms.destroy();
    const spki = (k: string | Uint8Array) =>
      createPublicKey(
        typeof k === 'string' ? k : { key: Buffer.from(k), format: 'der', type: 'spki' },
      ).export({ type: 'spki', format: 'der' });
    expect(spki(pem).equals(spki(served.PublicKey ?? new Uint8Array()))).toBe(true);
    const mk = resourcesOf(await tf.state()).find((r) => r.type === 'keyplane_managed_key');
    expect(mk?.values).toMatchObject({
      access_key_wo: null,
      secret_key_wo: null,
      region: 'eu-west-1',
    });
    expect((await tf.planIsEmpty()).empty).toBe(true);
  }, 120_000);

  it('sends rotated credentials when the *_wo_version changes, and keeps working with them', async () => {
    tf.write({ 'main.tf': config(emulator.url, 2) });
    const plan = await tf.ok(['plan', '-out=tfplan', '-input=false', '-no-color'], [0], {
      env: vars(NEW),
    });
    expect(plan.stdout).toContain('~ access_key_wo_version = 1 -> 2');
    plans.push((await tf.ok(['show', '-json', '-no-color', 'tfplan'])).stdout);
    await tf.ok(['apply', '-input=false', '-no-color', 'tfplan'], [0], { env: vars(NEW) });
    // The store's sealed field holds the new secret now (opened with the engine, not shown).
    const opened = await openStore(store, { seal: new PassphraseSeal(PASSPHRASE), init: false });
    const record = await opened.get('managed_key', 'root', 'aws-signer');
    expect(record && opened.secret(record, 'secret_key').toString()).toBe(NEW.secretAccessKey);
    await opened.close();
    const r = await tf.ok(['plan', '-detailed-exitcode', '-input=false', '-no-color'], [0], {
      env: vars(NEW),
    });
    expect(r.stdout).toContain('No changes');
  }, 120_000);

  it('imports with the *_wo_version in the id and re-plans empty; destroys; nothing secret leaked', async () => {
    await tf.ok(['state', 'rm', 'keyplane_managed_key.aws']);
    await tf.ok(
      [
        'import',
        '-input=false',
        '-no-color',
        'keyplane_managed_key.aws',
        'aws-signer,access_key_wo_version=2,secret_key_wo_version=2',
      ],
      [0],
      { env: vars(NEW) },
    );
    const r = await tf.ok(['plan', '-detailed-exitcode', '-input=false', '-no-color'], [0], {
      env: vars(NEW),
    });
    expect(r.stdout).toContain('No changes');
    await tf.ok(['destroy', '-auto-approve', '-input=false', '-no-color'], [0], { env: vars(NEW) });
    const found = scanForSecrets(e2eArtifacts({ dir: tf.dir, plans: plans, log, store }), [
      OLD.secretAccessKey,
      NEW.secretAccessKey,
      OLD.accessKeyId,
      NEW.accessKeyId,
      PASSPHRASE,
    ]);
    expect(found).toEqual([]);
  }, 120_000);
});
