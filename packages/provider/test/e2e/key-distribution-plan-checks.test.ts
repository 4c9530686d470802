/**
 * keyplane_key_distribution targets the engine would refuse at apply are refused by
 * `terraform plan` (real terraform, the provider executable), on the attribute that is wrong and
 * with the allowed values — once the key and the connection exist: an EC key into an Azure Key
 * Vault (RSA only; Managed HSM takes EC), an Ed25519 key into a PKCS#11 token, an HSM-origin key
 * into a PKCS#11 connection, and one into GCP at software protection. Nothing is created in the
 * clouds or the token. A key created in the same apply is not known at plan: the plan goes
 * through, and apply — which plans the distribution again once the key exists — refuses it
 * before anything changes in the cloud.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyManagementServiceClient } from '@google-cloud/kms';
import type { KeyClient } from '@azure/keyvault-keys';
import {
  createSoftHsmToken,
  startAzureKeyVaultEmulator,
  startGcpKmsEmulator,
  type AzureKeyVaultEmulator,
  type GcpKmsEmulator,
  type SoftHsmToken,
} from '@keyplane/emulators';
import { keyClient } from '../../../emulators/test/support/azure-sdk';
import { kmsClient } from '../../../emulators/test/support/gcp-client';
import { pkcs11Tool } from '../../../emulators/test/support/pkcs11-tool';
import {
  REQUIRED_PROVIDERS,
  TerraformWorkdir,
  describeWithTerraform,
  plannedActions,
  resourcesOf,
} from '../support/terraform';
import {
  azureConnectionHcl,
  gcpConnectionHcl,
  pkcs11ConnectionHcl,
} from '../support/connections-hcl';

const PIN = '51827364';
const RING_PARENT = 'projects/kp-plan/locations/us-east1';
const RING = `${RING_PARENT}/keyRings/plan-ring`;

interface Endpoints {
  readonly token: SoftHsmToken;
  readonly azure: string;
  readonly azureCa: string;
  readonly gcp: number;
}

/** The connections and keys that exist before the distributions are planned. */
const base = (e: Endpoints) => `${REQUIRED_PROVIDERS}
provider "keyplane" {}

${pkcs11ConnectionHcl(e.token)}
${azureConnectionHcl(e.azure, e.azureCa)}
${gcpConnectionHcl('gcp', RING, e.gcp)}
resource "keyplane_key" "ec" {
  name             = "ec-sig"
  type             = "ecdsa-p256"
  deletion_allowed = true
}

resource "keyplane_key" "ed" {
  name             = "ed-sig"
  type             = "ed25519"
  deletion_allowed = true
}

resource "keyplane_key" "born" {
  name             = "hsm-born"
  type             = "rsa-2048"
  origin           = keyplane_kms.hsm.id
  deletion_allowed = true
}
`;

/** Four distributions the engine refuses, each for a different rule. */
const REFUSED = `
resource "keyplane_key_distribution" "ec_azure" {
  key     = keyplane_key.ec.name
  kms     = keyplane_kms.azure.name
  purpose = ["sign", "verify"]
}

resource "keyplane_key_distribution" "ed_hsm" {
  key     = keyplane_key.ed.name
  kms     = keyplane_kms.hsm.name
  purpose = ["sign", "verify"]
}

resource "keyplane_key_distribution" "born_hsm" {
  key     = keyplane_key.born.name
  kms     = keyplane_kms.hsm.name
  purpose = ["sign", "verify"]
}

resource "keyplane_key_distribution" "born_gcp" {
  key        = keyplane_key.born.name
  kms        = keyplane_kms.gcp.name
  purpose    = ["sign", "verify"]
  protection = "software"
}
`;

/** A key this apply creates, distributed where the engine refuses it. */
const NEW_KEY_REFUSED = `
resource "keyplane_key" "ec_new" {
  name             = "ec-new"
  type             = "ecdsa-p384"
  deletion_allowed = true
}

resource "keyplane_key_distribution" "ec_new_azure" {
  key     = keyplane_key.ec_new.name
  kms     = keyplane_kms.azure.name
  purpose = ["sign", "verify"]
}
`;

