// The synthesized JSON through real terraform and the real provider executable (installed into
// a filesystem mirror, offline): every construct's configuration validates against the
// provider's own schema (write-only attributes fed by sensitive variables included), and a Key
// applies, its latest-version fingerprint output reads the same value as the state, and destroys;
// a Key.distributeTo the AWS KMS emulator (in process) applies and AWS's own GetPublicKey of the
// output cloud id has the key's fingerprint, with no secret in state or store.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { TerraformOutput, Testing, type TerraformStack } from 'cdktf';
import { startAwsKmsEmulator, type AwsKmsEmulator } from '@keyplane/emulators';
import {
  AwsKmsConnection,
  Key,
  KeyplaneProvider,
  ManagedKey,
  ManagedKeyBackend,
  Pkcs11Connection,
  SigningKey,
} from '@keyplane/cdktf';
import {
  TerraformWorkdir,
  describeWithTerraform,
  resourcesOf,
} from '../../provider/test/support/terraform';
import { e2eArtifacts, scanForSecrets } from '../../provider/test/support/secret-scan';
import { newStack, secret } from './support/stack';

function withProvider(build: (stack: TerraformStack) => void): string {
  const stack = newStack();
  new KeyplaneProvider(stack, 'keyplane', {});
  build(stack);
  return Testing.synth(stack);
}

const PASSPHRASE = 'cdktf e2e passphrase';
const AWS = { accessKeyId: 'AKIDCDKTFE2E', secretAccessKey: 'cdktf-e2e-secret-3b9d' };

describeWithTerraform('synthesized stacks through real terraform', () => {
  let files: string;
  let tf: TerraformWorkdir;
  let aws: AwsKmsEmulator;
  beforeAll(async () => {
    aws = await startAwsKmsEmulator({ port: 0, region: 'us-east-1', credentials: [AWS] });
    files = mkdtempSync(join(tmpdir(), 'kp-cdktf-tf-'));
    tf = new TerraformWorkdir({
      env: {
        KEYPLANE_STORE: `sqlite://${join(files, 'keyplane.db')}`,
        KEYPLANE_SEAL_PASSPHRASE: PASSPHRASE,
        // The sensitive variables of the distribution stack (secret() declares them).
        TF_VAR_aws_access_key: AWS.accessKeyId,
        TF_VAR_aws_secret_key: AWS.secretAccessKey,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
  });
  afterAll(async () => {
    tf.cleanup();
    rmSync(files, { recursive: true, force: true });
    await aws.close();
  });

  it('validates every construct against the provider schema', async () => {
    const json = withProvider((stack) => {
      const managed = new ManagedKey(stack, 'hsm', {
        name: 'hsm-signer',
        backend: ManagedKeyBackend.pkcs11({
          library: '/usr/lib/softhsm/libsofthsm2.so',
          tokenLabel: 'keyplane',
          keyLabel: 'signer',
          mechanism: '0x1041',
          pin: secret(stack, 'pin'),
        }),
      });
      new SigningKey(stack, 'releases', { name: 'releases', managedKey: managed });
      new AwsKmsConnection(stack, 'aws', {
        name: 'aws',
        region: 'eu-west-1',
        accessKey: secret(stack, 'access_key'),
        secretKey: secret(stack, 'secret_key'),
      });
      new Pkcs11Connection(stack, 'token', {
        name: 'token',
        tokenLabel: 't',
        pin: secret(stack, 'token_pin'),
      });
      new Key(stack, 'k', { name: 'k', type: 'rsa-3072', rotationPeriod: '2160h' });
    });
    tf.write({ 'main.tf.json': json });
    await tf.init();
    const r = await tf.ok(['validate', '-no-color']);
    expect(r.stdout).toContain('The configuration is valid');
  }, 180_000);

  it('applies a Key; its fingerprint output is the state value; destroys', async () => {
    const json = withProvider((stack) => {
      const key = new Key(stack, 'payments', {
        name: 'payments',
        type: 'ecdsa-p256',
        deletionAllowed: true,
      });
      new TerraformOutput(stack, 'fingerprint', { value: key.fingerprint });
      new TerraformOutput(stack, 'v1_pem', { value: key.publicKeyPemOf(1) });
    });
    tf.write({ 'main.tf.json': json });
    await tf.apply();
    const out = await tf.outputs();
    const state = resourcesOf(await tf.state()).find((r) => r.type === 'keyplane_key');
    const versions = state?.values.versions as Record<
      string,
      { fingerprint: string; public_key_pem: string }
    >;
    expect(out.fingerprint?.value).toBe(versions['1']?.fingerprint);
    expect(String(out.v1_pem?.value)).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    await tf.destroy();
  }, 180_000);

  it('applies a Key.distributeTo the AWS KMS emulator; AWS serves the key fingerprint', async () => {
    const json = withProvider((stack) => {
      const key = new Key(stack, 'release', {
        name: 'release-sig',
        type: 'rsa-2048',
        deletionAllowed: true,
      });
      const kms = new AwsKmsConnection(stack, 'aws', {
        name: 'aws-use1',
        region: 'us-east-1',
        endpoint: aws.url,
        accessKey: secret(stack, 'aws_access_key'),
        secretKey: secret(stack, 'aws_secret_key'),
      });
      const toAws = key.distributeTo(kms, { purpose: ['sign', 'verify'] });
      new TerraformOutput(stack, 'fingerprint', { value: key.fingerprint });
      new TerraformOutput(stack, 'kms_key_name', { value: toAws.kmsKeyName });
      new TerraformOutput(stack, 'cloud_id', { value: toAws.cloudIdOf(key.latestVersion) });
    });
    tf.write({ 'main.tf.json': json });
    await tf.apply();
    const out = await tf.outputs();
    expect(out.kms_key_name?.value).toBe('alias/release-sig');
    const cloudId = String(out.cloud_id?.value);
    expect(cloudId).toMatch(/^arn:aws:kms:us-east-1:\d+:key\//);
    const sdk = new KMSClient({ endpoint: aws.url, region: 'us-east-1', credentials: AWS });
    try {
      const served = await sdk.send(new GetPublicKeyCommand({ KeyId: cloudId }));
      const fingerprint = `sha256:${createHash('sha256')
        .update(served.PublicKey ?? new Uint8Array())
        .digest('hex')}`;
      expect(fingerprint).toBe(out.fingerprint?.value);
      expect(served.KeyUsage).toBe('SIGN_VERIFY');
    } finally {
      sdk.destroy();
    }
    const artifacts = e2eArtifacts({
      dir: tf.dir,
      plans: [],
      log: join(files, 'no-log'),
      store: join(files, 'keyplane.db'),
    });
    expect(scanForSecrets(artifacts, [AWS.secretAccessKey, PASSPHRASE])).toEqual([]);
    await tf.destroy();
  }, 180_000);
});
