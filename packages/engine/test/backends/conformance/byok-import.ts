/**
 * Conformance section: BYOK import per key family (tagged, adopted on retry, serving the imported
 * material) or its typed refusal, and the version lifecycle (disable, enable, schedule deletion)
 * of imported versions.
 *
 * @module
 */
import { createPublicKey } from 'node:crypto';
import { KEY_TYPES, generateKeyMaterial, type HashAlgorithmName } from '@keyplane/engine';
import type { KmsBackend } from '../../../src/backends/contract';
import {
  IMPORT_REPRESENTATIVES,
  MESSAGE,
  expectCode,
  nodeVerifies,
  spkiOf,
  usagesFor,
  type ConformanceFixture,
  type ConformanceSuite,
} from './suite';

export function describeByokImport(s: ConformanceSuite): void {
  const { expected } = s;
  let fx: ConformanceFixture;
  let backend: KmsBackend;
  beforeAll(() => {
    fx = s.fixture();
    backend = s.backend();
  });

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
  if (lifecycleType === undefined) throw new Error(`${s.name}: the matrix imports no signing key`);

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
}
