/**
 * keyplane_key with `origin` = a pkcs11 keyplane_kms id, through real terraform and the provider
 * executable: the key is generated inside a SoftHSM2 token (pkcs11-tool finds the object, its
 * public key's openssl fingerprint is the one in state), distributed to the GCP emulator (whose
 * own SDK serves the same public key), re-plan empty; changing origin plans a replacement;
 * a malformed origin is refused at plan on the origin attribute; destroy; the secret scanner finds
 * neither PIN nor passphrase in state, plan JSON, TF_LOG or the store.
 */
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyManagementServiceClient } from '@google-cloud/kms';
import {
  createSoftHsmToken,
  startGcpKmsEmulator,
  type GcpKmsEmulator,
  type SoftHsmToken,
} from '@keyplane/emulators';
import { kmsClient } from '../../../emulators/test/support/gcp-client';
import { pkcs11Tool, pkcs11ToolBytes } from '../../../emulators/test/support/pkcs11-tool';
import { spkiFingerprint } from '../../../../examples/multi-cloud-byok/src/read-back';
import { e2eArtifacts, scanForSecrets } from '../support/secret-scan';
import {
  REQUIRED_PROVIDERS,
  TerraformWorkdir,
  describeWithTerraform,
  plannedActions,
  resourcesOf,
  type SavedPlan,
} from '../support/terraform';
import { gcpConnectionHcl, pkcs11ConnectionHcl } from '../support/connections-hcl';

const PIN = '46193578';
const PASSPHRASE = 'hsm-origin e2e passphrase 7c2e';
const RING_PARENT = 'projects/kp-hsm/locations/us-east1';
const RING = `${RING_PARENT}/keyRings/hsm-ring`;

const config = (token: SoftHsmToken, gcpPort: number, origin: string) => `${REQUIRED_PROVIDERS}
provider "keyplane" {}

${pkcs11ConnectionHcl(token)}${gcpConnectionHcl('gcp', RING, gcpPort)}
resource "keyplane_key" "born" {
  name             = "hsm-born"
  type             = "ecdsa-p256"
  origin           = ${origin}
  deletion_allowed = true
}

resource "keyplane_key_distribution" "gcp" {
  key     = keyplane_key.born.name
  kms     = keyplane_kms.gcp.name
  purpose = ["sign", "verify"]
}
`;

/** sha256:<hex> of the SPKI DER, computed by openssl (independent of the engine). */
const opensslFingerprint = (input: Buffer | string, inform: 'PEM' | 'DER'): string =>
  `sha256:${createHash('sha256')
    .update(
      execFileSync('openssl', ['pkey', '-pubin', '-inform', inform, '-outform', 'DER'], { input }),
    )
    .digest('hex')}`;

describeWithTerraform('keyplane_key origin = a pkcs11 keyplane_kms through real terraform', () => {
  let token: SoftHsmToken;
  let gcp: GcpKmsEmulator;
  let gcpSdk: KeyManagementServiceClient;
  let tf: TerraformWorkdir;
  let files: string;
  let store: string;
  let log: string;
  const plans: string[] = [];

  const resource = async (address: string) =>
    resourcesOf(await tf.state()).find((r) => r.address === address)?.values ?? {};

  /** The token's public key objects, read by pkcs11-tool (OpenSC), as DER. */
  const tokenPublicKey = (idHex: string): Buffer =>
    pkcs11ToolBytes(token, ['--read-object', '--type', 'pubkey', '--id', idHex]);

  beforeAll(async () => {
    [token, gcp] = await Promise.all([
      createSoftHsmToken({ label: 'kp-tf-origin', pin: PIN, soPin: '97531864' }),
      startGcpKmsEmulator({ port: 0 }),
    ]);
    gcpSdk = kmsClient(gcp.port);
    await gcpSdk.createKeyRing({ parent: RING_PARENT, keyRingId: 'hsm-ring' });
    files = mkdtempSync(join(tmpdir(), 'kp-tf-origin-'));
    store = join(files, 'keyplane.db');
    log = join(files, 'tf-debug.log');
    tf = new TerraformWorkdir({
      env: {
        ...token.env,
        TF_VAR_pin: PIN,
        KEYPLANE_STORE: store,
        KEYPLANE_SEAL_PASSPHRASE: PASSPHRASE,
        METADATA_SERVER_DETECTION: 'none',
        TF_LOG: 'debug',
        TF_LOG_PATH: log,
      },
    });
    tf.write({ 'main.tf': config(token, gcp.port, 'keyplane_kms.hsm.id') });
    await tf.init();
  }, 120_000);

  afterAll(async () => {
    tf.cleanup();
    rmSync(files, { recursive: true, force: true });
    await gcpSdk.close();
    await Promise.all([gcp.close(), token.dispose()]);
  });

  async function savedPlan(): Promise<SavedPlan> {
    const { plan, text } = await tf.savedPlanJson();
    plans.push(text);
    return plan;
  }

  it('generates the key in the token; the token, state and GCP hold the same public key', async () => {
    await tf.apply();
    const key = await resource('keyplane_key.born');
    expect(key).toMatchObject({ origin: 'hsm', latest_version: 1 });
    const v1 = (key.versions as Record<string, { public_key_pem: string; fingerprint: string }>)[
      '1'
    ];
    expect(v1?.fingerprint).toBe(opensslFingerprint(v1?.public_key_pem ?? '', 'PEM'));

    const list = pkcs11Tool(token, ['--list-objects', '--type', 'privkey']);
    const id = /ID:\s+([0-9a-f]+)/.exec(list)?.[1] ?? '';
    expect(Buffer.from(id, 'hex').toString('utf8')).toMatch(/^keyplane:[0-9a-f-]+:v1$/);
    expect(opensslFingerprint(tokenPublicKey(id), 'DER')).toBe(v1?.fingerprint);

    const dist = await resource('keyplane_key_distribution.gcp');
    const held = (dist.versions as Record<string, { cloud_id: string }>)['1'];
    const [served] = await gcpSdk.getPublicKey({ name: held?.cloud_id ?? '' });
    expect(opensslFingerprint(String(served.pem), 'PEM')).toBe(v1?.fingerprint);
    expect(
      spkiFingerprint(createPublicKey({ key: tokenPublicKey(id), format: 'der', type: 'spki' })),
    ).toBe(v1?.fingerprint);
    expect((await tf.planIsEmpty()).empty).toBe(true);
    await savedPlan();
  }, 180_000);

  it('plans a replacement when origin changes; refuses a malformed origin at plan', async () => {
    tf.write({ 'main.tf': config(token, gcp.port, '"software"') });
    const actions = plannedActions(await savedPlan(), 'keyplane_key.born');
    expect([...(actions ?? [])].sort()).toEqual(['create', 'delete']);

    tf.write({ 'main.tf': config(token, gcp.port, '"hsm:not a name"') });
    const bad = await tf.run(['plan', '-input=false', '-no-color']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/origin must be `software` or a pkcs11 `keyplane_kms` id/);
    tf.write({ 'main.tf': config(token, gcp.port, 'keyplane_kms.hsm.id') });
  }, 120_000);

  it('destroys; no PIN or passphrase in state, plans, TF_LOG or the store', async () => {
    await tf.destroy();
    expect(resourcesOf(await tf.state())).toEqual([]);
    const found = scanForSecrets(e2eArtifacts({ dir: tf.dir, plans, log, store }), [
      PASSPHRASE,
      PIN,
    ]);
    expect(found).toEqual([]);
  }, 120_000);
});
