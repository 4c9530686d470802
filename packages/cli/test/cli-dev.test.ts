/**
 * `keyplane dev` end to end: the real executable starts the local clouds in the background,
 * `dev env` hands out the environment, the real AWS, Azure and GCP SDKs use it (and only it),
 * `dev down` stops everything. Starting twice and stopping twice give clear messages.
 */
import { CreateKeyCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { readFileSync } from 'node:fs';
import { kmsClient } from '../../emulators/test/support/gcp-client';
import { cliSandbox, type CliSandbox } from './support/cli';
import { devAzureClient, parseExports } from './support/dev';

let sandbox: CliSandbox;
const keyplane = (...args: string[]) => sandbox.run(...args, '--state-dir', sandbox.path('dev'));

beforeAll(() => {
  sandbox = cliSandbox();
});
afterAll(() => {
  keyplane('dev', 'down');
  sandbox.dispose();
});

it('dev up --detach → env → the three SDKs and the SoftHSM token work → dev down', async () => {
  expect(keyplane('dev', 'status')).toMatchObject({ status: 1 });
  const up = keyplane('dev', 'up', '--detach');
  expect(up.stderr).toBe('');
  expect(up.status).toBe(0);
  expect(up.stdout).toMatch(/keyplane dev is up in the background \(pid \d+/);

  const again = keyplane('dev', 'up', '--detach');
  expect(again.status).toBe(1);
  expect(again.stderr).toMatch(
    /^error: keyplane dev is already running \(pid \d+, since .*\); stop it with 'keyplane dev down'\n$/,
  );

  const status = keyplane('dev', 'status');
  expect(status.status).toBe(0);
  expect(status.stdout.match(/^ {2}ok {3}/gm)).toHaveLength(3);

  const envRun = keyplane('dev', 'env');
  expect(envRun.status).toBe(0);
  const env = parseExports(envRun.stdout);
  expect(env).toMatchObject({
    AWS_EC2_METADATA_DISABLED: 'true',
    METADATA_SERVER_DETECTION: 'none',
    KEYPLANE_PKCS11_TOKEN_LABEL: 'keyplane-dev',
  });
  for (const url of [env.AWS_ENDPOINT_URL_KMS, env.KEYPLANE_AZURE_KEYVAULT_URL])
    expect(url).toMatch(/^https?:\/\/127\.0\.0\.1:\d+$/);

  const aws = new KMSClient({
    endpoint: env.AWS_ENDPOINT_URL_KMS!,
    region: env.AWS_REGION!,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
    },
  });
  const created = await aws.send(
    new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
  );
  const described = await aws.send(new DescribeKeyCommand({ KeyId: created.KeyMetadata?.KeyId }));
  expect(described.KeyMetadata?.KeyState).toBe('Enabled');
  aws.destroy();

  const azure = devAzureClient(env);
  const rsa = await azure.createRsaKey('dev-rsa', { keySize: 2048 });
  expect(rsa.keyType).toBe('RSA');

  const gcp = kmsClient(Number((env.KEYPLANE_GCP_KMS_ENDPOINT ?? '').split(':')[1]));
  const [ring] = await gcp.createKeyRing({
    parent: 'projects/keyplane-dev/locations/global',
    keyRingId: 'dev',
  });
  expect(ring.name).toBe('projects/keyplane-dev/locations/global/keyRings/dev');
  await gcp.close();

  expect(readFileSync(env.SOFTHSM2_CONF ?? '', 'utf8')).toContain('directories.tokendir');

  const down = keyplane('dev', 'down');
  expect(down.status).toBe(0);
  expect(down.stdout).toMatch(/^keyplane dev stopped \(pid \d+\)/);
  const downAgain = keyplane('dev', 'down');
  expect(downAgain.status).toBe(0);
  expect(downAgain.stdout).toMatch(/keyplane dev is not running .*; nothing to stop/);
  expect(keyplane('dev', 'env')).toMatchObject({ status: 1 });
  await expect(fetch(`${env.AWS_ENDPOINT_URL_KMS ?? ''}/_keyplane/health`)).rejects.toThrow();
});

it('dev up refuses a bad port before starting anything', () => {
  const r = keyplane('dev', 'up', '--aws-port', '70000');
  expect(r.status).toBe(2);
  expect(r.stderr).toContain("--aws-port '70000' is not a port (0–65535)");
});

it('dev up refuses fault JSON it cannot parse, naming the flag', () => {
  const r = keyplane('dev', 'up', '--gcp-faults', '{not json');
  expect(r.status).toBe(2);
  expect(r.stderr).toContain(
    'error: --gcp-faults: expected JSON like {"Sign":{"errorRate":0.5,"latencyMs":100}}',
  );
});

it('faults given at start reach the emulator (--aws-faults), visible on its control endpoint', async () => {
  const up = keyplane(
    'dev',
    'up',
    '--detach',
    '--aws-faults',
    '{"CreateKey":{"errorRate":1,"times":1}}',
  );
  expect(up.status).toBe(0);
  try {
    const env = parseExports(keyplane('dev', 'env').stdout);
    const table = await (await fetch(`${env.AWS_ENDPOINT_URL_KMS ?? ''}/_keyplane/faults`)).json();
    expect(table).toEqual({ CreateKey: { errorRate: 1, times: 1 } });
    const aws = new KMSClient({
      endpoint: env.AWS_ENDPOINT_URL_KMS!,
      region: 'us-east-1',
      credentials: {
        accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
      },
      maxAttempts: 1,
    });
    await expect(aws.send(new CreateKeyCommand({}))).rejects.toMatchObject({
      name: 'KMSInternalException',
    });
    await expect(aws.send(new CreateKeyCommand({}))).resolves.toMatchObject({
      KeyMetadata: { KeyState: 'Enabled' },
    });
    aws.destroy();
  } finally {
    expect(keyplane('dev', 'down').status).toBe(0);
  }
});
