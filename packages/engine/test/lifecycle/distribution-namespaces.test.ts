/**
 * Namespaces (nothing is used across namespaces): the same KMS connection names pointing at the
 * same AWS region, Azure vault, GCP key ring and PKCS#11 token, and the same key name, in `root`
 * and in `team-a/payments` of one store. Each namespace sees only its own keys and
 * distributions, and in every cloud the two keys are distinct objects (distinct names, each
 * tagged with its own Keyplane key): rotating one namespace's key or undistributing it leaves
 * the other's cloud versions untouched.
 */
import { publicKeyFingerprint, type KeyClient } from '@keyplane/engine';
import { rejection } from '../support/rejection';
import { CLOUD_NAMES, startTestClouds, type CloudName, type TestClouds } from './clouds';
import { testLifecycle, type TestLifecycle } from './support';

jest.setTimeout(120_000);

describe('the same names in two namespaces', () => {
  let c: TestClouds;
  let t: TestLifecycle;
  let team: Awaited<ReturnType<TestLifecycle['second']>>;

  beforeAll(async () => {
    c = await startTestClouds('kp-namespaces');
    t = await testLifecycle();
    team = await t.second({ namespace: 'team-a/payments' });
    await c.connect(t);
    await c.connect({ kms: team.kms, dir: t.dir });
  });
  afterAll(async () => {
    await t.dispose();
    await c.close();
  });

  /** What `kms` holds under the name `keys`' distribution uses: Keyplane key → versions. */
  async function cloudView(keys: KeyClient, kms: CloudName) {
    const d = await keys.distributions.read(kms, 'shared');
    const inCloud = await c.readers[kms].listVersions({ name: d.kms_key_name });
    return {
      name: d.kms_key_name,
      owners: [...new Set(inCloud.map((v) => v.keyplaneKey))],
      live: inCloud
        .filter((v) => v.state === 'enabled')
        .map((v) => v.keyplaneVersion)
        .sort(),
    };
  }

  it('keeps keys, distributions and cloud objects apart', async () => {
    const rootKey = await t.keys.create('shared', { type: 'rsa-2048' });
    const teamKey = await team.keys.create('shared', { type: 'rsa-2048' });
    expect(rootKey.namespace).toBe('root');
    expect(teamKey.namespace).toBe('team-a/payments');
    const ids = {
      root: (await t.store.get('key', 'root', 'shared'))?.id,
      team: (await t.store.get('key', 'team-a/payments', 'shared'))?.id,
    };
    for (const kms of CLOUD_NAMES) {
      for (const keys of [t.keys, team.keys])
        await keys.distributions.distribute(kms, 'shared', { purpose: 'sign,verify' });
    }
    await t.keys.rotate('shared');
    expect(await t.keys.list()).toEqual(['shared']);
    expect(await team.keys.list()).toEqual(['shared']);
    expect((await team.keys.read('shared')).latest_version).toBe(1);

    for (const kms of CLOUD_NAMES) {
      const [mine, theirs] = [await cloudView(t.keys, kms), await cloudView(team.keys, kms)];
      expect(mine.name).not.toBe(theirs.name);
      expect(mine).toMatchObject({ owners: [ids.root], live: [1, 2] });
      expect(theirs).toMatchObject({ owners: [ids.team], live: [1] });
      expect(await t.keys.distributions.keysIn(kms)).toEqual(['shared']);
      // What the team's cloud key serves is the team's public key, not root's.
      const d = await team.keys.distributions.read(kms, 'shared');
      const v1 = d.versions['1'];
      const ref =
        kms === 'hsm'
          ? { name: d.kms_key_name, id: v1?.cloud_id }
          : { name: d.kms_key_name, version: v1?.cloud_version };
      expect(publicKeyFingerprint(await c.readers[kms].getPublicKey(ref))).toBe(
        teamKey.versions['1']?.fingerprint,
      );
    }

    for (const kms of CLOUD_NAMES) await team.keys.distributions.undistribute(kms, 'shared');
    for (const kms of CLOUD_NAMES) {
      expect(await cloudView(t.keys, kms)).toMatchObject({ owners: [ids.root], live: [1, 2] });
      expect(await team.keys.distributions.keysIn(kms)).toEqual([]);
    }
    expect((await t.keys.read('shared')).distributions).toEqual([...CLOUD_NAMES]);
  });

  it('refuses, at create, key names that could meet another namespace in a cloud', async () => {
    // Another namespace's cloud names end in `--` + 10 hex digits: no key may end so.
    expect(
      await rejection(t.keys.create('shared--0123456789', { type: 'rsa-2048' })),
    ).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', field: 'name' });
    // GCP's 63-character limit, with the namespace suffix: 51 outside root, 63 in root.
    const long = 'k'.repeat(52);
    expect(await rejection(team.keys.create(long, { type: 'rsa-2048' }))).toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      field: 'name',
      message: expect.stringContaining('at most 51') as unknown,
    });
    await expect(team.keys.create(long.slice(1), { type: 'rsa-2048' })).resolves.toMatchObject({
      name: long.slice(1),
    });
    await expect(t.keys.create(long, { type: 'rsa-2048' })).resolves.toMatchObject({ name: long });
  });
});
