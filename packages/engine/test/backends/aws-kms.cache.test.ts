/**
 * The AWS KMS backend's key metadata cache, through the real SDK against the emulator: a warm
 * Sign / Verify / Encrypt sends exactly one request (counted at the emulator, which names every
 * request's operation to its fault injector — observed, never altered), state is never served
 * from the cache, and this backend's own alias changes take effect at once.
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { DisableKeyCommand, EnableKeyCommand } from '@aws-sdk/client-kms';
import { generateKeyMaterial } from '@keyplane/engine';
import { TtlCache } from '../../src/backends/common/ttl-cache';
import type { KeyRef } from '../../src/backends/contract';
import { startAwsKmsTestEnv, type AwsKmsTestEnv } from './support/aws-kms';
import { rejectionCode } from '../support/rejection';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const MESSAGE = Buffer.from('keyplane aws cache message');

describe('AwsKmsBackend metadata cache (emulator)', () => {
  let env: AwsKmsTestEnv;
  let decide: jest.SpiedFunction<AwsKmsTestEnv['emulator']['faults']['decide']>;
  /** Operation names of the requests the emulator received since the last `take()`. */
  const take = (): string[] => {
    const seen = decide.mock.calls.map(([operation]) => operation);
    decide.mockClear();
    return seen;
  };

  beforeAll(async () => {
    env = await startAwsKmsTestEnv();
    // A spy calls through: the emulator behaves as ever, the test only reads the names.
    decide = jest.spyOn(env.emulator.faults, 'decide');
  });
  afterAll(async () => {
    decide.mockRestore();
    await env.close();
  });
  beforeEach(() => {
    decide.mockClear();
  });

  async function signingKey(label: string): Promise<{ ref: KeyRef; keyId: string }> {
    const ref = env.newKeyRef(label);
    const key = await env.backend.generateKey(ref, {
      keyType: 'ecdsa-p256',
      usages: ['sign', 'verify'],
    });
    take();
    return { ref, keyId: key.version };
  }

  it('a warm sign by alias sends exactly one request (Sign), and so do verify and encrypt', async () => {
    const { ref } = await signingKey('warm');
    await env.backend.sign(ref, MESSAGE, { hash: 'sha2-256' });
    expect(take()).toEqual(['DescribeKey', 'Sign']);
    for (let i = 0; i < 5; i++) await env.backend.sign(ref, MESSAGE, { hash: 'sha2-256' });
    expect(take()).toEqual(Array<string>(5).fill('Sign'));

    const signature = await env.backend.sign(ref, MESSAGE, { hash: 'sha2-256' });
    take();
    await expect(env.backend.verify(ref, MESSAGE, signature, { hash: 'sha2-256' })).resolves.toBe(
      true,
    );
    expect(take()).toEqual(['Verify']);

    const aes = env.newKeyRef('warm-aes');
    await env.backend.generateKey(aes, { keyType: 'aes256-gcm96', usages: ['encrypt', 'decrypt'] });
    await env.backend.encrypt(aes, MESSAGE);
    take();
    const ciphertext = await env.backend.encrypt(aes, MESSAGE);
    expect(take()).toEqual(['Encrypt']);
    await expect(env.backend.decrypt(aes, ciphertext)).resolves.toEqual(MESSAGE);
    expect(take()).toEqual(['Decrypt']);
  });

  it('a warm sign by key id sends exactly one request; concurrent cold signs share one DescribeKey', async () => {
    const { ref, keyId } = await signingKey('by-id');
    const byId = { ...ref, version: keyId };
    await Promise.all(
      Array.from({ length: 8 }, () => env.backend.sign(byId, MESSAGE, { hash: 'sha2-256' })),
    );
    expect(take().sort()).toEqual(['DescribeKey', ...Array<string>(8).fill('Sign')]);
    await env.backend.sign(byId, MESSAGE, { hash: 'sha2-256' });
    expect(take()).toEqual(['Sign']);
  });

  it('checks the hash against cached metadata: a refused hash sends no request', async () => {
    const { ref } = await signingKey('hash');
    await env.backend.sign(ref, MESSAGE, { hash: 'sha2-256' });
    take();
    await expect(rejectionCode(env.backend.sign(ref, MESSAGE, { hash: 'sha2-384' }))).resolves.toBe(
      'ERR_UNSUPPORTED_HASH_ALGORITHM',
    );
    expect(take()).toEqual([]);
  });

  it('never serves state from the cache: disabled via the backend or elsewhere → ERR_KEY_STATE', async () => {
    const { ref, keyId } = await signingKey('state');
    await env.backend.sign(ref, MESSAGE, { hash: 'sha2-256' });

    expect((await env.backend.setVersionEnabled({ ...ref, version: keyId }, false)).state).toBe(
      'disabled',
    );
    await expect(rejectionCode(env.backend.sign(ref, MESSAGE, { hash: 'sha2-256' }))).resolves.toBe(
      'ERR_KEY_STATE',
    );
    // Lifecycle reads stay live.
    expect((await env.backend.getKey(ref)).enabled).toBe(false);
    expect((await env.backend.setVersionEnabled({ ...ref, version: keyId }, true)).state).toBe(
      'enabled',
    );
    await expect(env.backend.sign(ref, MESSAGE, { hash: 'sha2-256' })).resolves.toBeInstanceOf(
      Buffer,
    );

    // Disabled by another process while the metadata is cached: refused by AWS at Sign.
    take();
    await env.raw.send(new DisableKeyCommand({ KeyId: keyId }));
    await expect(rejectionCode(env.backend.sign(ref, MESSAGE, { hash: 'sha2-256' }))).resolves.toBe(
      'ERR_KEY_STATE',
    );
    expect(take()).toEqual(['DisableKey', 'Sign']);
    await env.raw.send(new EnableKeyCommand({ KeyId: keyId }));
    await expect(env.backend.sign(ref, MESSAGE, { hash: 'sha2-256' })).resolves.toBeInstanceOf(
      Buffer,
    );
    // The refusal dropped the entry: the key was described again, then cached again.
    expect(take()).toEqual(['EnableKey', 'DescribeKey', 'Sign']);
  });

  it('an import that moves the alias takes effect at the next sign', async () => {
    const ref = env.newKeyRef('moved');
    const options = { keyplaneKey: 'central-moved', usages: ['sign', 'verify'] as const };
    const m1 = generateKeyMaterial('ecdsa-p256');
    const m2 = generateKeyMaterial('ecdsa-p256');
    await env.backend.importKeyVersion(ref, m1, {
      ...options,
      usages: [...options.usages],
      keyplaneVersion: 1,
    });
    const s1 = await env.backend.sign(ref, MESSAGE, { hash: 'sha2-256' });
    expect(nodeVerify('sha256', MESSAGE, createPublicKey(m1.key), s1)).toBe(true);
    await env.backend.importKeyVersion(ref, m2, {
      ...options,
      usages: [...options.usages],
      keyplaneVersion: 2,
    });
    const s2 = await env.backend.sign(ref, MESSAGE, { hash: 'sha2-256' });
    expect(nodeVerify('sha256', MESSAGE, createPublicKey(m2.key), s2)).toBe(true);
  });
});

