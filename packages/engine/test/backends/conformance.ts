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
 */
import {
  constants,
  createHash,
  createPublicKey,
  publicEncrypt,
  randomBytes,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import {
  HASH_ALGORITHMS,
  HASH_ALGORITHM_NAMES,
  KEY_TYPES,
  generateKeyMaterial,
  type HashAlgorithmName,
  type KeyTypeName,
} from '@keyplane/engine';
import type {
  BackendKey,
  BackendKeyType,
  KeyRef,
  KeyUsage,
  KmsBackend,
  SignatureScheme,
} from '../../src/backends/contract';
import { rejection, type Rejection } from '../support/rejection';
import type { CapabilityMatrix, OptionalOperation } from './support/capability-matrix';

export interface ConformanceFixture {
  /** Built with `retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 }`. */
  readonly backend: KmsBackend;
  /** A fresh, backend-valid ref for a key that does not exist yet. */
  newKeyRef(label: string): KeyRef;
  /**
   * Makes the backend's next `times` sign requests fail with its retryable server error
   * (emulator fault injection). Absent where the backend has no fault injection (PKCS#11).
   */
  failNextSigns?(times: number): Promise<void>;
  close(): Promise<void>;
}

const MESSAGE = Buffer.from('keyplane conformance message');

/** Independent verification with node:crypto on the original message. */
export function nodeVerifies(
  publicKey: KeyObject,
  keyType: BackendKeyType,
  scheme: SignatureScheme,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (keyType === 'ed25519') return nodeVerify(null, message, publicKey, signature);
  if (scheme.hash === undefined) throw new Error(`${keyType} scheme without hash`);
  const hash = HASH_ALGORITHMS[scheme.hash];
  if (keyType.startsWith('rsa')) {
    const padding = scheme.pss ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING;
    const key = scheme.pss
      ? { key: publicKey, padding, saltLength: hash.length }
      : { key: publicKey, padding };
    return nodeVerify(hash.nodeName, message, key, signature);
  }
  return nodeVerify(hash.nodeName, message, { key: publicKey, dsaEncoding: 'der' }, signature);
}

const ASYMMETRIC_SIGNING: readonly KeyTypeName[] = [
  'rsa-2048',
  'rsa-3072',
  'rsa-4096',
  'ecdsa-p256',
  'ecdsa-p384',
  'ecdsa-p521',
  'ed25519',
];

/** Smallest type per family: the import tests' material. */
const IMPORT_REPRESENTATIVES: readonly KeyTypeName[] = [
  'rsa-2048',
  'ecdsa-p256',
  'ed25519',
  'aes256-gcm96',
];

function schemeName(s: SignatureScheme): string {
  return `${s.hash ?? 'pure'}${s.pss ? '/pss' : ''}`;
}

const OPTIONAL_OPERATIONS: readonly OptionalOperation[] = [
  'encrypt',
  'decrypt',
  'wrapKey',
  'unwrapKey',
  'mac',
  'verifyMac',
  'generateRandom',
];

const sorted = <T>(values: readonly T[]): T[] => [...values].sort();

/** Capabilities with every list sorted, for comparing as sets. */
function normalized(c: {
  readonly generate: Readonly<Partial<Record<string, readonly string[]>>>;
  readonly import: readonly string[];
  readonly protections: readonly string[];
  readonly nativeVersions: boolean;
}) {
  return {
    generate: Object.fromEntries(
      sorted(Object.keys(c.generate)).map((t) => [t, sorted(c.generate[t] ?? [])]),
    ),
    import: sorted(c.import),
    protections: sorted(c.protections),
    nativeVersions: c.nativeVersions,
  };
}

function expectSpki(publicKey: KeyObject, keyType: KeyTypeName): void {
  const t = KEY_TYPES[keyType];
  expect(publicKey.type).toBe('public');
  const details = publicKey.asymmetricKeyDetails;
  if (t.family === 'rsa') {
    expect(publicKey.asymmetricKeyType).toBe('rsa');
    expect(details?.modulusLength).toBe(t.bits);
    expect(details?.publicExponent).toBe(65537n);
  } else if (t.family === 'ecdsa') {
    expect(publicKey.asymmetricKeyType).toBe('ec');
    expect(details?.namedCurve).toBe(t.namedCurve);
  } else {
    expect(publicKey.asymmetricKeyType).toBe(t.family);
  }
}

/** A copy with the first bit flipped. */
function flipped(bytes: Uint8Array): Buffer {
  const copy = Buffer.from(bytes);
  copy.writeUInt8((copy.readUInt8(0) ^ 1) & 0xff, 0);
  return copy;
}

const spkiOf = (k: KeyObject): Buffer => k.export({ format: 'der', type: 'spki' });

async function expectCode(promise: Promise<unknown>, code: string): Promise<Rejection> {
  const error = await rejection(promise);
  expect(error.code).toBe(code);
  return error;
}

function usagesFor(keyType: KeyTypeName): KeyUsage[] {
  return KEY_TYPES[keyType].family === 'aes' ? ['encrypt', 'decrypt'] : ['sign', 'verify'];
}

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

    describe('encryption', () => {
      if (generates('aes256-gcm96', 'encrypt')) {
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
          await expectCode(
            decrypt(ref, ct, { aad: Buffer.from('other') }),
            'ERR_DECRYPTION_FAILED',
          );
        });
      }

      if (generates('rsa-2048', 'decrypt')) {
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

    if (generates('hmac-sha256', 'mac')) {
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

    if (has('generateRandom')) {
      it('returns random bytes of the asked length', async () => {
        const generateRandom = backend.generateRandom?.bind(backend);
        if (generateRandom === undefined) throw new Error('no generateRandom');
        const a = await generateRandom(32);
        const b = await generateRandom(32);
        expect(a).toHaveLength(32);
        expect(a.equals(b)).toBe(false);
      });
    }

    describe.each(IMPORT_REPRESENTATIVES)('BYOK import of %s', (keyType) => {
      const importOptions = {
        keyplaneKey: `central-${keyType}`,
        keyplaneVersion: 1,
        usages: usagesFor(keyType),
      };
      if (!expected.import.includes(keyType)) {
        it('is refused with ERR_UNSUPPORTED_KEY_TYPE', async () => {
          const ref = fx.newKeyRef(`import-${keyType}`);
          const material = generateKeyMaterial(keyType);
          await expectCode(
            backend.importKeyVersion(ref, material, importOptions),
            'ERR_UNSUPPORTED_KEY_TYPE',
          );
          await expect(backend.findKey(ref)).resolves.toBeUndefined();
        });
        return;
      }

      it('imports, tags, adopts a repeated import, and serves the imported material', async () => {
        const ref = fx.newKeyRef(`import-${keyType}`);
        const material = generateKeyMaterial(keyType);
        const v1 = await backend.importKeyVersion(ref, material, importOptions);
        expect(v1).toMatchObject({
          state: 'enabled',
          keyType,
          keyplaneKey: importOptions.keyplaneKey,
          keyplaneVersion: 1,
        });

        // A retried / crashed-and-rerun import finds the tagged version instead of adding one.
        const again = await backend.importKeyVersion(ref, material, importOptions);
        expect(again.id).toBe(v1.id);
        const versions = await backend.listVersions(ref);
        expect(versions.filter((v) => v.keyplaneVersion === 1)).toHaveLength(1);

        const at = { ...ref, version: v1.version };
        if (KEY_TYPES[keyType].family === 'aes') {
          const encrypt = backend.encrypt?.bind(backend);
          const decrypt = backend.decrypt?.bind(backend);
          if (encrypt === undefined || decrypt === undefined) throw new Error('no encrypt/decrypt');
          const ct = await encrypt(at, MESSAGE);
          await expect(decrypt(at, ct)).resolves.toEqual(MESSAGE);
          return;
        }
        const localPublic = createPublicKey(material.key);
        expect(spkiOf(await backend.getPublicKey(at))).toEqual(spkiOf(localPublic));
        const key = await backend.getKey(at);
        const scheme = key.signatures[0];
        if (scheme === undefined) throw new Error('imported signing key claims no scheme');
        const signature = await backend.sign(at, MESSAGE, { hash: scheme.hash, pss: scheme.pss });
        expect(nodeVerifies(localPublic, keyType, scheme, MESSAGE, signature)).toBe(true);
      });
    });

    const lifecycleType = IMPORT_REPRESENTATIVES.find(
      (t) => expected.import.includes(t) && t !== 'aes256-gcm96',
    );
    if (lifecycleType === undefined) throw new Error(`${name}: the matrix imports no signing key`);

    describe(`version lifecycle (imported ${lifecycleType} versions)`, () => {
      const type = lifecycleType;
      it('lists versions oldest first, disables, re-enables and schedules deletion of one', async () => {
        const ref = fx.newKeyRef('lifecycle');
        const base = { keyplaneKey: 'central-lifecycle', usages: usagesFor(type) };
        const v1 = await backend.importKeyVersion(ref, generateKeyMaterial(type), {
          ...base,
          keyplaneVersion: 1,
        });
        const v2 = await backend.importKeyVersion(ref, generateKeyMaterial(type), {
          ...base,
          keyplaneVersion: 2,
        });
        expect(v2.id).not.toBe(v1.id);
        const listed = await backend.listVersions(ref);
        expect(listed.map((v) => v.keyplaneVersion)).toEqual([1, 2]);
        expect(listed.every((v) => v.state === 'enabled')).toBe(true);

        const at1 = { ...ref, version: v1.version };
        const hash: HashAlgorithmName | undefined = type === 'ed25519' ? undefined : 'sha2-256';
        const disabled = await backend.setVersionEnabled(at1, false);
        expect(disabled.state).toBe('disabled');
        await expectCode(backend.sign(at1, MESSAGE, { hash }), 'ERR_KEY_STATE');
        // The other version is unaffected.
        await expect(
          backend.sign({ ...ref, version: v2.version }, MESSAGE, { hash }),
        ).resolves.toBeInstanceOf(Buffer);

        expect((await backend.setVersionEnabled(at1, true)).state).toBe('enabled');
        await expect(backend.sign(at1, MESSAGE, { hash })).resolves.toBeInstanceOf(Buffer);

        const deleted = await backend.scheduleVersionDeletion(at1, { pendingWindowDays: 7 });
        expect(['pending-deletion', 'destroyed']).toContain(deleted.state);
        const after = await backend.listVersions(ref);
        expect(after.find((v) => v.id === v1.id)?.state).toBe(deleted.state);
        expect(after.find((v) => v.id === v2.id)?.state).toBe('enabled');
      });
    });

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
