/**
 * The hand-written HCL example (examples/hcl/*.tf, unchanged) against `keyplane dev up` (the real
 * CLI, detached): real terraform with the provider executable from a filesystem mirror applies it;
 * each cloud's own SDK serves the key's public key with the fingerprint the outputs give (openssl
 * computes it independently); the re-plan is empty; every resource is removed from state and
 * imported back with no change planned; versions disabled out of band in AWS and Azure show in the
 * next plan and apply re-enables them; a new rotate_trigger makes version 2 in every cloud;
 * destroy; the secret scanner finds no private key or seal passphrase in state, plan JSON, TF_LOG
 * or the store.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DisableKeyCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { KeyClient } from '@azure/keyvault-keys';
import type { KeyManagementServiceClient } from '@google-cloud/kms';
import { cliSandbox, type CliSandbox } from '../../../packages/cli/test/support/cli';
import { devAzureClient, parseExports } from '../../../packages/cli/test/support/dev';
import { kmsClient } from '../../../packages/emulators/test/support/gcp-client';
import {
  CloudReader,
  type DistributionValues,
} from '../../../packages/provider/test/support/clouds';
import { e2eArtifacts, scanForSecrets } from '../../../packages/provider/test/support/secret-scan';
import {
  TerraformWorkdir,
  describeWithTerraform,
  resourcesOf,
} from '../../../packages/provider/test/support/terraform';

const EXAMPLE = join(__dirname, '..');
const PASSPHRASE = 'hcl example passphrase 0c7e';

/** The fingerprint of a PEM public key as openssl computes it: SHA-256 over the DER SPKI. */
function opensslFingerprint(pem: string): string {
  const der = spawnSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: pem });
  expect(der.status).toBe(0);
  const digest = spawnSync('openssl', ['dgst', '-sha256', '-r'], { input: der.stdout });
  return `sha256:${digest.stdout.toString().split(' ')[0] ?? ''}`;
}

interface ByCloud {
  kms_key_name: string;
  cloud_id: string | null;
  fingerprint: string;
}

