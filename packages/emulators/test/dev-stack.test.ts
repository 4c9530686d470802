/**
 * The `keyplane dev` stack (startDevStack) with the real SDKs: the walkthrough key ring exists
 * from the start and survives a restart on the same state dir (no ALREADY_EXISTS at start), a
 * GCP import is PENDING_IMPORT by default and settles at once with `gcpImportSettleMs: 0`, and
 * `azureConsistencyDelayMs` makes a fresh deletion invisible for a moment.
 */
import { KeyClient } from '@azure/keyvault-keys';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_GCP_KEY_RING, startDevStack, type DevStack } from '../src/dev-stack';
import { fakeCredential, NO_RETRY } from './support/azure-sdk';
import { kmsClient } from './support/gcp-client';
import {
  createImportJob,
  createImportOnlyKey,
  opensslTargetKey,
  TARGETS,
  wrapFor,
} from './support/gcp-fixtures';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kp-dev-stack-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Imports a fresh P-256 key into the dev key ring; the version as ImportCryptoKeyVersion answers. */
async function importState(stack: DevStack, id: string): Promise<string> {
  const kms = kmsClient(stack.info.ports.gcp);
  try {
    const method = 'RSA_OAEP_3072_SHA256_AES_256';
    const job = await createImportJob(kms, DEV_GCP_KEY_RING, method, 'SOFTWARE', `job-${id}`);
    const key = await createImportOnlyKey(
      kms,
      DEV_GCP_KEY_RING,
      id,
      'ASYMMETRIC_SIGN',
      'EC_SIGN_P256_SHA256',
    );
    const target = opensslTargetKey(TARGETS.p256);
    const [version] = await kms.importCryptoKeyVersion({
      parent: key,
      algorithm: 'EC_SIGN_P256_SHA256',
      importJob: job.name,
      wrappedKey: wrapFor(target.pkcs8, job, method),
    });
    return String(version.state);
  } finally {
    await kms.close();
  }
}

it('pre-creates the key ring, keeps it across restarts, imports settle after a delay by default', async () => {
  const stateDir = join(dir, 'default');
  const first = await startDevStack({ stateDir });
  try {
    expect(first.info.gcp.keyRing).toBe(DEV_GCP_KEY_RING);
    expect(first.env.KEYPLANE_GCP_KEY_RING).toBe(DEV_GCP_KEY_RING);
    expect(first.env.KEYPLANE_GCP_CONTROL_URL).toBe(first.info.gcp.controlUrl);
    expect(await importState(first, 'pending')).toBe('PENDING_IMPORT');
  } finally {
    await first.close();
  }
  const second = await startDevStack({ stateDir, ports: first.info.ports });
  try {
    expect(second.info.ports).toEqual(first.info.ports);
    const kms = kmsClient(second.info.ports.gcp);
    const [rings] = await kms.listKeyRings({ parent: 'projects/keyplane-dev/locations/global' });
    expect(rings.map((r) => r.name)).toEqual([DEV_GCP_KEY_RING]);
    await kms.close();
  } finally {
    await second.close();
  }
});

it('gcpImportSettleMs 0 settles at once; azureConsistencyDelayMs hides a fresh deletion', async () => {
  const stack = await startDevStack({
    stateDir: join(dir, 'switches'),
    gcpImportSettleMs: 0,
    azureConsistencyDelayMs: 500,
  });
  try {
    expect(await importState(stack, 'settled')).toBe('ENABLED');
    const azure = new KeyClient(stack.info.azure.vaultUrl, fakeCredential, {
      tlsOptions: { ca: readFileSync(stack.info.azure.caFile, 'utf8') },
      disableChallengeResourceVerification: true,
      retryOptions: NO_RETRY,
    });
    await azure.createEcKey('gone');
    const poller = await azure.beginDeleteKey('gone');
    await expect(azure.getDeletedKey('gone')).rejects.toMatchObject({ statusCode: 404 });
    await poller.pollUntilDone();
    expect((await azure.getDeletedKey('gone')).name).toBe('gone');
  } finally {
    await stack.close();
  }
});
