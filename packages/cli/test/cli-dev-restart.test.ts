/**
 * `keyplane dev` across restarts and for walkthroughs, through the real executable: `dev up`
 * after `dev down` takes the previous ports again when they are free (and says so, or says
 * which were taken), so `endpoint=` values stored in managed keys keep working; the GCP key ring
 * walkthroughs use exists from the start, any Azure vault name works, `dev env` has the GCP
 * control URL; the realism switches reach the emulators and bad values are usage errors.
 */
import { createServer, type Server } from 'node:net';
import { kmsClient } from '../../emulators/test/support/gcp-client';
import { cliSandbox, type CliSandbox } from './support/cli';
import { devAzureClient as azureClient, parseExports } from './support/dev';

let sandbox: CliSandbox;
const keyplane = (...args: string[]) => sandbox.run(...args, '--state-dir', sandbox.path('dev'));
const RING = 'projects/keyplane-dev/locations/global/keyRings/keyplane-dev';

const portOf = (url: string | undefined) => Number(/:(\d+)$/.exec(url ?? '')?.[1]);

function up(...flags: string[]): { stdout: string; env: Record<string, string> } {
  const r = keyplane('dev', 'up', '--detach', ...flags);
  expect(r).toMatchObject({ status: 0, stderr: '' });
  return { stdout: r.stdout, env: parseExports(keyplane('dev', 'env').stdout) };
}

function down(): void {
  expect(keyplane('dev', 'down').status).toBe(0);
}

beforeAll(() => {
  sandbox = cliSandbox();
});
afterAll(() => {
  keyplane('dev', 'down');
  sandbox.dispose();
});

it('dev up after dev down reuses the free previous ports and says which were taken', async () => {
  const first = up();
  expect(first.stdout).not.toMatch(/Reused/);
  const ports = {
    aws: portOf(first.env.AWS_ENDPOINT_URL_KMS),
    azure: portOf(first.env.KEYPLANE_AZURE_KEYVAULT_URL),
    gcp: portOf(first.env.KEYPLANE_GCP_KMS_ENDPOINT),
    control: portOf(first.env.KEYPLANE_GCP_CONTROL_URL),
  };
  await azureClient(first.env).createEcKey('survives');
  down();

  const second = up();
  expect(second.stdout).toContain(
    `Reused the previous session's ports: aws ${ports.aws}, azure ${ports.azure}, gcp ${ports.gcp}, gcp control ${ports.control}.`,
  );
  expect(second.env).toEqual(first.env);
  // The stored endpoint still reaches the same vault, and its keys.
  expect((await azureClient(second.env).getKey('survives')).name).toBe('survives');
  down();

  // Something else took the AWS port meanwhile: a new one, and the user is told to update.
  const squatter: Server = createServer();
  await new Promise<void>((done) => squatter.listen(ports.aws, '127.0.0.1', done));
  try {
    const third = up();
    expect(third.stdout).toContain(
      `Reused the previous session's ports: azure ${ports.azure}, gcp ${ports.gcp}, gcp control ${ports.control}.`,
    );
    expect(third.stdout).toContain(
      `Previous ports in use by something else, new ones picked (update stored endpoint= values): aws ${ports.aws}.`,
    );
    expect(portOf(third.env.AWS_ENDPOINT_URL_KMS)).not.toBe(ports.aws);
    down();
  } finally {
    await new Promise<void>((done) =>
      squatter.close(() => {
        done();
      }),
    );
  }
  // An explicit flag wins over the remembered port.
  const fourth = up('--azure-port', '0');
  expect(fourth.stdout).not.toContain(`azure ${ports.azure}`);
  down();
});

it('pre-creates the GCP key ring, accepts any Azure vault name, prints both, exports the control URL', async () => {
  const { stdout, env } = up('--azure-consistency-delay', '300');
  expect(stdout).toContain(`GCP key ring    ${RING} (gRPC ${env.KEYPLANE_GCP_KMS_ENDPOINT}`);
  expect(stdout).toContain(
    `Azure Key Vault ${env.KEYPLANE_AZURE_KEYVAULT_URL}: any vault_name works with endpoint= this URL`,
  );
  expect(env).toMatchObject({ KEYPLANE_GCP_KEY_RING: RING });
  expect(env.KEYPLANE_GCP_CONTROL_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const health = await fetch(`${env.KEYPLANE_GCP_CONTROL_URL ?? ''}/_keyplane/health`);
  expect(health.status).toBe(200);

  const gcp = kmsClient(portOf(env.KEYPLANE_GCP_KMS_ENDPOINT));
  const [ring] = await gcp.getKeyRing({ name: RING });
  expect(ring.name).toBe(RING);
  await gcp.close();

  // Keyplane's own Azure path with a vault name made up on the spot, and soft delete
  // eventually consistent (--azure-consistency-delay): the delete poller has to wait.
  const store = {
    KEYPLANE_STORE: sandbox.path('keyplane.db'),
    KEYPLANE_SEAL_PASSPHRASE: 'dev restart test',
  };
  const created = await sandbox.runAsync(
    [
      'managed-key',
      'create',
      'azurekeyvault',
      'any-vault',
      'allow_generate_key=true',
      'tenant_id=00000000-0000-0000-0000-000000000001',
      'client_id=keyplane-cli',
      'client_secret=-',
      'vault_name=a-vault-name-nobody-created',
      'key_name=walkthrough',
      'key_type=RSA-HSM',
      'key_bits=2048',
      `endpoint=${env.KEYPLANE_AZURE_KEYVAULT_URL ?? ''}`,
      `ca_file=${env.KEYPLANE_AZURE_CA_FILE ?? ''}`,
    ],
    { env: store, input: 'secret\n' },
  );
  expect(created.status).toBe(0);
  const signed = await sandbox.runAsync(['managed-key', 'test-sign', 'any-vault'], { env: store });
  expect(signed).toMatchObject({ status: 0 });

  const azure = azureClient(env);
  await azure.createEcKey('eventually');
  const poller = await azure.beginDeleteKey('eventually');
  await expect(azure.getDeletedKey('eventually')).rejects.toMatchObject({ statusCode: 404 });
  await poller.pollUntilDone();
  expect((await azure.getDeletedKey('eventually')).name).toBe('eventually');
  down();
});

it.each([
  ['--azure-consistency-delay', 'soon'],
  ['--gcp-import-settle', '-1'],
  ['--gcp-import-settle', '600001'],
])('dev up refuses %s %s as a usage error before starting anything', (flag, value) => {
  const r = keyplane('dev', 'up', `${flag}=${value}`);
  expect(r.status).toBe(2);
  expect(r.stderr.split('\n')[0]).toBe(
    `error: ${flag} '${value}' is not a number of milliseconds (0–600000)`,
  );
});

it('dev up refuses an unknown operation or a bad value in a fault table, naming the field', () => {
  const unknown = keyplane('dev', 'up', '--azure-faults', '{"Sing":{"errorRate":1}}');
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toMatch(
    /^error: --azure-faults: Sing: unknown operation; allowed: \*, CreateKey, .*Sign/,
  );
  const lots = keyplane('dev', 'up', '--aws-faults', '{"Sign":{"errorRate":"lots"}}');
  expect(lots.status).toBe(2);
  expect(lots.stderr.split('\n')[0]).toBe(
    'error: --aws-faults: Sign.errorRate: "lots" is not allowed; expected a number from 0 to 1',
  );
});
