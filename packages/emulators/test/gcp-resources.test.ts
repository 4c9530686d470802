/**
 * Key rings, crypto keys and versions through the real client: create/get/list/update, state
 * changes, destroy/restore, primary version, page tokens and the status codes of refusals.
 */
import { grpcCode } from './support/gcp-client';
import { LOCATION, newKeyRing, useGcpEmulator } from './support/gcp-fixtures';

const h = useGcpEmulator();
let ring = '';
let counter = 0;
const id = (): string => `key-${++counter}`;

beforeAll(async () => {
  ring = await newKeyRing(h.kms);
});

describe('key rings', () => {
  test('create, get, list with page tokens', async () => {
    const [a] = await h.kms.createKeyRing({ parent: LOCATION, keyRingId: 'paged-a' });
    await h.kms.createKeyRing({ parent: LOCATION, keyRingId: 'paged-b' });
    expect(a.name).toBe(`${LOCATION}/keyRings/paged-a`);
    expect(Number(a.createTime?.seconds)).toBeGreaterThan(0);
    const [got] = await h.kms.getKeyRing({ name: a.name! });
    expect(got.name).toBe(a.name);

    const [first, , firstResponse] = await h.kms.listKeyRings(
      { parent: LOCATION, pageSize: 1 },
      { autoPaginate: false },
    );
    expect(first).toHaveLength(1);
    expect(firstResponse.totalSize).toBeGreaterThanOrEqual(3);
    expect(firstResponse.nextPageToken).not.toBe('');
    const [second] = await h.kms.listKeyRings(
      { parent: LOCATION, pageSize: 1, pageToken: firstResponse.nextPageToken ?? '' },
      { autoPaginate: false },
    );
    expect(second[0]?.name).not.toBe(first[0]?.name);

    const [all] = await h.kms.listKeyRings({ parent: LOCATION });
    expect(all.map((r) => r.name)).toEqual(expect.arrayContaining([a.name, ring]));
  });

  test('refusals: duplicate, bad id, missing, bad page token', async () => {
    expect(await grpcCode(h.kms.createKeyRing({ parent: LOCATION, keyRingId: 'paged-a' }))).toBe(6);
    expect(await grpcCode(h.kms.createKeyRing({ parent: LOCATION, keyRingId: 'no/slash' }))).toBe(
      3,
    );
    expect(await grpcCode(h.kms.createKeyRing({ parent: 'projects/p', keyRingId: 'x' }))).toBe(3);
    expect(await grpcCode(h.kms.getKeyRing({ name: `${LOCATION}/keyRings/missing` }))).toBe(5);
    expect(
      await grpcCode(
        h.kms.listKeyRings({ parent: LOCATION, pageToken: 'garbage' }, { autoPaginate: false }),
      ),
    ).toBe(3);
  });
});

