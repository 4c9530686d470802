/**
 * AWS KMS backend behaviour beyond the shared conformance suite, through the real SDK against
 * the local emulator: throttling from the emulator's quota table, dropped connections, the
 * alias rules, crash-safe imports. EncryptionContext on the wire, large messages and error
 * mapping are in aws-kms-crypto.test.ts.
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import { generateKeyMaterial } from '@keyplane/engine';
import { startAwsKmsTestEnv, type AwsKmsTestEnv } from './support/aws-kms';
import { rejection } from '../support/rejection';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const MESSAGE = Buffer.from('keyplane aws message');

/** Key ids whose tags include every entry of `match` (read with the raw SDK). */
async function keysTagged(env: AwsKmsTestEnv, match: Record<string, string>): Promise<string[]> {
  const keys = (await env.raw.send(new ListKeysCommand({ Limit: 1000 }))).Keys ?? [];
  const hits: string[] = [];
  for (const k of keys) {
    const tags = (await env.raw.send(new ListResourceTagsCommand({ KeyId: k.KeyId }))).Tags ?? [];
    const map = new Map(tags.map((t) => [t.TagKey, t.TagValue] as const));
    if (Object.entries(match).every(([key, v]) => map.get(key) === v)) hits.push(k.KeyId ?? '');
  }
  return hits;
}

async function aliasTarget(env: AwsKmsTestEnv, name: string): Promise<string | undefined> {
  const out = await env.raw.send(new DescribeKeyCommand({ KeyId: name }));
  return out.KeyMetadata?.KeyId;
}

