/**
 * AWS KMS backend cryptography and error mapping beyond the shared conformance suite, through
 * the real SDK against the local emulator: AAD carried as the EncryptionContext on the wire, RSA
 * encryption keys, messages over the 4096-byte Sign limit, and AWS errors as typed errors.
 * (Throttling, aliases and imports: aws-kms.test.ts.)
 */
import { createHash, randomBytes, verify as nodeVerify } from 'node:crypto';
import { DecryptCommand } from '@aws-sdk/client-kms';
import type { KeyRef } from '../../src/backends/contract';
import { AWS_TEST_CREDENTIALS, startAwsKmsTestEnv, type AwsKmsTestEnv } from './support/aws-kms';
import { rejection } from '../support/rejection';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const MESSAGE = Buffer.from('keyplane aws message');

describe('AwsKmsBackend (emulator)', () => {
  let env: AwsKmsTestEnv;
  beforeAll(async () => {
    env = await startAwsKmsTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  describe('cryptography', () => {
    it('carries AAD as the EncryptionContext keyplane-aad', async () => {
      const ref = env.newKeyRef('context');
      await env.backend.generateKey(ref, {
        keyType: 'aes256-gcm96',
        usages: ['encrypt', 'decrypt'],
      });
      const aad = Buffer.from('tenant=42');
      const plaintext = randomBytes(48);
      const ct = await env.backend.encrypt(ref, plaintext, { aad });
      const raw = await env.raw.send(
        new DecryptCommand({
          CiphertextBlob: ct,
          EncryptionContext: { 'keyplane-aad': aad.toString('base64') },
        }),
      );
      expect(Buffer.from(raw.Plaintext ?? [])).toEqual(plaintext);
      await expect(env.raw.send(new DecryptCommand({ CiphertextBlob: ct }))).rejects.toMatchObject({
        name: 'InvalidCiphertextException',
      });
      expect(await rejection(env.backend.decrypt(ref, ct))).toMatchObject({
        code: 'ERR_DECRYPTION_FAILED',
      });
    });

    it('encrypts and decrypts with an RSA ENCRYPT_DECRYPT key, both OAEP hashes', async () => {
      const ref = env.newKeyRef('rsa-enc');
      const key = await env.backend.generateKey(ref, {
        keyType: 'rsa-2048',
        usages: ['encrypt', 'decrypt'],
      });
      expect(key.usages).toEqual(['encrypt', 'decrypt']);
      expect(key.signatures).toEqual([]);
      for (const algorithm of ['rsa-oaep-sha256', 'rsa-oaep-sha1'] as const) {
        const ct = await env.backend.encrypt(ref, MESSAGE, { algorithm });
        await expect(env.backend.decrypt(ref, ct, { algorithm })).resolves.toEqual(MESSAGE);
      }
      const e = await rejection(env.backend.encrypt(ref, MESSAGE, { algorithm: 'aes-256-gcm' }));
      expect(e).toMatchObject({ code: 'ERR_UNSUPPORTED_OPERATION', field: 'algorithm' });
    });

    it('signs messages over 4096 bytes by hashing locally (DIGEST)', async () => {
      const big = randomBytes(10_000);
      for (const [keyType, hash, node, pss] of [
        ['rsa-2048', 'sha2-384', 'sha384', true],
        ['ecdsa-p384', 'sha2-384', 'sha384', false],
      ] as const) {
        const ref = env.newKeyRef(`big-${keyType}`);
        await env.backend.generateKey(ref, { keyType, usages: ['sign', 'verify'] });
        const publicKey = await env.backend.getPublicKey(ref);
        const signature = await env.backend.sign(ref, big, { hash, pss });
        const key = pss ? { key: publicKey, padding: 6, saltLength: 48 } : publicKey;
        expect(nodeVerify(node, big, key, signature)).toBe(true);
        await expect(env.backend.verify(ref, big, signature, { hash, pss })).resolves.toBe(true);
        const digest = createHash(node).update(big).digest();
        await expect(
          env.backend.verify(ref, digest, signature, { hash, pss, input: 'digest' }),
        ).resolves.toBe(true);
      }
    });
  });

  describe('error mapping', () => {
    let ref: KeyRef;
    let version: string;
    beforeAll(async () => {
      ref = env.newKeyRef('states');
      version = (
        await env.backend.generateKey(ref, { keyType: 'ecdsa-p256', usages: ['sign', 'verify'] })
      ).version;
    });

    it('maps an unknown access key and a wrong secret to ERR_AUTHENTICATION_FAILED', async () => {
      const { accessKeyId } = AWS_TEST_CREDENTIALS;
      for (const credentials of [
        { accessKeyId: 'AKIDNOTCONFIGURED', secretAccessKey: 'test' },
        { accessKeyId, secretAccessKey: 'not-the-secret' },
      ]) {
        const stranger = env.backendWith({ credentials });
        const e = await rejection(stranger.sign(ref, MESSAGE, { hash: 'sha2-256' }));
        expect(e).toMatchObject({ code: 'ERR_AUTHENTICATION_FAILED' });
        expect(e.message).toMatch(/UnrecognizedClientException|InvalidSignatureException/);
        // The secret never appears in what the caller sees.
        expect(JSON.stringify(e)).not.toContain('not-the-secret');
      }
    });

    it('maps a disabled key to ERR_KEY_STATE and a missing version to ERR_NOT_FOUND', async () => {
      expect((await env.backend.setVersionEnabled({ ...ref, version }, false)).state).toBe(
        'disabled',
      );
      expect(await rejection(env.backend.sign(ref, MESSAGE, { hash: 'sha2-256' }))).toMatchObject({
        code: 'ERR_KEY_STATE',
      });
      await env.backend.setVersionEnabled({ ...ref, version }, true);
      const missing = { ...ref, version: '00000000-0000-4000-8000-000000000000' };
      const e = await rejection(env.backend.sign(missing, MESSAGE, { hash: 'sha2-256' }));
      expect(e).toMatchObject({ code: 'ERR_NOT_FOUND', field: 'name' });
      expect(e.message).toContain(ref.name);
    });

    it('refuses operations the key type lacks, and a version-less lifecycle call on an alias', async () => {
      expect(await rejection(env.backend.encrypt(ref, MESSAGE))).toMatchObject({
        code: 'ERR_UNSUPPORTED_OPERATION',
      });
      expect(await rejection(env.backend.mac(ref, MESSAGE))).toMatchObject({
        code: 'ERR_UNSUPPORTED_OPERATION',
      });
      expect(await rejection(env.backend.setVersionEnabled(ref, false))).toMatchObject({
        code: 'ERR_MISSING_PARAMETER',
        field: 'version',
      });
      expect(
        await rejection(
          env.backend.scheduleVersionDeletion({ ...ref, version }, { pendingWindowDays: 3 }),
        ),
      ).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', field: 'pendingWindowDays' });
    });

    it('maps a key pending deletion to ERR_KEY_STATE', async () => {
      const doomed = env.newKeyRef('doomed');
      const key = await env.backend.generateKey(doomed, {
        keyType: 'ecdsa-p256',
        usages: ['sign'],
      });
      const v = await env.backend.scheduleVersionDeletion({ ...doomed, version: key.version });
      expect(v.state).toBe('pending-deletion');
      expect(
        await rejection(env.backend.sign(doomed, MESSAGE, { hash: 'sha2-256' })),
      ).toMatchObject({
        code: 'ERR_KEY_STATE',
      });
    });
  });
});
