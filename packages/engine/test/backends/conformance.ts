/**
 * The backend conformance suite: the same tests, unchanged, against every KmsBackend (AWS, Azure
 * and GCP through their real SDKs against the emulators, PKCS#11 through pkcs11js on SoftHSM2).
 * Each backend is held against a hard-coded capability matrix (support/capability-matrix.ts):
 * its own capabilities must equal the matrix, every combination the matrix lists is exercised
 * and every one it leaves out must be refused with a typed error. Which tests exist is decided
 * from the matrix when the suite is defined, so no test can pass by returning early.
 *
 * Signatures are verified independently of the engine: node:crypto with the public key the
 * backend returns (and, for imports, the public key of the material Keyplane generated).
 *
 * This file holds the capability, not-found, fault and concurrency tests; the sections in
 * conformance/ (signing, encryption, BYOK import + version lifecycle) register theirs in the
 * same describe block, so every test keeps its name.
 */
import { KEY_TYPES, type KeyTypeName } from '@keyplane/engine';
import type { BackendKeyType, KeyUsage, KmsBackend } from '../../src/backends/contract';
import { describeByokImport } from './conformance/byok-import';
import { describeEncryption } from './conformance/encryption';
import { describeSigning } from './conformance/signing';
import {
  ASYMMETRIC_SIGNING,
  MESSAGE,
  OPTIONAL_OPERATIONS,
  expectCode,
  nodeVerifies,
  normalized,
  type ConformanceFixture,
  type ConformanceSuite,
} from './conformance/suite';
import type { CapabilityMatrix, OptionalOperation } from './support/capability-matrix';

export { nodeVerifies, type ConformanceFixture } from './conformance/suite';

export function describeBackendConformance(
  name: string,
  expected: CapabilityMatrix,
  setup: () => Promise<ConformanceFixture>,
): void {
  const generates = (keyType: BackendKeyType, usage: KeyUsage): boolean =>
    expected.generate[keyType]?.includes(usage) === true;
  const has = (operation: OptionalOperation): boolean => expected.operations.includes(operation);
  const signingTypes = ASYMMETRIC_SIGNING.filter((t) => generates(t, 'sign'));
  const allTypes: BackendKeyType[] = [...(Object.keys(KEY_TYPES) as KeyTypeName[]), 'hmac-sha256'];

  describe(`KmsBackend conformance: ${name}`, () => {
    let fx: ConformanceFixture;
    let backend: KmsBackend;
    beforeAll(async () => {
      fx = await setup();
      backend = fx.backend;
    });
    afterAll(async () => {
      await fx.close();
    });
    const suite: ConformanceSuite = {
      name,
      expected,
      backend: () => backend,
      fixture: () => fx,
      generates,
      has,
    };

    it('describes itself exactly as the expected capability matrix', () => {
      expect(backend.capabilities.type).toBe(backend.type);
      expect(normalized(backend.capabilities)).toEqual(normalized(expected));
      const implemented = OPTIONAL_OPERATIONS.filter((op) => typeof backend[op] === 'function');
      expect(implemented).toEqual(OPTIONAL_OPERATIONS.filter(has));
    });

    it('reports a missing key as undefined / ERR_NOT_FOUND, for lookups and operations', async () => {
      const ref = fx.newKeyRef('missing');
      await expect(backend.findKey(ref)).resolves.toBeUndefined();
      const e = await expectCode(backend.getKey(ref), 'ERR_NOT_FOUND');
      expect(e.message).toContain(ref.name);
      await expectCode(backend.sign(ref, MESSAGE, { hash: 'sha2-256' }), 'ERR_NOT_FOUND');
      await expectCode(backend.getPublicKey(ref), 'ERR_NOT_FOUND');
    });

    const notGenerated = allTypes.filter((t) => expected.generate[t] === undefined);
    if (notGenerated.length > 0) {
      it.each(notGenerated)('refuses to generate %s with ERR_UNSUPPORTED_KEY_TYPE', async (t) => {
        const e = await expectCode(
          backend.generateKey(fx.newKeyRef('unsupported'), {
            keyType: t,
            usages: t.startsWith('aes') ? ['encrypt'] : t.startsWith('hmac') ? ['mac'] : ['sign'],
          }),
          'ERR_UNSUPPORTED_KEY_TYPE',
        );
        expect(e.message).toContain(t);
      });
    }

    describeSigning(suite);

    describeEncryption(suite);

    describeByokImport(suite);

    const hashedSigningType = signingTypes.find((t) => t !== 'ed25519');
    if (hashedSigningType === undefined) throw new Error(`${name}: the matrix signs nothing`);

    if (expected.faultInjection) {
      describe('throttling and server errors', () => {
        it('retries transient failures and succeeds; gives up with ERR_BACKEND_UNAVAILABLE', async () => {
          const failNextSigns = fx.failNextSigns?.bind(fx);
          if (failNextSigns === undefined) throw new Error('the fixture has no fault injection');
          const type = hashedSigningType;
          const ref = fx.newKeyRef('retry');
          await backend.generateKey(ref, { keyType: type, usages: ['sign', 'verify'] });
          const publicKey = await backend.getPublicKey(ref);
          const key = await backend.getKey(ref);
          const scheme = key.signatures[0];
          if (scheme === undefined) throw new Error('no scheme');
          const options = { hash: scheme.hash, pss: scheme.pss };

          await failNextSigns(2);
          const signature = await backend.sign(ref, MESSAGE, options);
          expect(nodeVerifies(publicKey, type, scheme, MESSAGE, signature)).toBe(true);

          await failNextSigns(3);
          const e = await expectCode(
            backend.sign(ref, MESSAGE, options),
            'ERR_BACKEND_UNAVAILABLE',
          );
          expect(e.attempts).toBe(3);
          await failNextSigns(0);
        });
      });
    }

    it('runs concurrent operations within max_parallel', async () => {
      const type = hashedSigningType;
      const ref = fx.newKeyRef('parallel');
      await backend.generateKey(ref, { keyType: type, usages: ['sign', 'verify'] });
      const key = await backend.getKey(ref);
      const scheme = key.signatures[0];
      if (scheme === undefined) throw new Error('no scheme');
      const signatures = await Promise.all(
        Array.from({ length: 8 }, () =>
          backend.sign(ref, MESSAGE, { hash: scheme.hash, pss: scheme.pss }),
        ),
      );
      const publicKey = await backend.getPublicKey(ref);
      for (const s of signatures)
        expect(nodeVerifies(publicKey, type, scheme, MESSAGE, s)).toBe(true);
    });
  });
}
