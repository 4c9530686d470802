/**
 * Issue 8, item 4: every backend call has deadlines. A KMS that accepts the request and never
 * answers (emulator latency fault, 10 minutes) ends the command after the per-attempt timeout
 * with one `error:` line naming the endpoint; a KMS that keeps failing slowly ends at the
 * overall deadline; a bad timeout setting is refused naming the variable.
 */
import { writeFileSync } from 'node:fs';
import {
  startAwsKmsEmulator,
  startAzureKeyVaultEmulator,
  type AwsKmsEmulator,
  type AzureKeyVaultEmulator,
} from '@keyplane/emulators';
import { cliSandbox, type CliSandbox } from './support/cli';

const HANG = { '*': { latencyMs: 600_000 } };
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('backend call timeouts', () => {
  const credentials = { accessKeyId: 'AKIDTIMEOUT', secretAccessKey: 'timeout-secret' };
  let aws: AwsKmsEmulator;
  let azure: AzureKeyVaultEmulator;
  let sandbox: CliSandbox;
  let env: Record<string, string>;
  const run = (args: string[], extra: Record<string, string> = {}) =>
    sandbox.runAsync(args, { env: { ...env, ...extra } });

  beforeAll(async () => {
    aws = await startAwsKmsEmulator({ port: 0, credentials: [credentials] });
    azure = await startAzureKeyVaultEmulator({ port: 0 });
    sandbox = cliSandbox();
    writeFileSync(sandbox.path('ca.pem'), azure.caPem);
    env = {
      KEYPLANE_STORE: sandbox.path('keyplane.db'),
      KEYPLANE_SEAL_PASSPHRASE: 'timeout test passphrase',
      AWS_EC2_METADATA_DISABLED: 'true',
      METADATA_SERVER_DETECTION: 'none',
      CHECKPOINT_DISABLE: '1',
    };
    const created = await run([
      'managed-key',
      'create',
      'awskms',
      'aws1',
      'allow_generate_key=true',
      'kms_key=alias/aws1',
      'key_type=ECDSA',
      'curve=P256',
      `endpoint=${aws.url}`,
      `access_key=${credentials.accessKeyId}`,
      `secret_key=${credentials.secretAccessKey}`,
    ]);
    expect(created.status).toBe(0);
    const azureCreated = await run([
      'managed-key',
      'create',
      'azurekeyvault',
      'az1',
      'allow_generate_key=true',
      'tenant_id=00000000-0000-0000-0000-000000000001',
      'client_id=keyplane-timeout',
      'client_secret=timeout-client-secret',
      'vault_name=timeouts',
      'key_name=az1',
      'key_bits=2048',
      'key_type=RSA-HSM',
      `endpoint=${azure.url}`,
      `ca_file=${sandbox.path('ca.pem')}`,
    ]);
    expect(azureCreated.status).toBe(0);
  });
  afterAll(async () => {
    sandbox.dispose();
    await Promise.all([aws.close(), azure.close()]);
  });
  afterEach(() => {
    aws.faults.configure({});
    azure.faults.configure({});
  });

  it.each([
    ['aws1', () => aws, () => aws.url],
    ['az1', () => azure, () => azure.url],
  ])(
    'a hanging KMS fails %s after the per-attempt timeout, naming the endpoint',
    async (name, emulator, url) => {
      emulator().faults.configure(HANG);
      const r = await run(['managed-key', 'test-sign', name], {
        KEYPLANE_BACKEND_CALL_TIMEOUT_MS: '1000',
      });
      expect(r.status).toBe(1);
      // One line, naming the endpoint that hung; the process ended (the socket was closed).
      expect(r.stderr).toMatch(
        new RegExp(
          `^error: [^\\n]*: ${escape(url())} did not answer within 1000 ms \\(KEYPLANE_BACKEND_CALL_TIMEOUT_MS\\)[^\\n]*\\n$`,
        ),
      );
    },
    60_000,
  );

  it('a KMS failing slowly on every attempt ends at the overall deadline', async () => {
    aws.faults.configure({ '*': { errorRate: 1, latencyMs: 200 } });
    const r = await run(['managed-key', 'test-sign', 'aws1'], {
      KEYPLANE_BACKEND_TIMEOUT_MS: '300',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^error: [^\\n]*${escape(aws.url)} did not complete within 300 ms including retries`,
      ),
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('refuses a timeout setting that is not a positive whole number of ms, naming it', async () => {
    const r = await run(['managed-key', 'test-sign', 'aws1'], {
      KEYPLANE_BACKEND_CALL_TIMEOUT_MS: 'soon',
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(
      /^error: .*KEYPLANE_BACKEND_CALL_TIMEOUT_MS must be a whole number of milliseconds/,
    );
  }, 60_000);
});