/** Terraform's error blocks (`Error: …` up to the next one), whitespace collapsed. */
const errorBlocks = (stderr: string): string[] =>
  stderr
    .split(/^(?:[│╷╵ ]*)Error: /m)
    .slice(1)
    .map((b) => b.replace(/[│╷╵]/g, ' ').replace(/\s+/g, ' '));

const blockOf = (blocks: readonly string[], address: string): string =>
  blocks.find((b) => b.includes(`with ${address},`)) ?? `(no error for ${address})`;

describeWithTerraform('keyplane_key_distribution: plan refuses what apply would refuse', () => {
  let token: SoftHsmToken;
  let azure: AzureKeyVaultEmulator;
  let azureSdk: KeyClient;
  let gcp: GcpKmsEmulator;
  let gcpSdk: KeyManagementServiceClient;
  let tf: TerraformWorkdir;
  let files: string;
  let endpoints: Endpoints;

  /** What exists outside Terraform: Azure vault keys, crypto keys in the ring, token objects. */
  async function outside(): Promise<{ azure: string[]; gcp: string[]; token: number }> {
    const names: string[] = [];
    for await (const k of azureSdk.listPropertiesOfKeys()) names.push(k.name);
    const [cryptoKeys] = await gcpSdk.listCryptoKeys({ parent: RING });
    const objects = pkcs11Tool(token, ['--list-objects']);
    return {
      azure: names.sort(),
      gcp: cryptoKeys.map((k) => String(k.name)).sort(),
      token: (objects.match(/Object;/g) ?? []).length,
    };
  }

  const addresses = async () => resourcesOf(await tf.state()).map((r) => r.address);

  beforeAll(async () => {
    [token, azure, gcp] = await Promise.all([
      createSoftHsmToken({ label: 'kp-tf-plan', pin: PIN, soPin: '64738291' }),
      startAzureKeyVaultEmulator({ service: 'vault', port: 0 }),
      startGcpKmsEmulator({ port: 0 }),
    ]);
    azureSdk = keyClient(azure);
    gcpSdk = kmsClient(gcp.port);
    await gcpSdk.createKeyRing({ parent: RING_PARENT, keyRingId: 'plan-ring' });
    files = mkdtempSync(join(tmpdir(), 'kp-tf-plan-'));
    const azureCa = join(files, 'azure-ca.pem');
    writeFileSync(azureCa, azure.caPem);
    endpoints = { token, azure: azure.url, azureCa, gcp: gcp.port };
    tf = new TerraformWorkdir({
      env: {
        ...token.env,
        TF_VAR_pin: PIN,
        KEYPLANE_STORE: join(files, 'keyplane.db'),
        KEYPLANE_SEAL_PASSPHRASE: 'plan-checks e2e passphrase 3b9d',
        METADATA_SERVER_DETECTION: 'none',
      },
    });
    tf.write({ 'main.tf': base(endpoints) });
    await tf.init();
    await tf.apply();
  }, 180_000);

  afterAll(async () => {
    tf.cleanup();
    rmSync(files, { recursive: true, force: true });
    await gcpSdk.close();
    await Promise.all([azure.close(), gcp.close(), token.dispose()]);
  });

  it('terraform plan fails for each refused target, on its attribute, with the allowed values; nothing is created', async () => {
    const before = await outside();
    const stateBefore = await addresses();
    tf.write({ 'main.tf': base(endpoints) + REFUSED });
    const r = await tf.run(['plan', '-input=false', '-no-color']);
    expect(r.code).toBe(1);
    const blocks = errorBlocks(r.stderr);
    expect(blocks).toHaveLength(4);

    // Each diagnostic's attribute path: Terraform quotes that line of the resource block.
    const ecAzure = blockOf(blocks, 'keyplane_key_distribution.ec_azure');
    expect(ecAzure).toMatch(/^Incompatible distribution /);
    expect(ecAzure).toMatch(/\d+: key = keyplane_key\.ec\.name/);
    expect(ecAzure).toContain(
      "type 'ecdsa-p256' is not supported by azurekeyvault (vault); allowed: rsa-2048, rsa-3072, rsa-4096 (Azure managed-hsm accepts it) [ERR_UNSUPPORTED_KEY_TYPE]",
    );

    const edHsm = blockOf(blocks, 'keyplane_key_distribution.ed_hsm');
    expect(edHsm).toMatch(/\d+: key = keyplane_key\.ed\.name/);
    expect(edHsm).toContain(
      "type 'ed25519' is not supported by pkcs11; allowed: aes256-gcm96, rsa-2048, rsa-3072, rsa-4096, ecdsa-p256, ecdsa-p384, ecdsa-p521 [ERR_UNSUPPORTED_KEY_TYPE]",
    );

    const bornHsm = blockOf(blocks, 'keyplane_key_distribution.born_hsm');
    expect(bornHsm).toMatch(/\d+: kms = keyplane_kms\.hsm\.name/);
    expect(bornHsm).toContain(
      "provider 'pkcs11' is not supported for HSM-origin keys (hsm:hsm); allowed: awskms, azurekeyvault, gcpckms [ERR_UNSUPPORTED_TARGET]",
    );

    const bornGcp = blockOf(blocks, 'keyplane_key_distribution.born_gcp');
    expect(bornGcp).toMatch(/\d+: protection = "software"/);
    expect(bornGcp).toContain(
      "protection 'software' is not supported for HSM-origin keys (hsm:hsm); allowed: hsm [ERR_UNSUPPORTED_PROTECTION]",
    );

    expect(await addresses()).toEqual(stateBefore);
    expect(await outside()).toEqual(before);
    tf.write({ 'main.tf': base(endpoints) });
  }, 180_000);

  it('a key this apply creates is checked at apply: refused on its attribute before the cloud sees it', async () => {
    tf.write({ 'main.tf': base(endpoints) + NEW_KEY_REFUSED });
    const { plan } = await tf.savedPlanJson();
    expect(plannedActions(plan, 'keyplane_key.ec_new')).toEqual(['create']);
    expect(plannedActions(plan, 'keyplane_key_distribution.ec_new_azure')).toEqual(['create']);

    const r = await tf.run(['apply', '-auto-approve', '-input=false', '-no-color']);
    expect(r.code).toBe(1);
    const block = blockOf(errorBlocks(r.stderr), 'keyplane_key_distribution.ec_new_azure');
    // Terraform plans the distribution again during apply, once the key exists: the same check
    // refuses it there, before create.
    expect(block).toMatch(/^Incompatible distribution /);
    expect(block).toMatch(/\d+: key = keyplane_key\.ec_new\.name/);
    expect(block).toContain(
      "type 'ecdsa-p384' is not supported by azurekeyvault (vault); allowed: rsa-2048, rsa-3072, rsa-4096 (Azure managed-hsm accepts it) [ERR_UNSUPPORTED_KEY_TYPE]",
    );
    expect(await addresses()).toContain('keyplane_key.ec_new');
    expect(await addresses()).not.toContain('keyplane_key_distribution.ec_new_azure');
    expect((await outside()).azure).toEqual([]);

    // The next plan, the key known, refuses it at plan.
    const again = await tf.run(['plan', '-input=false', '-no-color']);
    expect(again.code).toBe(1);
    expect(blockOf(errorBlocks(again.stderr), 'keyplane_key_distribution.ec_new_azure')).toMatch(
      /^Incompatible distribution .*allowed: rsa-2048, rsa-3072, rsa-4096/,
    );
    tf.write({ 'main.tf': base(endpoints) });
    await tf.destroy();
    expect(resourcesOf(await tf.state())).toEqual([]);
  }, 240_000);
});
