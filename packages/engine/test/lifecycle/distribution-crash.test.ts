/**
 * Faults across processes, on a SQLite and on a PostgreSQL store: `kill -9` of a child process
 * at each step of a distribution and of a rotation, for every cloud (and AWS symmetric's own SDK
 * steps) — the next run takes over the dead holder's lease and completes with zero duplicate
 * cloud keys and zero lost versions; two processes rotating one key at once (distinct versions,
 * each once per cloud).
 */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  DescribeKeyCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import { KEYPLANE_TAGS } from '@keyplane/engine';
import type { AwsKmsTestEnv } from '../backends/support/aws-kms';
import { CLOUD_NAMES, startTestClouds, type TestClouds } from './clouds';
import { describeEachStore, testLifecycle, type TestLifecycle } from './support';

const execFileAsync = promisify(execFile);

jest.setTimeout(120_000);

describeEachStore('processes killed or racing', (fixture) => {
  let t: TestLifecycle;
  let c: TestClouds;

  beforeAll(async () => {
    c = await startTestClouds('kp-crash');
    t = await testLifecycle({}, fixture());
    await c.connect(t);
  });
  afterAll(async () => {
    await t.dispose();
    await c.close();
  });

  it('two processes rotating one key at once create distinct versions, each once per cloud', async () => {
    await t.keys.create('contended', { type: 'rsa-2048' });
    await t.keys.distributions.distribute('azure', 'contended', { purpose: 'sign,verify' });
    await t.keys.distributions.distribute('aws', 'contended', { purpose: 'sign,verify' });
    const outputs = await Promise.all([
      rotateInChild(t.url, 'contended'),
      rotateInChild(t.url, 'contended'),
    ]);
    expect(outputs.map(Number).sort()).toEqual([2, 3]);
    const view = await t.keys.read('contended');
    expect(Object.keys(view.versions)).toEqual(['1', '2', '3']);
    expect(new Set(Object.values(view.versions).map((v) => v.fingerprint)).size).toBe(3);
    for (const kms of ['azure', 'aws'] as const) {
      const name = (await t.keys.distributions.read(kms, 'contended')).kms_key_name;
      const versions = (await c.readers[kms].listVersions({ name })).map((v) => v.keyplaneVersion);
      expect(versions.sort()).toEqual([1, 2, 3]);
    }
  });
  describe('kill -9 at each step, every cloud: the next run completes with no duplicate', () => {
    const points = ['before-import', 'after-import'] as const;
    it.each(CLOUD_NAMES.flatMap((kms) => points.map((point) => [kms, point] as const)))(
      '%s, killed %s',
      async (kms, point) => {
        const key = `crash-${kms}-${point}`;
        await t.keys.create(key, { type: 'rsa-2048' });
        expect(await killedChild(t.url, ['distribute', kms, key, 'sign,verify', point])).toBe(
          'SIGKILL',
        );
        const first = await t.keys.distributions.distribute(kms, key, { purpose: 'sign,verify' });
        expect(Object.keys(first.versions)).toEqual(['1']);
        // The rotation is killed while pushing v2; rerunning the distribution completes it.
        expect(await killedChild(t.url, ['rotate', kms, key, '-', point])).toBe('SIGKILL');
        const done = await t.keys.distributions.distribute(kms, key, { purpose: 'sign,verify' });
        expect(Object.keys(done.versions)).toEqual(['1', '2']);
        const inCloud = await c.readers[kms].listVersions({ name: done.kms_key_name });
        expect(inCloud.map((v) => v.keyplaneVersion).sort()).toEqual([1, 2]);
        expect((await t.keys.read(key)).latest_version).toBe(2);
      },
    );

    // AWS symmetric (one KMS key, material rotated): also killed between its SDK steps.
    const symmetricSteps = [
      ['before-import', 'before-import'],
      ['after:CreateKey', 'after:ImportKeyMaterial'],
      ['after-import', 'after-import'],
    ] as const;
    it.each(symmetricSteps)(
      'aws symmetric, distribute killed %s, rotation killed %s',
      async (distributePoint, rotatePoint) => {
        const key = `crash-aes-${distributePoint.replace(/\W/g, '-')}`;
        await t.keys.create(key, { type: 'aes256-gcm96' });
        const purpose = 'encrypt,decrypt';
        expect(await killedChild(t.url, ['distribute', 'aws', key, purpose, distributePoint])).toBe(
          'SIGKILL',
        );
        const first = await t.keys.distributions.distribute('aws', key, { purpose });
        expect(Object.keys(first.versions)).toEqual(['1']);
        expect(await killedChild(t.url, ['rotate', 'aws', key, '-', rotatePoint])).toBe('SIGKILL');
        const done = await t.keys.distributions.distribute('aws', key, { purpose });
        expect(Object.keys(done.versions)).toEqual(['1', '2']);
        const arn = done.versions['1']?.cloud_id;
        expect(done.versions['2']?.cloud_id).toBe(arn);
        const id = (await t.store.get('key', 'root', key))?.id ?? 'key record missing';
        expect(await awsKeysTagged(c.aws, id)).toEqual([arn]);
        const rotations = await c.aws.raw.send(
          new ListKeyRotationsCommand({ KeyId: arn, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }),
        );
        expect(
          (rotations.Rotations ?? []).map((r) => [r.KeyMaterialDescription, r.KeyMaterialState]),
        ).toEqual([
          ['keyplane-version=1', 'NON_CURRENT'],
          ['keyplane-version=2', 'CURRENT'],
        ]);
      },
    );
  });
});

/** ARNs of the emulator's KMS keys tagged for Keyplane key `id`, not pending deletion. */
async function awsKeysTagged(aws: AwsKmsTestEnv, id: string): Promise<string[]> {
  const arns: string[] = [];
  const keys = await aws.raw.send(new ListKeysCommand({}));
  for (const k of keys.Keys ?? []) {
    const tags = await aws.raw.send(new ListResourceTagsCommand({ KeyId: k.KeyId }));
    const meta = await aws.raw.send(new DescribeKeyCommand({ KeyId: k.KeyId }));
    const mine = (tags.Tags ?? []).some((g) => g.TagKey === KEYPLANE_TAGS.key && g.TagValue === id);
    if (mine && meta.KeyMetadata?.KeyState !== 'PendingDeletion')
      arns.push(meta.KeyMetadata?.Arn ?? '');
  }
  return arns;
}

/** Runs child/crash-worker.js and returns the signal that ended it. */
async function killedChild(url: string, args: readonly string[]): Promise<NodeJS.Signals | null> {
  const child = spawn(
    process.execPath,
    [join(__dirname, 'child', 'crash-worker.js'), url, ...args],
    {
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', METADATA_SERVER_DETECTION: 'none' },
      stdio: 'ignore',
    },
  );
  return await new Promise((resolve) =>
    child.on('exit', (_code, signal) => {
      resolve(signal);
    }),
  );
}

/** Runs child/rotate-worker.js (a real second process on the same store); its stdout. */
async function rotateInChild(url: string, key: string): Promise<string> {
  const { stdout } = await execFileAsync(
    process.execPath,
    [join(__dirname, 'child', 'rotate-worker.js'), url, key],
    {
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', METADATA_SERVER_DETECTION: 'none' },
    },
  );
  return stdout.trim();
}