describe('AwsKmsBackend (emulator)', () => {
  let env: AwsKmsTestEnv;
  beforeAll(async () => {
    env = await startAwsKmsTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });
  afterEach(() => {
    env.emulator.quotas.configure({});
    env.emulator.faults.configure({});
  });

  describe('throttling and transport failures', () => {
    it('waits out a real Sign quota (ThrottlingException) and succeeds', async () => {
      const patient = env.backendWith({
        retry: { maxAttempts: 20, baseDelayMs: 100, maxDelayMs: 400 },
      });
      const ref = env.newKeyRef('quota-sign');
      await patient.generateKey(ref, { keyType: 'ecdsa-p256', usages: ['sign', 'verify'] });
      env.emulator.quotas.configure({ Sign: { limit: 1, windowSeconds: 1 } });
      const started = Date.now();
      await patient.sign(ref, MESSAGE, { hash: 'sha2-256' });
      const second = await patient.sign(ref, MESSAGE, { hash: 'sha2-256' });
      // The quota admits the second Sign only once the 1 s window has moved on.
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      const publicKey = await patient.getPublicKey(ref);
      expect(nodeVerify('sha256', MESSAGE, publicKey, second)).toBe(true);
    });

    it('gives up on persistent throttling with ERR_BACKEND_UNAVAILABLE naming the AWS code', async () => {
      const ref = env.newKeyRef('quota-fail');
      await env.backend.generateKey(ref, { keyType: 'ecdsa-p256', usages: ['sign', 'verify'] });
      // A zero quota: every Sign is throttled (earlier tests' Signs stay in the window history).
      env.emulator.quotas.configure({ Sign: { limit: 0, windowSeconds: 1 } });
      const e = await rejection(env.backend.sign(ref, MESSAGE, { hash: 'sha2-256' }));
      expect(e).toMatchObject({
        code: 'ERR_BACKEND_UNAVAILABLE',
        backendCode: 'ThrottlingException',
        attempts: 3,
      });
    });

    it('fails a throttled import half-way, then a patient rerun resumes it under the quota', async () => {
      const options = {
        keyplaneKey: 'central-quota',
        keyplaneVersion: 1,
        usages: ['sign', 'verify'] as ('sign' | 'verify')[],
      };
      const stuck = env.newKeyRef('quota-import');
      env.emulator.quotas.configure({ GetParametersForImport: { limit: 0, windowSeconds: 1 } });
      const e = await rejection(
        env.backend.importKeyVersion(stuck, generateKeyMaterial('ecdsa-p256'), options),
      );
      expect(e).toMatchObject({
        code: 'ERR_BACKEND_UNAVAILABLE',
        backendCode: 'ThrottlingException',
      });
      const tags = { 'keyplane-alias': stuck.name, 'keyplane-version': '1' };
      const [pending] = await keysTagged(env, tags);
      expect(pending).toBeDefined();

      // AWS's real GetParametersForImport quota is tiny; two concurrent imports must share it.
      env.emulator.quotas.configure({ GetParametersForImport: { limit: 1, windowSeconds: 1 } });
      const patient = env.backendWith({
        retry: { maxAttempts: 20, baseDelayMs: 100, maxDelayMs: 500 },
      });
      const versions = await Promise.all(
        [stuck, env.newKeyRef('quota-import')].map((ref) =>
          patient.importKeyVersion(ref, generateKeyMaterial('ecdsa-p256'), options),
        ),
      );
      expect(versions.map((v) => v.state)).toEqual(['enabled', 'enabled']);
      expect(versions[0]?.version).toBe(pending);
      expect(await keysTagged(env, tags)).toEqual([pending]);
    });

    it('retries a dropped connection (socket hang up) and succeeds', async () => {
      const ref = env.newKeyRef('drop');
      await env.backend.generateKey(ref, { keyType: 'ecdsa-p256', usages: ['sign', 'verify'] });
      env.emulator.faults.configure({ Sign: { dropRate: 1, times: 1 } });
      await expect(env.backend.sign(ref, MESSAGE, { hash: 'sha2-256' })).resolves.toBeInstanceOf(
        Buffer,
      );
    });
    it('does not repeat a CreateKey that failed ambiguously (500), but does a throttled one', async () => {
      const ref = env.newKeyRef('create-500');
      env.emulator.faults.configure({ CreateKey: { errorRate: 1, times: 1 } });
      const e = await rejection(
        env.backend.generateKey(ref, { keyType: 'ecdsa-p256', usages: ['sign', 'verify'] }),
      );
      // One attempt only: after a 500 the key may exist, and a second CreateKey would duplicate it.
      expect(e).toMatchObject({ code: 'ERR_BACKEND', backendCode: 'KMSInternalException' });
      env.emulator.faults.configure({});

      const patient = env.backendWith({
        retry: { maxAttempts: 20, baseDelayMs: 100, maxDelayMs: 400 },
      });
      env.emulator.quotas.configure({ CreateKey: { limit: 1, windowSeconds: 1 } });
      const [a, b] = await Promise.all(
        [env.newKeyRef('create-429'), env.newKeyRef('create-429')].map((r) =>
          patient.generateKey(r, { keyType: 'ecdsa-p256', usages: ['sign', 'verify'] }),
        ),
      );
      expect(a?.enabled && b?.enabled).toBe(true);
    });
  });

  describe('names and generation', () => {
    it('refuses to generate under a key id or ARN: an alias is required', async () => {
      const before = (await env.raw.send(new ListKeysCommand({ Limit: 1000 }))).Keys?.length;
      for (const name of [
        '1234abcd-12ab-34cd-56ef-1234567890ab',
        'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      ]) {
        const e = await rejection(
          env.backend.generateKey({ name }, { keyType: 'ecdsa-p256', usages: ['sign'] }),
        );
        expect(e).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', field: 'name' });
      }
      const after = (await env.raw.send(new ListKeysCommand({ Limit: 1000 }))).Keys?.length;
      expect(after).toBe(before);
    });

    it('refuses mixed RSA usages (AWS KeyUsage is single-valued), naming usages', async () => {
      const e = await rejection(
        env.backend.generateKey(env.newKeyRef('mixed'), {
          keyType: 'rsa-2048',
          usages: ['sign', 'encrypt'],
        }),
      );
      expect(e).toMatchObject({ code: 'ERR_UNSUPPORTED_PURPOSE', field: 'usages' });
    });

    it('schedules the new key for deletion when its alias cannot be created', async () => {
      const name = 'alias/not valid!';
      const e = await rejection(
        env.backend.generateKey({ name }, { keyType: 'ecdsa-p256', usages: ['sign'] }),
      );
      expect(e).toMatchObject({ code: 'ERR_BACKEND', backendCode: 'ValidationException' });
      const orphans = await keysTagged(env, { 'keyplane-alias': name });
      expect(orphans).toHaveLength(1);
      const state = await env.raw.send(new DescribeKeyCommand({ KeyId: orphans[0] }));
      expect(state.KeyMetadata?.KeyState).toBe('PendingDeletion');
    });

    it('lists a generated key as its single version and accepts its key id as a ref', async () => {
      const ref = env.newKeyRef('generated');
      const key = await env.backend.generateKey(ref, { keyType: 'hmac-sha256', usages: ['mac'] });
      const versions = await env.backend.listVersions(ref);
      expect(versions).toEqual([
        expect.objectContaining({ version: key.version, id: key.id, state: 'enabled' }),
      ]);
      const byId = await env.backend.getKey({ name: key.version });
      expect(byId).toMatchObject({ id: key.id, keyType: 'hmac-sha256', usages: ['mac'] });
      expect(key.id).toMatch(/^arn:aws:kms:us-east-1:\d{12}:key\//);
    });
  });

  describe('imports', () => {
    it('adopts and completes an import interrupted after CreateKey (PendingImport)', async () => {
      const ref = env.newKeyRef('crashed');
      const tags = {
        'keyplane-key': 'central-crash',
        'keyplane-version': '1',
        'keyplane-alias': ref.name,
      };
      // What a crash between CreateKey and ImportKeyMaterial leaves behind.
      const created = await env.raw.send(
        new CreateKeyCommand({
          KeySpec: 'ECC_NIST_P256',
          KeyUsage: 'SIGN_VERIFY',
          Origin: 'EXTERNAL',
          Tags: Object.entries(tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })),
        }),
      );
      expect(created.KeyMetadata?.KeyState).toBe('PendingImport');
      const material = generateKeyMaterial('ecdsa-p256');
      const v = await env.backend.importKeyVersion(ref, material, {
        keyplaneKey: 'central-crash',
        keyplaneVersion: 1,
        usages: ['sign', 'verify'],
      });
      expect(v).toMatchObject({
        version: created.KeyMetadata?.KeyId,
        state: 'enabled',
        keyplaneVersion: 1,
      });
      expect(await keysTagged(env, tags)).toEqual([created.KeyMetadata?.KeyId]);
      expect(await aliasTarget(env, ref.name)).toBe(created.KeyMetadata?.KeyId);
      const signature = await env.backend.sign(ref, MESSAGE, { hash: 'sha2-256' });
      expect(nodeVerify('sha256', MESSAGE, createPublicKey(material.key), signature)).toBe(true);
    });

    it('moves the alias to the newest version and never back on a re-run of an older one', async () => {
      const ref = env.newKeyRef('rotate');
      const base = { keyplaneKey: 'central-rotate', usages: ['sign', 'verify'] as const };
      const m1 = generateKeyMaterial('ecdsa-p256');
      const v1 = await env.backend.importKeyVersion(ref, m1, {
        ...base,
        usages: [...base.usages],
        keyplaneVersion: 1,
      });
      const v2 = await env.backend.importKeyVersion(ref, generateKeyMaterial('ecdsa-p256'), {
        ...base,
        usages: [...base.usages],
        keyplaneVersion: 2,
      });
      expect(await aliasTarget(env, ref.name)).toBe(v2.version);
      const again = await env.backend.importKeyVersion(ref, m1, {
        ...base,
        usages: [...base.usages],
        keyplaneVersion: 1,
      });
      expect(again.version).toBe(v1.version);
      expect(await aliasTarget(env, ref.name)).toBe(v2.version);
      expect((await env.backend.getKey(ref)).version).toBe(v2.version);
      // The same version number with other material is a conflict, not a repeated import.
      const conflict = await rejection(
        env.backend.importKeyVersion(ref, generateKeyMaterial('ecdsa-p256'), {
          ...base,
          usages: [...base.usages],
          keyplaneVersion: 1,
        }),
      );
      expect(conflict).toMatchObject({ code: 'ERR_ALREADY_EXISTS', field: 'keyplaneVersion' });
    });

    it('refuses RSA material under a direct RSAES_OAEP wrapping algorithm before any request', async () => {
      const e = await rejection(
        env.backend.importKeyVersion(env.newKeyRef('oaep-rsa'), generateKeyMaterial('rsa-2048'), {
          keyplaneKey: 'central-oaep',
          keyplaneVersion: 1,
          usages: ['sign', 'verify'],
          wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
        }),
      );
      expect(e).toMatchObject({
        code: 'ERR_UNSUPPORTED_WRAPPING_ALGORITHM',
        field: 'wrappingAlgorithm',
      });
    });
  });
});
