/**
 * Conformance section: what the matrix lists beyond signing — AES-256-GCM round trip, RSA-OAEP
 * decryption of what node:crypto encrypted, HMAC, random bytes.
 *
 * @module
 */
import { constants, publicEncrypt, randomBytes } from 'node:crypto';
import type { KmsBackend } from '../../../src/backends/contract';
import {
  MESSAGE,
  expectCode,
  flipped,
  type ConformanceFixture,
  type ConformanceSuite,
} from './suite';

export function describeEncryption(s: ConformanceSuite): void {
  const { expected } = s;
  let fx: ConformanceFixture;
  let backend: KmsBackend;
  beforeAll(() => {
    fx = s.fixture();
    backend = s.backend();
  });

  describe('encryption', () => {
    if (s.generates('aes256-gcm96', 'encrypt')) {
      it('round-trips AES-256-GCM with AAD and rejects a wrong AAD', async () => {
        const encrypt = backend.encrypt?.bind(backend);
        const decrypt = backend.decrypt?.bind(backend);
        if (encrypt === undefined || decrypt === undefined) throw new Error('no encrypt/decrypt');
        const ref = fx.newKeyRef('aes');
        await backend.generateKey(ref, {
          keyType: 'aes256-gcm96',
          usages: ['encrypt', 'decrypt'],
        });
        const plaintext = randomBytes(100);
        const aad = Buffer.from('context');
        const ct = await encrypt(ref, plaintext, { aad });
        expect(ct.includes(plaintext)).toBe(false);
        await expect(decrypt(ref, ct, { aad })).resolves.toEqual(plaintext);
        await expectCode(decrypt(ref, ct, { aad: Buffer.from('other') }), 'ERR_DECRYPTION_FAILED');
      });
    }

    if (s.generates('rsa-2048', 'decrypt')) {
      it.each(['rsa-oaep-sha256', 'rsa-oaep-sha1'] as const)(
        'decrypts %s that node:crypto encrypted with its public key, or refuses it as expected',
        async (algorithm) => {
          const decrypt = backend.decrypt?.bind(backend);
          if (decrypt === undefined) throw new Error('no decrypt');
          const ref = fx.newKeyRef('oaep');
          await backend.generateKey(ref, { keyType: 'rsa-2048', usages: ['encrypt', 'decrypt'] });
          const publicKey = await backend.getPublicKey(ref);
          const secret = randomBytes(32);
          const oaepHash = algorithm === 'rsa-oaep-sha256' ? 'sha256' : 'sha1';
          const ct = publicEncrypt(
            { key: publicKey, oaepHash, padding: constants.RSA_PKCS1_OAEP_PADDING },
            secret,
          );
          if (expected.oaep.includes(algorithm)) {
            await expect(decrypt(ref, ct, { algorithm })).resolves.toEqual(secret);
          } else {
            await expectCode(decrypt(ref, ct, { algorithm }), 'ERR_UNSUPPORTED_OPERATION');
          }
        },
      );
    }
  });

  if (s.generates('hmac-sha256', 'mac')) {
    it('computes and verifies HMAC-SHA256', async () => {
      const mac = backend.mac?.bind(backend);
      const verifyMac = backend.verifyMac?.bind(backend);
      if (mac === undefined || verifyMac === undefined) throw new Error('no mac/verifyMac');
      const ref = fx.newKeyRef('hmac');
      await backend.generateKey(ref, { keyType: 'hmac-sha256', usages: ['mac'] });
      const tag = await mac(ref, MESSAGE);
      expect(tag).toHaveLength(32);
      await expect(verifyMac(ref, MESSAGE, tag)).resolves.toBe(true);
      await expect(verifyMac(ref, MESSAGE, flipped(tag))).resolves.toBe(false);
    });
  }

  if (s.has('generateRandom')) {
    it('returns random bytes of the asked length', async () => {
      const generateRandom = backend.generateRandom?.bind(backend);
      if (generateRandom === undefined) throw new Error('no generateRandom');
      const a = await generateRandom(32);
      const b = await generateRandom(32);
      expect(a).toHaveLength(32);
      expect(a.equals(b)).toBe(false);
    });
  }
}
