/**
 * The optional state file: everything survives a restart (keys keep their material), and the
 * file is written atomically with mode 0600 because it holds private keys.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGcpKmsEmulator } from '../src/gcp-kms';
import { installLoopbackGuard, kmsClient } from './support/gcp-client';
import { LOCATION } from './support/gcp-fixtures';

test('state survives a restart; the file is 0600', async () => {
  const guard = installLoopbackGuard();
  const dir = mkdtempSync(join(tmpdir(), 'keyplane-gcp-state-'));
  const stateFile = join(dir, 'nested', 'gcp-kms.json');
  try {
    const first = await startGcpKmsEmulator({ stateFile });
    let kms = kmsClient(first.port);
    const [ring] = await kms.createKeyRing({ parent: LOCATION, keyRingId: 'persisted' });
    const [key] = await kms.createCryptoKey({
      parent: ring.name!,
      cryptoKeyId: 'sign',
      cryptoKey: {
        purpose: 'ASYMMETRIC_SIGN',
        versionTemplate: { algorithm: 'EC_SIGN_P256_SHA256' },
      },
    });
    const version = `${key.name ?? ''}/cryptoKeyVersions/1`;
    const [before] = await kms.getPublicKey({ name: version });
    await kms.importCryptoKeyVersion({}).catch(() => undefined); // a failed call writes nothing
    await kms.close();
    await first.close();
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);

    const second = await startGcpKmsEmulator({ stateFile });
    kms = kmsClient(second.port);
    const [after] = await kms.getPublicKey({ name: version });
    expect(after.pem).toBe(before.pem);
    const [rings] = await kms.listKeyRings({ parent: LOCATION });
    expect(rings.map((r) => r.name)).toEqual([ring.name]);
    await kms.close();
    await second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    guard.restore();
  }
  expect(guard.violations).toEqual([]);
});
