/**
 * Auto-unseal: a store sealed by an AES key in SoftHSM2 (PKCS#11), by AWS KMS, GCP Cloud KMS
 * and Azure Key Vault keys in the emulators (through the real SDKs), reopened with no passphrase;
 * a wrong key or another seal type is refused with ERR_SEAL naming the seal; `rewrap` moves a
 * passphrase store to an HSM seal without touching the records.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openSeal,
  openStore,
  PassphraseSeal,
  sealConfigFromEnv,
  type SealConfig,
} from '@keyplane/engine';
import {
  startAwsKmsEmulator,
  startAzureKeyVaultEmulator,
  type AwsKmsEmulator,
  type AzureKeyVaultEmulator,
  type SoftHsmToken,
} from '@keyplane/emulators';
import { createTestToken, TEST_PIN } from '../backends/support/pkcs11-token';
import {
  startGcpKmsTestEnv,
  GCP_TEST_LOCATION,
  GCP_TEST_PROJECT,
  type GcpKmsTestEnv,
} from '../backends/support/gcp-kms';

let dir: string;
let token: SoftHsmToken;
let aws: AwsKmsEmulator;
let azure: AzureKeyVaultEmulator;
let gcp: GcpKmsTestEnv;
let n = 0;
const newPath = () => join(dir, `sealed-${String(++n)}.db`);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kp-seals-'));
  token = await createTestToken('keyplane-seal-test');
  aws = await startAwsKmsEmulator({
    port: 0,
    credentials: [{ accessKeyId: 'AKIDTEST', secretAccessKey: 'test' }],
  });
  // Soft delete eventually consistent, as in the service (every engine Azure suite runs so).
  azure = await startAzureKeyVaultEmulator({ port: 0, consistencyDelayMs: 250 });
  writeFileSync(join(dir, 'azure-ca.pem'), azure.caPem);
  gcp = await startGcpKmsTestEnv();
});
afterAll(async () => {
  await Promise.all([aws.close(), azure.close(), gcp.close(), token.dispose()]);
  rmSync(dir, { recursive: true, force: true });
});

const configs = (): Record<string, SealConfig> => ({
  pkcs11: {
    type: 'pkcs11',
    library: token.module,
    token_label: token.label,
    pin: TEST_PIN,
    key_label: 'keyplane-seal',
  },
  awskms: {
    type: 'awskms',
    kms_key: 'alias/keyplane-seal',
    region: 'us-east-1',
    endpoint: aws.url,
    access_key: 'AKIDTEST',
    secret_key: 'test',
  },
  gcpckms: {
    type: 'gcpckms',
    project: GCP_TEST_PROJECT,
    region: GCP_TEST_LOCATION,
    key_ring: gcp.config.keyRing,
    crypto_key: 'keyplane-seal',
    endpoint: gcp.config.endpoint ?? '',
    insecure: true,
  },
  azurekeyvault: {
    type: 'azurekeyvault',
    key_name: 'keyplane-seal',
    endpoint: azure.url,
    ca_file: join(dir, 'azure-ca.pem'),
  },
});

describe.each(['pkcs11', 'awskms', 'gcpckms', 'azurekeyvault'])('the %s seal', (type) => {
  it('initializes a store (generating its key), reopens it without any passphrase, and refuses another key', async () => {
    const config = configs()[type]!;
    const path = newPath();
    const seal = await openSeal({ ...config, generate_key: true });
    const store = await openStore(path, { seal });
    expect(store.sealType).toBe(type);
    const r = await store.transaction((tx) =>
      tx.insert({
        kind: 'kms',
        namespace: 'root',
        name: 'c',
        attributes: {},
        secrets: { client_secret: Buffer.from('s3cret') },
      }),
    );
    await store.close();
    await seal.close();

    const again = await openSeal(config);
    const reopened = await openStore(path, { seal: again });
    expect(
      reopened.secret((await reopened.get('kms', 'root', 'c'))!, 'client_secret').toString(),
    ).toBe('s3cret');
    expect((await reopened.status()).sealDescription).toContain('keyplane-seal');
    await reopened.close();
    await again.close();

    // Another key of the same kind (generated next to it) cannot unwrap this data key.
    const keyName =
      type === 'pkcs11'
        ? 'key_label'
        : type === 'awskms'
          ? 'kms_key'
          : type === 'gcpckms'
            ? 'crypto_key'
            : 'key_name';
    const other = await openSeal({
      ...config,
      [keyName]: type === 'awskms' ? 'alias/other-seal' : 'other-seal',
      generate_key: true,
    });
    await expect(openStore(path, { seal: other })).rejects.toMatchObject({
      code: 'ERR_SEAL',
      message: expect.stringContaining(`${type} seal`) as string,
    });
    await expect(
      openStore(path, { seal: new PassphraseSeal('a passphrase, wrongly') }),
    ).rejects.toMatchObject({
      code: 'ERR_SEAL',
      message: expect.stringContaining(`sealed with the ${type} seal`) as string,
    });
    await other.close();
    expect(r.secretFields).toEqual(['client_secret']);
  });
});

it('rewraps a passphrase store to the PKCS#11 seal: records untouched, the passphrase no longer opens it', async () => {
  const path = newPath();
  const passphrase = new PassphraseSeal('rewrap test passphrase');
  const store = await openStore(path, { seal: passphrase });
  await store.transaction((tx) =>
    tx.insert({
      kind: 'managed_key',
      namespace: 'team-a',
      name: 'k',
      attributes: { type: 'pkcs11' },
      secrets: { pin: Buffer.from('4321') },
    }),
  );
  const hsm = await openSeal(configs().pkcs11!);
  await store.rewrap(hsm);
  await store.close();
  await expect(openStore(path, { seal: passphrase })).rejects.toMatchObject({ code: 'ERR_SEAL' });
  const reopened = await openStore(path, { seal: hsm });
  const record = await reopened.get('managed_key', 'team-a', 'k');
  expect(reopened.secret(record!, 'pin').toString()).toBe('4321');
  expect((await reopened.auditEntries()).map((e) => e.operation)).toContain('store.rewrap');
  await reopened.close();
  await hsm.close();
});

it('reads the seal configuration from KEYPLANE_SEAL, secrets from KEYPLANE_SEAL_<NAME>, and refuses unknown parameters', async () => {
  const { pin: _pin, ...rest } = configs().pkcs11!;
  expect(_pin).toBe(TEST_PIN);
  const config = sealConfigFromEnv({
    KEYPLANE_SEAL: JSON.stringify(rest),
    KEYPLANE_SEAL_PIN: TEST_PIN,
  });
  expect(config).toEqual({ ...rest, pin: TEST_PIN });
  expect(sealConfigFromEnv({ KEYPLANE_SEAL_PASSPHRASE: 'x'.repeat(12) })).toEqual({
    type: 'passphrase',
  });
  expect(sealConfigFromEnv({})).toBeUndefined();
  expect(() => sealConfigFromEnv({ KEYPLANE_SEAL: 'vault' })).toThrow(
    expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT', field: 'seal.type' }) as Error,
  );
  await expect(openSeal({ ...rest, type: 'pkcs11' })).rejects.toMatchObject({
    code: 'ERR_MISSING_PARAMETER',
    message: expect.stringContaining('KEYPLANE_SEAL_PIN') as string,
  });
  await expect(openSeal({ ...configs().pkcs11!, colour: 'blue' })).rejects.toMatchObject({
    code: 'ERR_INVALID_ARGUMENT',
    field: 'seal.colour',
  });
});
