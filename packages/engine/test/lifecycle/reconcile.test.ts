/**
 * reconcile(key) against the Azure and GCP emulators, on a SQLite and on a PostgreSQL store: drift made out of band through the clouds'
 * own SDKs (a version disabled, a version destroyed, a foreign version added) and a version a
 * crashed rotation never pushed are reported as typed drift; repair re-enables and re-imports
 * what Keyplane owns and leaves the foreign and the destroyed version alone.
 */
import { KeyClient as AzureKeyClient } from '@azure/keyvault-keys';
import type { KmsBackend } from '@keyplane/engine';
import type { AzureKeyVaultEmulator } from '@keyplane/emulators';
import { AzureKeyVaultBackend } from '../../src/backends/azure-key-vault';
import {
  backendConfig as azureConfig,
  fakeCredential,
  startAzureTestEmulator,
} from '../backends/support/azure-key-vault';
import { startGcpKmsTestEnv, type GcpKmsTestEnv } from '../backends/support/gcp-kms';
import {
  connectAzure,
  connectGcp,
  describeEachStore,
  testLifecycle,
  type TestLifecycle,
} from './support';

process.env.METADATA_SERVER_DETECTION = 'none';
jest.setTimeout(120_000);

describeEachStore('reconcile', (fixture) => {
  let t: TestLifecycle;
  let azure: AzureKeyVaultEmulator;
  let gcp: GcpKmsTestEnv;
  let azureReader: KmsBackend;

  beforeAll(async () => {
    [azure, gcp] = await Promise.all([startAzureTestEmulator('vault'), startGcpKmsTestEnv()]);
    t = await testLifecycle({}, fixture());
    await connectAzure(t, 'azure', azure, 'drift-vault');
    await connectGcp(t, 'gcp', gcp);
    azureReader = new AzureKeyVaultBackend(azureConfig(azure));
  });
  afterAll(async () => {
    await t.dispose();
    await azureReader.close();
    await Promise.all([azure.close(), gcp.close()]);
  });

  it('reports every kind of drift and repairs only what Keyplane owns', async () => {
    await t.keys.create('drifty', { type: 'rsa-2048' });
    for (const kms of ['azure', 'gcp']) {
      await t.keys.distributions.distribute(kms, 'drifty', { purpose: 'sign,verify' });
    }
    await t.keys.rotate('drifty');
    expect(await t.keys.reconcile('drifty')).toEqual({ key: 'drifty', in_sync: true, drift: [] });

    // Out of band, through the clouds' own SDKs.
    const az = await t.keys.distributions.read('azure', 'drifty');
    await azureReader.setVersionEnabled(
      { name: 'drifty', version: az.versions['1']?.cloud_version },
      false,
    );
    const foreign = await new AzureKeyClient(azure.url, fakeCredential, {
      tlsOptions: { ca: azure.caPem },
      disableChallengeResourceVerification: true,
    }).createRsaKey('drifty', { keySize: 2048 });
    const g = await t.keys.distributions.read('gcp', 'drifty');
    await gcp.raw.destroyCryptoKeyVersion({
      name: g.versions['1']?.cloud_id ?? 'gcp version 1 missing',
    });
    // A rotation whose push to the clouds crashed: v3 exists centrally only.
    const crashing = await t.second({
      openBackend: () => Promise.reject(new Error('simulated crash before the cloud push')),
    });
    await expect(crashing.keys.rotate('drifty')).rejects.toThrow('simulated crash');
    await crashing.close();

    const report = await t.keys.reconcile('drifty');
    expect(report.in_sync).toBe(false);
    const kinds = report.drift.map((d) => [d.kms, d.kind, d.version ?? null, d.repaired]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['azure', 'foreign', null, false],
        ['azure', 'disabled', 1, false],
        ['azure', 'missing', 3, false],
        ['gcp', 'deleted', 1, false],
        ['gcp', 'missing', 3, false],
      ]),
    );
    expect(report.drift).toHaveLength(5);

    const repaired = await t.keys.reconcile('drifty', { repair: true });
    expect(repaired.drift.map((d) => [d.kms, d.kind, d.repaired])).toEqual(
      expect.arrayContaining([
        ['azure', 'foreign', false],
        ['azure', 'disabled', true],
        ['azure', 'missing', true],
        ['gcp', 'deleted', false],
        ['gcp', 'missing', true],
      ]),
    );
    const after = await t.keys.reconcile('drifty');
    expect(after.drift.map((d) => [d.kms, d.kind])).toEqual(
      expect.arrayContaining([
        ['azure', 'foreign'],
        ['gcp', 'deleted'],
      ]),
    );
    expect(after.drift).toHaveLength(2);
    const azureVersions = await azureReader.listVersions({ name: 'drifty' });
    expect(azureVersions.find((v) => v.version === foreign.properties.version)?.state).toBe(
      'enabled',
    );
    expect(
      azureVersions
        .filter((v) => v.keyplaneVersion !== undefined)
        .map((v) => [v.keyplaneVersion, v.state]),
    ).toEqual([
      [1, 'enabled'],
      [2, 'enabled'],
      [3, 'enabled'],
    ]);
  });
});
