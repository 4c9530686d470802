/**
 * Conformance section: generated signing keys, one per type the matrix signs with — creation,
 * claimed schemes, no silent replace, message and digest signatures verified by node:crypto,
 * refused hashes.
 *
 * @module
 */
import { createHash, type KeyObject } from 'node:crypto';
import { HASH_ALGORITHMS, HASH_ALGORITHM_NAMES } from '@keyplane/engine';
import type { BackendKey, KeyRef, KmsBackend } from '../../../src/backends/contract';
import {
  ASYMMETRIC_SIGNING,
  MESSAGE,
  expectCode,
  expectSpki,
  flipped,
  nodeVerifies,
  schemeName,
  sorted,
  type ConformanceFixture,
  type ConformanceSuite,
} from './suite';

export function describeSigning(s: ConformanceSuite): void {
  const { expected } = s;
  const signingTypes = ASYMMETRIC_SIGNING.filter((t) => s.generates(t, 'sign'));
  let fx: ConformanceFixture;
  let backend: KmsBackend;
  beforeAll(() => {
    fx = s.fixture();
    backend = s.backend();
  });

  describe.each(signingTypes)('generated %s signing key', (keyType) => {
    let ref: KeyRef;
    let key: BackendKey;
    let publicKey: KeyObject;

    beforeAll(async () => {
      ref = fx.newKeyRef(keyType);
      key = await backend.generateKey(ref, { keyType, usages: ['sign', 'verify'] });
      publicKey = await backend.getPublicKey(ref);
    });

    it('is created enabled, for signing, with a public key of the right type', async () => {
      expect(key).toMatchObject({
        backend: backend.type,
        name: ref.name,
        keyType,
        enabled: true,
      });
      expect(key.usages).toContain('sign');
      expectSpki(publicKey, keyType);
      const found = await backend.findKey(ref);
      expect(found?.id).toBe(key.id);
    });

    it('claims exactly the expected signature schemes; digests for all but EdDSA', () => {
      expect(sorted(key.signatures.map(schemeName))).toEqual(
        sorted(expected.signatures[keyType] ?? []),
      );
      for (const s of key.signatures) expect(s.digestInput).toBe(s.hash !== undefined);
    });

    it('refuses a second generate under the same name (no silent replace)', async () => {
      await expectCode(
        backend.generateKey(ref, { keyType, usages: ['sign', 'verify'] }),
        'ERR_ALREADY_EXISTS',
      );
    });

    it('signs messages and digests with every scheme it claims; node:crypto verifies', async () => {
      for (const scheme of key.signatures) {
        const options = { hash: scheme.hash, pss: scheme.pss };
        const signature = await backend.sign(ref, MESSAGE, options);
        expect({
          scheme: schemeName(scheme),
          ok: nodeVerifies(publicKey, keyType, scheme, MESSAGE, signature),
        }).toEqual({ scheme: schemeName(scheme), ok: true });
        await expect(backend.verify(ref, MESSAGE, signature, options)).resolves.toBe(true);
        await expect(backend.verify(ref, flipped(MESSAGE), signature, options)).resolves.toBe(
          false,
        );
        if (scheme.hash === undefined) continue;
        const digest = createHash(HASH_ALGORITHMS[scheme.hash].nodeName).update(MESSAGE).digest();
        const sig = await backend.sign(ref, digest, { ...options, input: 'digest' });
        expect(nodeVerifies(publicKey, keyType, scheme, MESSAGE, sig)).toBe(true);
        await expect(
          backend.verify(ref, digest, sig, { ...options, input: 'digest' }),
        ).resolves.toBe(true);
        await expectCode(
          backend.sign(ref, digest.subarray(1), { ...options, input: 'digest' }),
          'ERR_INVALID_DIGEST',
        );
      }
    });

    if (keyType !== 'ed25519') {
      it('refuses the hashes it does not claim with ERR_UNSUPPORTED_HASH_ALGORITHM', async () => {
        for (const pss of keyType.startsWith('rsa') ? [false, true] : [false]) {
          const claimed = key.signatures.filter((s) => s.pss === pss).map((s) => s.hash);
          const refused = HASH_ALGORITHM_NAMES.filter((h) => !claimed.includes(h));
          for (const hash of refused) {
            const e = await expectCode(
              backend.sign(ref, MESSAGE, { hash, pss }),
              'ERR_UNSUPPORTED_HASH_ALGORITHM',
            );
            expect(e.message).toContain(hash);
          }
        }
      });
    }
  });
}
