/**
 * Concurrent first use (issue 8, high 2): several `keyplane managed-key test-sign` processes on
 * one store race to use a new managed key with allow_generate_key=true. Exactly one key must
 * come out of it in the backend — counted with tools independent of Keyplane (pkcs11-tool,
 * the AWS and Azure SDKs) — and every process must sign with that one key.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  DescribeKeyCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
} from '@aws-sdk/client-kms';
import { KeyClient } from '@azure/keyvault-keys';
import {
  createSoftHsmToken,
  startAwsKmsEmulator,
  startAzureKeyVaultEmulator,
  type SoftHsmToken,
} from '@keyplane/emulators';
import { fakeCredential } from '../../emulators/test/support/azure-sdk';
import { pkcs11Tool } from '../../emulators/test/support/pkcs11-tool';
import { cliSandbox, type CliSandbox, type Run } from './support/cli';

const BASE_ENV = {
  KEYPLANE_SEAL_PASSPHRASE: 'race test passphrase',
  AWS_EC2_METADATA_DISABLED: 'true',
  METADATA_SERVER_DETECTION: 'none',
  CHECKPOINT_DISABLE: '1',
};

let sandbox: CliSandbox;
beforeEach(() => {
  sandbox = cliSandbox();
});
afterEach(() => {
  sandbox.dispose();
});

/** Creates the managed key, then runs `count` test-signs on it at once. */
async function race(
  env: Record<string, string>,
  type: string,
  params: readonly string[],
  count: number,
): Promise<Run[]> {
  const all = { ...BASE_ENV, KEYPLANE_STORE: sandbox.path('keyplane.db'), ...env };
  const created = await sandbox.runAsync(
    ['managed-key', 'create', type, 'race1', 'allow_generate_key=true', ...params],
    { env: all },
  );
  expect(created.stderr).not.toContain('error');
  expect(created.status).toBe(0);
  return await Promise.all(
    Array.from({ length: count }, () =>
      sandbox.runAsync(['managed-key', 'test-sign', 'race1', '--json'], { env: all }),
    ),
  );
}

/**
 * Every process succeeded, exactly one says it generated the key, all signed one version.
 * `tolerated`: failures allowed besides (SoftHSM2's own multi-process file races, which
 * answer CKR_GENERAL_ERROR to a reader while another process rewrites the token); then at
 * most one process says it generated. Duplicates are counted in the backend either way.
 */
function expectOneGeneration(runs: readonly Run[], tolerated?: RegExp): void {
  const ok = runs.filter((r) => r.status === 0);
  for (const run of runs.filter((r) => r.status !== 0)) {
    if (tolerated === undefined || !tolerated.test(run.stderr))
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  }
  for (const run of ok) expect(run.stderr).toBe('');
  expect(ok.length).toBeGreaterThan(runs.length / 2);
  const results = ok.map(
    (r) => JSON.parse(r.stdout) as { key_generated: boolean; key_version: string },
  );
  const generated = results.filter((r) => r.key_generated).length;
  if (ok.length === runs.length) expect(generated).toBe(1);
  else expect(generated).toBeLessThanOrEqual(1);
  expect(new Set(results.map((r) => r.key_version)).size).toBe(1);
}

describe('concurrent first use with allow_generate_key', () => {
  it('8 processes on PKCS#11 (SoftHSM2) leave one key pair; a duplicated label is refused naming both ids', async () => {
    const token: SoftHsmToken = await createSoftHsmToken({ label: 'race', pin: '1234' });
    try {
      const env = { SOFTHSM2_CONF: token.conf };
      const params = [
        `library=${token.module}`,
        `token_label=${token.label}`,
        'pin=1234',
        'key_label=race1',
        'mechanism=0x1041',
        'curve=P256',
      ];
      expectOneGeneration(await race(env, 'pkcs11', params, 8), /CKR_GENERAL_ERROR/);
      const tool = (...args: string[]) => pkcs11Tool(token, args);
      const privateKeys = () =>
        tool('--list-objects', '--type', 'privkey')
          .split('Private Key Object')
          .filter((o) => /label:\s+race1\n/.test(o));
      expect(privateKeys()).toHaveLength(1);

      // A second key under the same label (made outside Keyplane): never a silent pick.
      tool('--keypairgen', '--key-type', 'EC:prime256v1', '--label', 'race1', '--id', 'beef');
      expect(privateKeys()).toHaveLength(2);
      const ambiguous = await sandbox.runAsync(['managed-key', 'test-sign', 'race1'], {
        env: { ...BASE_ENV, KEYPLANE_STORE: sandbox.path('keyplane.db'), ...env },
      });
      expect(ambiguous.status).toBe(1);
      expect(ambiguous.stderr).toMatch(/^error: .*label 'race1' matches 2 keys.*beef/);
      expect(ambiguous.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      await token.dispose();
    }
  }, 120_000);

  it('6 processes on the AWS KMS emulator leave one key behind the alias and no orphans', async () => {
    const credentials = { accessKeyId: 'AKIDRACE', secretAccessKey: 'race-secret' };
    const emulator = await startAwsKmsEmulator({ port: 0, credentials: [credentials] });
    try {
      const params = [
        'kms_key=alias/race1',
        'key_type=ECDSA',
        'curve=P256',
        'region=us-east-1',
        `endpoint=${emulator.url}`,
        `access_key=${credentials.accessKeyId}`,
        `secret_key=${credentials.secretAccessKey}`,
      ];
      expectOneGeneration(await race({}, 'awskms', params, 6));
      const kms = new KMSClient({ endpoint: emulator.url, region: 'us-east-1', credentials });
      try {
        const keys = (await kms.send(new ListKeysCommand({}))).Keys ?? [];
        const states = await Promise.all(
          keys.map(
            async (k) =>
              (await kms.send(new DescribeKeyCommand({ KeyId: k.KeyId }))).KeyMetadata?.KeyState,
          ),
        );
        expect(states).toEqual(['Enabled']);
        const aliases = (await kms.send(new ListAliasesCommand({}))).Aliases ?? [];
        const alias = aliases.find((a) => a.AliasName === 'alias/race1');
        expect(alias?.TargetKeyId).toBe(keys[0]?.KeyId);
      } finally {
        kms.destroy();
      }
    } finally {
      await emulator.close();
    }
  }, 120_000);

  it('6 processes on the Azure Key Vault emulator leave one key version', async () => {
    // Soft delete eventually consistent, as in the service.
    const emulator = await startAzureKeyVaultEmulator({ port: 0, consistencyDelayMs: 250 });
    try {
      writeFileSync(sandbox.path('ca.pem'), emulator.caPem);
      const params = [
        'tenant_id=00000000-0000-0000-0000-000000000001',
        'client_id=keyplane-race',
        'client_secret=race-client-secret',
        'vault_name=race',
        'key_name=race1',
        'key_bits=2048',
        'key_type=RSA-HSM',
        `endpoint=${emulator.url}`,
        `ca_file=${sandbox.path('ca.pem')}`,
      ];
      expectOneGeneration(await race({}, 'azurekeyvault', params, 6));
      const client = new KeyClient(emulator.url, fakeCredential, {
        tlsOptions: { ca: readFileSync(sandbox.path('ca.pem'), 'utf8') },
        disableChallengeResourceVerification: true,
        retryOptions: { maxRetries: 0 },
      });
      const versions: string[] = [];
      for await (const v of client.listPropertiesOfKeyVersions('race1'))
        versions.push(v.version ?? '');
      expect(versions).toHaveLength(1);
    } finally {
      await emulator.close();
    }
  }, 120_000);
});