describe('crypto keys', () => {
  test('every supported purpose; ENCRYPT_DECRYPT gets a primary', async () => {
    const [sym] = await h.kms.createCryptoKey({
      parent: ring,
      cryptoKeyId: id(),
      cryptoKey: { purpose: 'ENCRYPT_DECRYPT', labels: { team: 'keyplane' } },
    });
    expect(sym.primary?.name).toBe(`${sym.name ?? ''}/cryptoKeyVersions/1`);
    expect(sym.primary?.state).toBe('ENABLED');
    expect(sym.versionTemplate?.algorithm).toBe('GOOGLE_SYMMETRIC_ENCRYPTION');
    expect(sym.labels).toEqual({ team: 'keyplane' });
    const purposes = [
      ['ASYMMETRIC_SIGN', 'EC_SIGN_P256_SHA256'],
      ['ASYMMETRIC_DECRYPT', 'RSA_DECRYPT_OAEP_2048_SHA256'],
      ['MAC', 'HMAC_SHA256'],
    ] as const;
    for (const [purpose, algorithm] of purposes) {
      const [key] = await h.kms.createCryptoKey({
        parent: ring,
        cryptoKeyId: id(),
        cryptoKey: { purpose, versionTemplate: { algorithm, protectionLevel: 'HSM' } },
      });
      expect(key.purpose).toBe(purpose);
      expect(key.primary).toBeNull();
      expect(key.versionTemplate).toEqual({ algorithm, protectionLevel: 'HSM' });
      const [versions] = await h.kms.listCryptoKeyVersions({ parent: key.name! });
      expect(versions.map((v) => v.state)).toEqual(['ENABLED']);
    }
  });

  test('refusals: duplicate, algorithm/purpose mismatch, import_only without skip', async () => {
    const cryptoKeyId = id();
    const sign = {
      purpose: 'ASYMMETRIC_SIGN' as const,
      versionTemplate: { algorithm: 'EC_SIGN_P256_SHA256' as const },
    };
    await h.kms.createCryptoKey({ parent: ring, cryptoKeyId, cryptoKey: sign });
    expect(
      await grpcCode(h.kms.createCryptoKey({ parent: ring, cryptoKeyId, cryptoKey: sign })),
    ).toBe(6);
    const mismatch = {
      purpose: 'ENCRYPT_DECRYPT' as const,
      versionTemplate: { algorithm: 'EC_SIGN_P256_SHA256' as const },
    };
    expect(
      await grpcCode(
        h.kms.createCryptoKey({ parent: ring, cryptoKeyId: id(), cryptoKey: mismatch }),
      ),
    ).toBe(3);
    expect(
      await grpcCode(
        h.kms.createCryptoKey({
          parent: ring,
          cryptoKeyId: id(),
          cryptoKey: { purpose: 'ASYMMETRIC_SIGN' },
        }),
      ),
    ).toBe(3);
    expect(
      await grpcCode(
        h.kms.createCryptoKey({
          parent: ring,
          cryptoKeyId: id(),
          cryptoKey: { ...sign, importOnly: true },
        }),
      ),
    ).toBe(3);
    expect(
      await grpcCode(
        h.kms.createCryptoKey({ parent: `${ring}x`, cryptoKeyId: id(), cryptoKey: sign }),
      ),
    ).toBe(5);
    expect(await grpcCode(h.kms.getCryptoKey({ name: `${ring}/cryptoKeys/missing` }))).toBe(5);
  });

  test('get, list with paging, update labels', async () => {
    const [key] = await h.kms.createCryptoKey({
      parent: ring,
      cryptoKeyId: id(),
      cryptoKey: {
        purpose: 'MAC',
        versionTemplate: { algorithm: 'HMAC_SHA256' },
        labels: { a: '1' },
      },
      skipInitialVersionCreation: true,
    });
    const [got] = await h.kms.getCryptoKey({ name: key.name! });
    expect(got.name).toBe(key.name);
    const [updated] = await h.kms.updateCryptoKey({
      cryptoKey: { name: key.name!, labels: { a: '2', env: 'dev' } },
      updateMask: { paths: ['labels'] },
    });
    expect(updated.labels).toEqual({ a: '2', env: 'dev' });
    expect(
      await grpcCode(
        h.kms.updateCryptoKey({
          cryptoKey: { name: key.name! },
          updateMask: { paths: ['purpose'] },
        }),
      ),
    ).toBe(3);

    const [page, , response] = await h.kms.listCryptoKeys(
      { parent: ring, pageSize: 2 },
      { autoPaginate: false },
    );
    expect(page).toHaveLength(2);
    expect(response.nextPageToken).not.toBe('');
    const [all] = await h.kms.listCryptoKeys({ parent: ring });
    expect(all.map((k) => k.name)).toContain(key.name);
    const [filtered] = await h.kms.listCryptoKeys({ parent: ring, filter: 'labels.env=dev' });
    expect(filtered.map((k) => k.name)).toEqual([key.name]);
  });
});

