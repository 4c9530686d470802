// The synthesized JSON through real terraform and the real provider executable (installed into
// a filesystem mirror, offline): every construct's configuration validates against the
// provider's own schema (write-only attributes fed by sensitive variables included), and a Key
// applies, its latest-version fingerprint output reads the same value as the state, and destroys.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformOutput, Testing, type TerraformStack } from 'cdktf';
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
import { newStack, secret } from './support/stack';

function withProvider(build: (stack: TerraformStack) => void): string {
  const stack = newStack();
  new KeyplaneProvider(stack, 'keyplane', {});
  build(stack);
  return Testing.synth(stack);
}

describeWithTerraform('synthesized stacks through real terraform', () => {
  let files: string;
  let tf: TerraformWorkdir;
  beforeAll(() => {
    files = mkdtempSync(join(tmpdir(), 'kp-cdktf-tf-'));
    tf = new TerraformWorkdir({
      env: {
        KEYPLANE_STORE: `sqlite://${join(files, 'keyplane.db')}`,
        KEYPLANE_SEAL_PASSPHRASE: 'cdktf e2e passphrase',
      },
    });
  });
  afterAll(() => {
    tf.cleanup();
    rmSync(files, { recursive: true, force: true });
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
});