describeWithTerraform('examples/hcl against keyplane dev up', () => {
  let cli: CliSandbox;
  let dev: Record<string, string>;
  let tf: TerraformWorkdir;
  let files: string;
  let store: string;
  let log: string;
  let aws: KMSClient;
  let azure: KeyClient;
  let gcp: KeyManagementServiceClient;
  let clouds: CloudReader;
  const plans: string[] = [];
  const keyplane = (...args: string[]) => cli.run(...args, '--state-dir', cli.path('dev'));

  const state = async () => resourcesOf(await tf.state());
  const values = async (address: string) =>
    (await state()).find((r) => r.address === address)?.values ?? {};
  const distributionValues = async (cloud: string) =>
    (await values(`keyplane_key_distribution.${cloud}`)) as unknown as DistributionValues;
  const distribution = async (cloud: string) => (await distributionValues(cloud)).versions;
  const served = async () =>
    await clouds.fingerprints({
      aws: await distributionValues('aws'),
      azure: await distributionValues('azure'),
      gcp: await distributionValues('gcp'),
    });
  const keyFingerprints = async () =>
    Object.fromEntries(
      Object.entries(
        (await values('keyplane_key.release')).versions as Record<string, { fingerprint: string }>,
      ).map(([n, v]) => [n, v.fingerprint]),
    );

  async function savePlan(): Promise<void> {
    await tf.ok(['plan', '-out=tfplan', '-input=false', '-no-color']);
    plans.push((await tf.ok(['show', '-json', '-no-color', 'tfplan'])).stdout);
  }

  beforeAll(async () => {
    cli = cliSandbox();
    const up = keyplane('dev', 'up', '--detach');
    if (up.status !== 0) throw new Error(`keyplane dev up failed:\n${up.stdout}\n${up.stderr}`);
    dev = parseExports(keyplane('dev', 'env').stdout);
    aws = new KMSClient({
      endpoint: dev.KEYPLANE_AWS_KMS_ENDPOINT!,
      region: dev.AWS_REGION!,
      credentials: {
        accessKeyId: dev.AWS_ACCESS_KEY_ID!,
        secretAccessKey: dev.AWS_SECRET_ACCESS_KEY!,
      },
    });
    azure = devAzureClient(dev);
    gcp = kmsClient(Number(dev.KEYPLANE_GCP_KMS_ENDPOINT!.split(':')[1]));
    clouds = new CloudReader({ aws, azure, gcp });
    files = mkdtempSync(join(tmpdir(), 'kp-hcl-'));
    store = join(files, 'keyplane.db');
    log = join(files, 'tf-debug.log');
    tf = new TerraformWorkdir({
      env: {
        KEYPLANE_STORE: store,
        KEYPLANE_SEAL_PASSPHRASE: PASSPHRASE,
        SOFTHSM2_CONF: dev.SOFTHSM2_CONF,
        AWS_EC2_METADATA_DISABLED: 'true',
        METADATA_SERVER_DETECTION: 'none',
        TF_LOG: 'debug',
        TF_LOG_PATH: log,
        TF_VAR_aws_endpoint: dev.KEYPLANE_AWS_KMS_ENDPOINT,
        TF_VAR_aws_region: dev.AWS_REGION,
        TF_VAR_aws_access_key: dev.AWS_ACCESS_KEY_ID,
        TF_VAR_aws_secret_key: dev.AWS_SECRET_ACCESS_KEY,
        TF_VAR_azure_vault_url: dev.KEYPLANE_AZURE_KEYVAULT_URL,
        TF_VAR_azure_ca_file: dev.KEYPLANE_AZURE_CA_FILE,
        TF_VAR_gcp_endpoint: dev.KEYPLANE_GCP_KMS_ENDPOINT,
        TF_VAR_gcp_key_ring: dev.KEYPLANE_GCP_KEY_RING,
        TF_VAR_pkcs11_library: dev.KEYPLANE_PKCS11_LIBRARY,
        TF_VAR_pkcs11_token_label: dev.KEYPLANE_PKCS11_TOKEN_LABEL,
        TF_VAR_pkcs11_pin: dev.KEYPLANE_PKCS11_PIN,
      },
    });
    const tfFiles = readdirSync(EXAMPLE).filter((f) => f.endsWith('.tf'));
    tf.write(Object.fromEntries(tfFiles.map((f) => [f, readFileSync(join(EXAMPLE, f), 'utf8')])));
    await tf.init();
  }, 120_000);

  afterAll(async () => {
    tf.cleanup();
    rmSync(files, { recursive: true, force: true });
    aws.destroy();
    await gcp.close();
    keyplane('dev', 'down');
    cli.dispose();
  });

  it('applies: every cloud serves the release key with the fingerprint the outputs give', async () => {
    await savePlan();
    await tf.ok(['apply', '-input=false', '-no-color', 'tfplan']);
    const out = await tf.outputs();
    const byCloud = out.release_by_cloud?.value as Record<string, ByCloud>;
    const v1 = (await keyFingerprints())['1'];
    expect(v1).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(out.release_latest_version?.value).toBe(1);
    expect(out.release_fingerprint?.value).toBe(v1);
    const pem =
      (
        (await values('keyplane_key.release')).versions as Record<
          string,
          { public_key_pem: string }
        >
      )['1']?.public_key_pem ?? '';
    expect(opensslFingerprint(pem)).toBe(v1);
    expect(Object.keys(byCloud).sort()).toEqual(['aws', 'azure', 'gcp']);
    for (const c of Object.values(byCloud)) expect(c.fingerprint).toBe(v1);
    expect(byCloud.aws?.kms_key_name).toBe('alias/release');
    expect(await served()).toEqual({ aws: { '1': v1 }, azure: { '1': v1 }, gcp: { '1': v1 } });
    expect(Object.keys(await distribution('hsm'))).toEqual(['1']);
    const signingPem = String(out.signing_public_key_pem?.value);
    expect(opensslFingerprint(signingPem)).toBe(out.signing_fingerprint?.value);
    expect((await tf.planIsEmpty()).empty).toBe(true);
  }, 240_000);

  it('imports every resource back and plans no change', async () => {
    const imports: Record<string, string> = {
      'keyplane_kms.aws': 'aws-use1,credentials_wo_version=1',
      'keyplane_kms.azure': 'azure-kv',
      'keyplane_kms.gcp': 'gcp-global',
      'keyplane_kms.hsm': 'hsm,credentials_wo_version=1',
      'keyplane_key.release': 'release,rotate_trigger=initial',
      'keyplane_key_distribution.aws': 'aws-use1/release',
      'keyplane_key_distribution.azure': 'azure-kv/release',
      'keyplane_key_distribution.gcp': 'gcp-global/release',
      'keyplane_key_distribution.hsm': 'hsm/release',
      'keyplane_managed_key.signer': 'release-signer,pin_wo_version=1',
      'keyplane_signing_key.release': 'release-signing,rotate_trigger=initial',
    };
    const managed = (await state()).filter((r) => !r.address.startsWith('data.'));
    expect(managed.map((r) => r.address).sort()).toEqual(Object.keys(imports).sort());
    await tf.ok(['state', 'rm', ...Object.keys(imports)]);
    for (const [address, id] of Object.entries(imports)) await tf.importResource(address, id);
    expect((await tf.planIsEmpty()).empty).toBe(true);
  }, 240_000);

  it('versions disabled in AWS and Azure out of band show in the plan; apply re-enables them', async () => {
    const awsV1 = (await distribution('aws'))['1']!;
    const azureV1 = (await distribution('azure'))['1']!;
    await aws.send(new DisableKeyCommand({ KeyId: awsV1.cloud_id }));
    await azure.updateKeyProperties('release', azureV1.cloud_version, { enabled: false });
    const plan = await tf.planIsEmpty();
    expect(plan.empty).toBe(false);
    expect(plan.output).toMatch(/keyplane_key_distribution\.aws will be updated in-place/);
    expect(plan.output).toMatch(/keyplane_key_distribution\.azure will be updated in-place/);
    expect(plan.output).not.toMatch(/keyplane_key_distribution\.gcp will be/);
    await savePlan();
    await tf.ok(['apply', '-input=false', '-no-color', 'tfplan']);
    const described = await aws.send(new DescribeKeyCommand({ KeyId: awsV1.cloud_id }));
    expect(described.KeyMetadata?.KeyState).toBe('Enabled');
    const azureKey = await azure.getKey('release', { version: azureV1.cloud_version });
    expect(azureKey.properties.enabled).toBe(true);
    expect((await tf.planIsEmpty()).empty).toBe(true);
  }, 240_000);

  it('a new rotate_trigger makes version 2 in every cloud', async () => {
    const rotate = { env: { TF_VAR_rotate_trigger: 'second' } };
    await tf.ok(['apply', '-auto-approve', '-input=false', '-no-color'], [0], rotate);
    // The key's rotation pushes v2 to every distribution; their state records it at the next
    // refresh (a pending rotate_trigger is not visible to them at plan).
    await tf.ok(
      ['apply', '-refresh-only', '-auto-approve', '-input=false', '-no-color'],
      [0],
      rotate,
    );
    const fps = await keyFingerprints();
    expect(Object.keys(fps).sort()).toEqual(['1', '2']);
    expect(fps['2']).not.toBe(fps['1']);
    expect(await served()).toEqual({ aws: fps, azure: fps, gcp: fps });
    expect(Object.keys(await distribution('hsm')).sort()).toEqual(['1', '2']);
    const out = await tf.outputs();
    expect(out.release_latest_version?.value).toBe(2);
    expect(
      Object.values(out.release_by_cloud?.value as Record<string, ByCloud>).map(
        (c) => c.fingerprint,
      ),
    ).toEqual([fps['2'], fps['2'], fps['2']]);
    const r = await tf.ok(
      ['plan', '-detailed-exitcode', '-input=false', '-no-color'],
      [0, 2],
      rotate,
    );
    expect(r.code).toBe(0);
  }, 240_000);

  it('destroys; no private key or seal passphrase anywhere', async () => {
    const awsIds = Object.values(await distribution('aws')).map((v) => v.cloud_id);
    await tf.ok(['destroy', '-auto-approve', '-input=false', '-no-color'], [0], {
      env: { TF_VAR_rotate_trigger: 'second' },
    });
    expect(await state()).toEqual([]);
    for (const id of awsIds) {
      const d = await aws.send(new DescribeKeyCommand({ KeyId: id }));
      expect(d.KeyMetadata?.KeyState).toBe('PendingDeletion');
    }
    // The dev stack's fake AWS secret and PIN ('keyplane-dev', '1234') are also public names
    // and digits in the store, so only the seal passphrase and private key material are searched.
    const found = scanForSecrets(e2eArtifacts({ dir: tf.dir, plans, log, store }), [PASSPHRASE]);
    expect(found).toEqual([]);
  }, 240_000);
});
