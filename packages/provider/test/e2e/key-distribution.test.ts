/**
 * keyplane_key_distribution through real terraform and the provider executable: one RSA key
 * distributed to the AWS KMS, Azure Key Vault and GCP Cloud KMS emulators (in process) in one
 * config; the public key each cloud serves through its own SDK has the key's fingerprint; the
 * plan after apply is empty; rotate_trigger → apply → the new version in each cloud (recorded in
 * the distributions' state at the next refresh); an elapsed rotation_period → the plan shows the
 * key and every distribution updated → apply pushes it; a version disabled out of band in GCP
 * shows at refresh, the plan is an update and apply re-enables it; an incompatible purpose is
 * refused at plan on the purpose attribute; import by `kms/key` re-plans empty (purpose and
 * protection included); destroy; the secret scanner finds no private key material, passphrase
 * or AWS secret in state, plan JSON, TF_LOG or the store.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { KeyManagementServiceClient } from '@google-cloud/kms';
import type { KeyClient } from '@azure/keyvault-keys';
import {
  startAwsKmsEmulator,
  startAzureKeyVaultEmulator,
  startGcpKmsEmulator,
  type AwsKmsEmulator,
  type AzureKeyVaultEmulator,
  type GcpKmsEmulator,
} from '@keyplane/emulators';
import { keyClient } from '../../../emulators/test/support/azure-sdk';
import { kmsClient } from '../../../emulators/test/support/gcp-client';
import { CloudReader, type CloudVersions, type DistributionValues } from '../support/clouds';
import { e2eArtifacts, scanForSecrets } from '../support/secret-scan';
import {
  REQUIRED_PROVIDERS,
  TerraformWorkdir,
  describeWithTerraform,
  plannedActions,
  resourcesOf,
} from '../support/terraform';
import { azureConnectionHcl, gcpConnectionHcl } from '../support/connections-hcl';

const PASSPHRASE = 'distribution e2e passphrase 5d2a';
const AWS = { accessKeyId: 'AKIDDISTE2E', secretAccessKey: 'dist-e2e-secret-8f3c1a' };
const RING_PARENT = 'projects/kp-dist/locations/us-east1';
const RING = `${RING_PARENT}/keyRings/dist-ring`;

interface Settings {
  aws: string;
  azure: string;
  azureCa: string;
  gcp: number;
  trigger: string;
  period?: string | undefined;
  gcpPurpose?: string;
}

const config = (s: Settings) => `${REQUIRED_PROVIDERS}
provider "keyplane" {}

variable "aws_secret" {
  type      = string
  ephemeral = true
}

resource "keyplane_key" "sig" {
  name             = "release-sig"
  type             = "rsa-2048"
  deletion_allowed = true
  rotate_trigger   = "${s.trigger}"
${s.period === undefined ? '' : `  rotation_period  = "${s.period}"\n`}}

resource "keyplane_kms" "aws" {
  name                   = "aws-use1"
  type                   = "awskms"
  key_collection         = "us-east-1"
  endpoint               = "${s.aws}"
  credentials_wo         = { access_key = "${AWS.accessKeyId}", secret_key = var.aws_secret }
  credentials_wo_version = 1
}

${azureConnectionHcl(s.azure, s.azureCa)}
resource "keyplane_key_distribution" "azure" {
  key     = keyplane_key.sig.name
  kms     = keyplane_kms.azure.name
  purpose = ["sign", "verify"]
}

${gcpConnectionHcl('gcp-use1', RING, s.gcp)}
resource "keyplane_key_distribution" "aws" {
  key     = keyplane_key.sig.name
  kms     = keyplane_kms.aws.name
  purpose = ["sign", "verify"]
}

resource "keyplane_key_distribution" "gcp" {
  key        = keyplane_key.sig.name
  kms        = keyplane_kms.gcp.name
  purpose    = [${s.gcpPurpose ?? '"sign", "verify"'}]
  protection = "hsm"
}
`;

describeWithTerraform(
  'keyplane_key_distribution to AWS, Azure and GCP through real terraform',
  () => {
    let aws: AwsKmsEmulator;
    let gcp: GcpKmsEmulator;
    let gcpSdk: KeyManagementServiceClient;
    let azure: AzureKeyVaultEmulator;
    let azureSdk: KeyClient;
    let awsSdk: KMSClient;
    let clouds: CloudReader;
    let tf: TerraformWorkdir;
    let files: string;
    let store: string;
    let log: string;
    const plans: string[] = [];
    let settings: Settings;

    const resource = async (address: string) =>
      resourcesOf(await tf.state()).find((r) => r.address === address)?.values ?? {};
    const cloudVersions = async (address: string) =>
      (await resource(address)).versions as CloudVersions;
    const keyFingerprints = async () =>
      (await resource('keyplane_key.sig')).versions as Record<string, { fingerprint: string }>;

    /** Each cloud's own GetPublicKey, per Keyplane version, as SPKI fingerprints. */
    const servedFingerprints = async () =>
      await clouds.fingerprints({
        aws: (await resource('keyplane_key_distribution.aws')) as unknown as DistributionValues,
        azure: (await resource('keyplane_key_distribution.azure')) as unknown as DistributionValues,
        gcp: (await resource('keyplane_key_distribution.gcp')) as unknown as DistributionValues,
      });

    beforeAll(async () => {
      [aws, azure, gcp] = await Promise.all([
        startAwsKmsEmulator({ port: 0, region: 'us-east-1', credentials: [AWS] }),
        startAzureKeyVaultEmulator({ service: 'vault', port: 0 }),
        startGcpKmsEmulator({ port: 0 }),
      ]);
      azureSdk = keyClient(azure);
      awsSdk = new KMSClient({ endpoint: aws.url, region: 'us-east-1', credentials: AWS });
      gcpSdk = kmsClient(gcp.port);
      clouds = new CloudReader({ aws: awsSdk, azure: azureSdk, gcp: gcpSdk });
      await gcpSdk.createKeyRing({ parent: RING_PARENT, keyRingId: 'dist-ring' });
      files = mkdtempSync(join(tmpdir(), 'kp-tf-dist-'));
      store = join(files, 'keyplane.db');
      log = join(files, 'tf-debug.log');
      const azureCa = join(files, 'azure-ca.pem');
      writeFileSync(azureCa, azure.caPem);
      tf = new TerraformWorkdir({
        env: {
          KEYPLANE_STORE: store,
          KEYPLANE_SEAL_PASSPHRASE: PASSPHRASE,
          TF_VAR_aws_secret: AWS.secretAccessKey,
          AWS_EC2_METADATA_DISABLED: 'true',
          METADATA_SERVER_DETECTION: 'none',
          TF_LOG: 'debug',
          TF_LOG_PATH: log,
        },
      });
      settings = { aws: aws.url, azure: azure.url, azureCa, gcp: gcp.port, trigger: 'r1' };
      tf.write({ 'main.tf': config(settings) });
      await tf.init();
    }, 120_000);

    afterAll(async () => {
      tf.cleanup();
      rmSync(files, { recursive: true, force: true });
      awsSdk.destroy();
      await gcpSdk.close();
      await Promise.all([aws.close(), azure.close(), gcp.close()]);
    });

    it('distributes one key to three clouds; each serves the key fingerprint; re-plan empty', async () => {
      await tf.apply();
      const awsDist = await resource('keyplane_key_distribution.aws');
      expect(awsDist).toMatchObject({
        id: 'aws-use1/release-sig',
        purpose: ['sign', 'verify'],
        protection: 'hsm',
        kms_key_name: 'alias/release-sig',
      });
      expect((await resource('keyplane_key_distribution.gcp')).kms_key_name).toBe('release-sig');
      const fp = (await keyFingerprints())['1']?.fingerprint;
      expect(fp).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(await servedFingerprints()).toEqual({
        aws: { '1': fp },
        azure: { '1': fp },
        gcp: { '1': fp },
      });
      expect((await tf.planIsEmpty()).empty).toBe(true);
    }, 180_000);

    it('rotate_trigger: apply pushes the new version to each cloud; refresh records it', async () => {
      settings = { ...settings, trigger: 'r2' };
      tf.write({ 'main.tf': config(settings) });
      await tf.apply();
      // The key's rotation imports v2 into every distribution (engine rotate); the distributions
      // cannot see a pending rotate_trigger at plan, so their state catches up at the next refresh.
      expect((await tf.planIsEmpty()).empty).toBe(true);
      await tf.ok(['apply', '-refresh-only', '-auto-approve', '-input=false', '-no-color']);
      const fps = await keyFingerprints();
      const want = { '1': fps['1']?.fingerprint, '2': fps['2']?.fingerprint };
      expect(want['2']).not.toBe(want['1']);
      expect(await servedFingerprints()).toEqual({ aws: want, azure: want, gcp: want });
      expect((await tf.planIsEmpty()).empty).toBe(true);
    }, 180_000);

    it('an elapsed rotation_period: the plan shows every distribution updated; apply pushes v3', async () => {
      settings = { ...settings, period: '2s' };
      tf.write({ 'main.tf': config(settings) });
      await tf.apply('-target=keyplane_key.sig');
      await new Promise((r) => setTimeout(r, 2500));
      const { plan, text } = await tf.savedPlanJson({ keep: true });
      plans.push(text);
      const change = (a: string) => plan.resource_changes?.find((c) => c.address === a)?.change;
      expect(plannedActions(plan, 'keyplane_key.sig')).toEqual(['update']);
      for (const d of ['aws', 'azure', 'gcp'].map((c) => `keyplane_key_distribution.${c}`)) {
        expect(plannedActions(plan, d)).toEqual(['update']);
        expect(change(d)?.after_unknown?.versions).toBe(true);
      }
      await tf.ok(['apply', '-input=false', '-no-color', 'tfplan']);
      const served = await servedFingerprints();
      expect(Object.keys(served.aws ?? {}).sort()).toEqual(['1', '2', '3']);
      expect(served.azure?.['3']).toBe((await keyFingerprints())['3']?.fingerprint);
      expect(served.gcp?.['3']).toBe((await keyFingerprints())['3']?.fingerprint);
      settings = { ...settings, period: undefined };
      tf.write({ 'main.tf': config(settings) });
      await tf.apply();
      expect((await tf.planIsEmpty()).empty).toBe(true);
    }, 180_000);

    it('a version disabled in GCP out of band shows at refresh; apply re-enables it', async () => {
      const v1 = (await cloudVersions('keyplane_key_distribution.gcp'))['1'];
      if (!v1) throw new Error('the GCP distribution has no version 1 in state');
      await gcpSdk.updateCryptoKeyVersion({
        cryptoKeyVersion: { name: v1.cloud_id, state: 'DISABLED' },
        updateMask: { paths: ['state'] },
      });
      const plan = await tf.planIsEmpty();
      expect(plan.empty).toBe(false);
      expect(plan.output).toMatch(/keyplane_key_distribution\.gcp will be updated in-place/);
      expect(plan.output).not.toMatch(/keyplane_key_distribution\.aws will be/);
      await tf.apply();
      const [after] = await gcpSdk.getCryptoKeyVersion({ name: v1.cloud_id });
      expect(String(after.state)).toBe('ENABLED');
      expect((await cloudVersions('keyplane_key_distribution.gcp'))['1']?.state).toBe('enabled');
      expect((await tf.planIsEmpty()).empty).toBe(true);
    }, 180_000);

    it('an incompatible purpose is refused at plan on the purpose attribute', async () => {
      tf.write({ 'main.tf': config({ ...settings, gcpPurpose: '"wrap"' }) });
      const r = await tf.run(['plan', '-input=false', '-no-color']);
      tf.write({ 'main.tf': config(settings) });
      expect(r.code).toBe(1);
      const text = r.stderr.replace(/\s+/g, ' ');
      expect(text).toContain('Error: Incompatible distribution');
      expect(text).toContain('with keyplane_key_distribution.gcp');
      // The diagnostic's attribute path: Terraform quotes the purpose line of the config.
      expect(text).toMatch(/\d+: purpose = \["wrap"\]/);
      expect(text).toContain(
        "purpose 'wrap' is not supported for rsa-2048 on gcpckms; allowed: encrypt, decrypt, sign, verify [ERR_UNSUPPORTED_PURPOSE]",
      );
    }, 120_000);

    it('imports by kms/key and re-plans with no change, purpose and protection included', async () => {
      const ids = { aws: 'aws-use1', azure: 'azure-kv', gcp: 'gcp-use1' };
      const addresses = Object.keys(ids).map((c) => `keyplane_key_distribution.${c}`);
      await tf.ok(['state', 'rm', ...addresses]);
      for (const [cloud, kms] of Object.entries(ids))
        await tf.importResource(`keyplane_key_distribution.${cloud}`, `${kms}/release-sig`);
      expect(await resource('keyplane_key_distribution.gcp')).toMatchObject({
        purpose: ['sign', 'verify'],
        protection: 'hsm',
      });
      expect((await tf.planIsEmpty()).empty).toBe(true);
      const bad = await tf.run([
        'import',
        '-input=false',
        '-no-color',
        'keyplane_key_distribution.aws',
        'nokey',
      ]);
      expect(bad.stderr).toContain('expected KMS/KEY');
    }, 120_000);

    it('destroys; no private key material, passphrase or AWS secret anywhere', async () => {
      const awsIds = Object.values(await cloudVersions('keyplane_key_distribution.aws'));
      await tf.destroy();
      expect(resourcesOf(await tf.state())).toEqual([]);
      for (const v of awsIds) {
        const r = await awsSdk.send(new GetPublicKeyCommand({ KeyId: v.cloud_id })).then(
          () => 'served',
          (e: unknown) => (e as Error).name,
        );
        expect(r).not.toBe('served');
      }
      const found = scanForSecrets(e2eArtifacts({ dir: tf.dir, plans: plans, log, store }), [
        PASSPHRASE,
        AWS.secretAccessKey,
      ]);
      expect(found).toEqual([]);
    }, 120_000);
  },
);