describe('crypto key versions', () => {
  test('create, update state, destroy, restore, list with state', async () => {
    const [key] = await h.kms.createCryptoKey({
      parent: ring,
      cryptoKeyId: id(),
      cryptoKey: { purpose: 'ASYMMETRIC_SIGN', versionTemplate: { algorithm: 'EC_SIGN_ED25519' } },
    });
    const [v2] = await h.kms.createCryptoKeyVersion({ parent: key.name!, cryptoKeyVersion: {} });
    expect(v2.name).toBe(`${key.name ?? ''}/cryptoKeyVersions/2`);
    expect(v2.state).toBe('ENABLED');
    expect(v2.algorithm).toBe('EC_SIGN_ED25519');

    const [disabled] = await h.kms.updateCryptoKeyVersion({
      cryptoKeyVersion: { name: v2.name!, state: 'DISABLED' },
      updateMask: { paths: ['state'] },
    });
    expect(disabled.state).toBe('DISABLED');
    const [got] = await h.kms.getCryptoKeyVersion({ name: v2.name! });
    expect(got.state).toBe('DISABLED');

    const [scheduled] = await h.kms.destroyCryptoKeyVersion({ name: v2.name! });
    expect(scheduled.state).toBe('DESTROY_SCHEDULED');
    const destroyIn = Number(scheduled.destroyTime?.seconds) * 1000 - h.clock.now;
    expect(Math.abs(destroyIn - 30 * 24 * 3600_000)).toBeLessThan(2000);
    expect(await grpcCode(h.kms.destroyCryptoKeyVersion({ name: v2.name! }))).toBe(9);
    expect(
      await grpcCode(
        h.kms.updateCryptoKeyVersion({
          cryptoKeyVersion: { name: v2.name!, state: 'ENABLED' },
          updateMask: { paths: ['state'] },
        }),
      ),
    ).toBe(9);

    const [listed] = await h.kms.listCryptoKeyVersions({ parent: key.name! });
    expect(listed.map((v) => v.state)).toEqual(['ENABLED', 'DESTROY_SCHEDULED']);
    const [enabledOnly] = await h.kms.listCryptoKeyVersions({
      parent: key.name!,
      filter: 'state=ENABLED',
    });
    expect(enabledOnly).toHaveLength(1);

    const [restored] = await h.kms.restoreCryptoKeyVersion({ name: v2.name! });
    expect(restored.state).toBe('DISABLED');
    expect(restored.destroyTime).toBeNull();
    expect(await grpcCode(h.kms.restoreCryptoKeyVersion({ name: v2.name! }))).toBe(9);
    expect(
      await grpcCode(h.kms.getCryptoKeyVersion({ name: `${key.name ?? ''}/cryptoKeyVersions/9` })),
    ).toBe(5);
    expect(
      await grpcCode(h.kms.getCryptoKeyVersion({ name: `${key.name ?? ''}/versions/1` })),
    ).toBe(3);
  });

  test('import_only keys refuse generated versions (FAILED_PRECONDITION)', async () => {
    const [key] = await h.kms.createCryptoKey({
      parent: ring,
      cryptoKeyId: id(),
      cryptoKey: { purpose: 'ENCRYPT_DECRYPT', importOnly: true },
      skipInitialVersionCreation: true,
    });
    expect(
      await grpcCode(h.kms.createCryptoKeyVersion({ parent: key.name!, cryptoKeyVersion: {} })),
    ).toBe(9);
  });

  test('UpdateCryptoKeyPrimaryVersion: ENCRYPT_DECRYPT only, ENABLED versions only', async () => {
    const [key] = await h.kms.createCryptoKey({
      parent: ring,
      cryptoKeyId: id(),
      cryptoKey: { purpose: 'ENCRYPT_DECRYPT' },
    });
    const [v2] = await h.kms.createCryptoKeyVersion({ parent: key.name!, cryptoKeyVersion: {} });
    const [rotated] = await h.kms.updateCryptoKeyPrimaryVersion({
      name: key.name!,
      cryptoKeyVersionId: '2',
    });
    expect(rotated.primary?.name).toBe(v2.name);
    await h.kms.updateCryptoKeyVersion({
      cryptoKeyVersion: { name: `${key.name ?? ''}/cryptoKeyVersions/1`, state: 'DISABLED' },
      updateMask: { paths: ['state'] },
    });
    expect(
      await grpcCode(
        h.kms.updateCryptoKeyPrimaryVersion({ name: key.name!, cryptoKeyVersionId: '1' }),
      ),
    ).toBe(9);
    expect(
      await grpcCode(
        h.kms.updateCryptoKeyPrimaryVersion({ name: key.name!, cryptoKeyVersionId: '7' }),
      ),
    ).toBe(5);

    const [signKey] = await h.kms.createCryptoKey({
      parent: ring,
      cryptoKeyId: id(),
      cryptoKey: {
        purpose: 'ASYMMETRIC_SIGN',
        versionTemplate: { algorithm: 'EC_SIGN_P256_SHA256' },
      },
    });
    expect(
      await grpcCode(
        h.kms.updateCryptoKeyPrimaryVersion({ name: signKey.name!, cryptoKeyVersionId: '1' }),
      ),
    ).toBe(9);
  });
});