describe('TtlCache', () => {
  it('expires entries after the ttl, evicts the least recently used and shares loads', async () => {
    let now = 0;
    const cache = new TtlCache<string, number>({ maxEntries: 2, ttlMs: 30_000, now: () => now });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recently used
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    now = 30_000;
    expect(cache.get('a')).toBeUndefined();

    let loads = 0;
    const load = async (): Promise<number> => {
      loads++;
      await Promise.resolve();
      return 7;
    };
    await expect(
      Promise.all([cache.getOrLoad('x', load), cache.getOrLoad('x', load)]),
    ).resolves.toEqual([7, 7]);
    expect(loads).toBe(1);
    await expect(cache.getOrLoad('x', load)).resolves.toBe(7);
    expect(loads).toBe(1);
    await expect(cache.getOrLoad('y', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(cache.get('y')).toBeUndefined();
  });

  it('keeps a load that an invalidation overtook out of the cache', async () => {
    const cache = new TtlCache<string, number>({ maxEntries: 10 });
    let release: (value: number) => void = () => undefined;
    const pending = cache.getOrLoad('k', () => new Promise<number>((r) => (release = r)));
    cache.delete('k');
    release(1);
    await expect(pending).resolves.toBe(1);
    expect(cache.get('k')).toBeUndefined();
  });
});
