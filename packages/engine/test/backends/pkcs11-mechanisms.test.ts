/**
 * PKCS#11 mechanisms (Vault managed-key seeds 0x0001, 0x1041, 0x000D, 0x0009) at backend
 * level with OpenSSL / node:crypto cross-checks, BYOK import into the token (attributes read
 * back from the token itself), and version state via CKA_* usage attributes.
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
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pkcs11js from 'pkcs11js';
import { generateKeyMaterial } from '@keyplane/engine';
import { Pkcs11Backend } from '../../src/backends/pkcs11';
import { openssl, withTempDir } from '../../../../test/support/openssl';
import { useTestToken, using } from './support/pkcs11-token';
import { rejection } from '../support/rejection';

const TOKEN_LABEL = 'kp-pkcs11-mechanisms';
process.env.METADATA_SERVER_DETECTION = 'none';
process.env.AWS_EC2_METADATA_DISABLED = 'true';

const MESSAGE = Buffer.from('keyplane pkcs11 message');

const hsm = useTestToken(TOKEN_LABEL);

describe('mechanisms (Vault managed-key seeds) at backend level', () => {
  let backend: Pkcs11Backend;
  beforeAll(() => {
    backend = new Pkcs11Backend(hsm.config());
  });
  afterAll(async () => {
    await backend.close();
  });

  function opensslVerifies(publicKey: KeyObject, digest: string, signature: Buffer): string {
    return withTempDir((dir) => {
      writeFileSync(join(dir, 'pub.pem'), publicKey.export({ format: 'pem', type: 'spki' }));
      writeFileSync(join(dir, 'msg.bin'), MESSAGE);
      writeFileSync(join(dir, 'sig.bin'), signature);
      const args = [
        'dgst',
        `-${digest}`,
        '-verify',
        join(dir, 'pub.pem'),
        '-signature',
        join(dir, 'sig.bin'),
        join(dir, 'msg.bin'),
      ];
      return openssl(args).toString('utf8').trim();
    });
  }

  it('0x0001 CKM_RSA_PKCS over a DigestInfo built in node: openssl dgst -verify accepts it (SHA-256 and SHA3-256)', async () => {
    const r = hsm.ref('rsa-pkcs');
    await backend.generateKey(r, { keyType: 'rsa-2048', usages: ['sign', 'verify'] });
    const publicKey = await backend.getPublicKey(r);
    for (const [hash, digest] of [
      ['sha2-256', 'sha256'],
      ['sha3-256', 'sha3-256'],
    ] as const) {
      const signature = await backend.sign(r, MESSAGE, { hash });
      expect(opensslVerifies(publicKey, digest, signature)).toBe('Verified OK');
      await expect(backend.verify(r, MESSAGE, signature, { hash })).resolves.toBe(true);
      await expect(backend.verify(r, MESSAGE, signature.subarray(1), { hash })).resolves.toBe(
        false,
      );
    }
  });

  it('0x1041 CKM_ECDSA over a node digest, DER out: openssl dgst -verify accepts it; malformed DER verifies false', async () => {
    const r = hsm.ref('ecdsa');
    await backend.generateKey(r, { keyType: 'ecdsa-p384', usages: ['sign', 'verify'] });
    const publicKey = await backend.getPublicKey(r);
    const signature = await backend.sign(r, MESSAGE, { hash: 'sha2-384' });
    expect(signature[0]).toBe(0x30);
    expect(opensslVerifies(publicKey, 'sha384', signature)).toBe('Verified OK');
    const digest = createHash('sha384').update(MESSAGE).digest();
    await expect(
      backend.verify(r, digest, signature, { hash: 'sha2-384', input: 'digest' }),
    ).resolves.toBe(true);
    await expect(
      backend.verify(r, MESSAGE, Buffer.from([0x30, 0x02, 0x05, 0x00]), { hash: 'sha2-384' }),
    ).resolves.toBe(false);
  });

  it('CKM_ECDSA digest signatures repeated on one (key type, options) plan: each openssl-verified, a wrong-length digest still refused every time', async () => {
    const r = hsm.ref('ecdsa-plan');
    await backend.generateKey(r, { keyType: 'ecdsa-p256', usages: ['sign', 'verify'] });
    const publicKey = await backend.getPublicKey(r);
    const options = { hash: 'sha2-256', input: 'digest' } as const;
    const digest = createHash('sha256').update(MESSAGE).digest();
    for (let i = 0; i < 3; i++) {
      const signature = await backend.sign(r, digest, options);
      expect(opensslVerifies(publicKey, 'sha256', signature)).toBe('Verified OK');
      const e = await rejection(backend.sign(r, digest.subarray(1), options));
      expect(e).toMatchObject({ code: 'ERR_INVALID_DIGEST', field: 'digest' });
    }
    const other = await rejection(backend.sign(r, digest, { hash: 'sha2-384', input: 'digest' }));
    expect(other).toMatchObject({ code: 'ERR_INVALID_DIGEST', field: 'digest' });
  });

  it('0x000D CKM_RSA_PKCS_PSS with salt = hash length; no PSS for SHA-3', async () => {
    const r = hsm.ref('pss');
    await backend.generateKey(r, { keyType: 'rsa-2048', usages: ['sign', 'verify'] });
    const publicKey = await backend.getPublicKey(r);
    const signature = await backend.sign(r, MESSAGE, { hash: 'sha2-256', pss: true });
    const key = { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    expect(nodeVerify('sha256', MESSAGE, key, signature)).toBe(true);
    await expect(
      backend.verify(r, MESSAGE, signature, { hash: 'sha2-256', pss: true }),
    ).resolves.toBe(true);
    const e = await rejection(backend.sign(r, MESSAGE, { hash: 'sha3-256', pss: true }));
    expect(e).toMatchObject({ code: 'ERR_UNSUPPORTED_HASH_ALGORITHM', field: 'hash_algorithm' });
  });

  it('0x0009 CKM_RSA_PKCS_OAEP: SHA-1 round-trips with node; SHA-256 is refused naming algorithm', async () => {
    const r = hsm.ref('oaep');
    await backend.generateKey(r, {
      keyType: 'rsa-2048',
      usages: ['encrypt', 'decrypt', 'wrap', 'unwrap'],
    });
    const publicKey = await backend.getPublicKey(r);
    const secret = randomBytes(32);
    const ct = publicEncrypt(
      { key: publicKey, oaepHash: 'sha1', padding: constants.RSA_PKCS1_OAEP_PADDING },
      secret,
    );
    await expect(backend.decrypt(r, ct, { algorithm: 'rsa-oaep-sha1' })).resolves.toEqual(secret);
    const own = await backend.encrypt(r, secret, { algorithm: 'rsa-oaep-sha1' });
    await expect(backend.decrypt(r, own, { algorithm: 'rsa-oaep-sha1' })).resolves.toEqual(secret);
    for (const attempt of [
      backend.encrypt(r, secret),
      backend.decrypt(r, ct, { algorithm: 'rsa-oaep-sha256' }),
    ]) {
      const e = await rejection(attempt);
      expect(e).toMatchObject({ code: 'ERR_UNSUPPORTED_OPERATION', field: 'algorithm' });
    }
    await expect(
      backend.decrypt(r, Buffer.alloc(256, 1), { algorithm: 'rsa-oaep-sha1' }),
    ).rejects.toMatchObject({ code: 'ERR_DECRYPTION_FAILED' });
    // wrapKey / unwrapKey through C_WrapKey / C_UnwrapKey with the same OAEP parameters.
    const wrapped = await backend.wrapKey(r, secret, { algorithm: 'rsa-oaep-sha1' });
    await expect(backend.unwrapKey(r, wrapped, { algorithm: 'rsa-oaep-sha1' })).resolves.toEqual(
      secret,
    );
  });

  it('wraps with CKM_AES_KEY_WRAP_PAD under an AES key (RFC 5649 length) and unwraps; tampering fails', async () => {
    const r = hsm.ref('kwp');
    await backend.generateKey(r, { keyType: 'aes256-gcm96', usages: ['wrap', 'unwrap'] });
    const secret = randomBytes(32);
    const wrapped = await backend.wrapKey(r, secret);
    expect(wrapped).toHaveLength(40);
    await expect(backend.unwrapKey(r, wrapped)).resolves.toEqual(secret);
    const tampered = Buffer.from(wrapped);
    tampered.writeUInt8(tampered.readUInt8(3) ^ 1, 3);
    await expect(backend.unwrapKey(r, tampered)).rejects.toMatchObject({
      code: 'ERR_DECRYPTION_FAILED',
    });
    await expect(backend.encrypt(r, secret)).rejects.toMatchObject({
      code: 'ERR_UNSUPPORTED_OPERATION',
    });
  });
});

describe('BYOK import', () => {
  it('unwraps into a sensitive, non-extractable token key, tags CKA_ID and adopts a repeat', async () => {
    await using(hsm.config(), async (backend) => {
      const r = hsm.ref('import');
      const material = generateKeyMaterial('ecdsa-p256');
      const options = {
        keyplaneKey: 'central-import',
        keyplaneVersion: 3,
        usages: ['sign', 'verify'] as const,
      };
      const v = await backend.importKeyVersion(r, material, {
        ...options,
        usages: [...options.usages],
      });
      const again = await backend.importKeyVersion(r, material, {
        ...options,
        usages: [...options.usages],
      });
      expect(again).toEqual(v);
      expect(v).toMatchObject({
        version: '3',
        state: 'enabled',
        keyplaneKey: 'central-import',
        keyplaneVersion: 3,
      });
      expect(Buffer.from(v.id, 'hex').toString('utf8')).toBe('keyplane:central-import:v3');
      // Read the token directly (the backend's login is application-wide).
      const objects = hsm.counter.withSession(hsm.token.label, (session) => {
        const p = hsm.counter.pkcs11;
        p.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_ID, value: Buffer.from(v.id, 'hex') }]);
        const handles = p.C_FindObjects(session, 10);
        p.C_FindObjectsFinal(session);
        return handles.map((h) => {
          const [cls, token_] = p.C_GetAttributeValue(session, h, [
            { type: pkcs11js.CKA_CLASS },
            { type: pkcs11js.CKA_TOKEN },
          ]);
          const isPrivate = cls?.value.readUInt32LE(0) === pkcs11js.CKO_PRIVATE_KEY;
          const flags = isPrivate
            ? p
                .C_GetAttributeValue(session, h, [
                  { type: pkcs11js.CKA_SENSITIVE },
                  { type: pkcs11js.CKA_EXTRACTABLE },
                ])
                .map((a) => a.value[0])
            : [];
          return { isPrivate, token: token_?.value[0], flags };
        });
      });
      expect(objects).toHaveLength(2);
      expect(objects.find((o) => o.isPrivate)).toEqual({
        isPrivate: true,
        token: 1,
        flags: [1, 0],
      });
      const pub = await backend.getPublicKey({ ...r, version: '3' });
      expect(pub.export({ format: 'der', type: 'spki' })).toEqual(
        createPublicKey(material.key).export({ format: 'der', type: 'spki' }),
      );
      await expect(backend.listVersions(r)).resolves.toHaveLength(1);
      // Ed25519 is not importable on SoftHSM 2.6.1 (its PKCS#8 unwrap fails).
      const e = await rejection(
        backend.importKeyVersion(hsm.ref('ed'), generateKeyMaterial('ed25519'), {
          ...options,
          usages: ['sign'],
        }),
      );
      expect(e).toMatchObject({ code: 'ERR_UNSUPPORTED_KEY_TYPE' });
    });
  });
});

describe('version state', () => {
  it('disables by clearing CKA_SIGN on the token, refuses with ERR_KEY_STATE, and re-enables', async () => {
    await using(hsm.config(), async (backend) => {
      const r = hsm.ref('state');
      const key = await backend.generateKey(r, {
        keyType: 'ecdsa-p256',
        usages: ['sign', 'verify'],
      });
      expect(key.version).toBe('1');
      expect((await backend.setVersionEnabled(r, false)).state).toBe('disabled');
      const sign = hsm.counter.withSession(hsm.token.label, (session) => {
        const p = hsm.counter.pkcs11;
        p.C_FindObjectsInit(session, [
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
          { type: pkcs11js.CKA_LABEL, value: r.name },
        ]);
        const [h] = p.C_FindObjects(session, 1);
        p.C_FindObjectsFinal(session);
        return p.C_GetAttributeValue(session, h!, [{ type: pkcs11js.CKA_SIGN }])[0]?.value[0];
      });
      expect(sign).toBe(0);
      await expect(backend.sign(r, MESSAGE, { hash: 'sha2-256' })).rejects.toMatchObject({
        code: 'ERR_KEY_STATE',
      });
      await expect(backend.getKey(r)).resolves.toMatchObject({
        enabled: false,
        usages: ['sign', 'verify'],
      });
      expect((await backend.setVersionEnabled(r, true)).state).toBe('enabled');
      await expect(backend.sign(r, MESSAGE, { hash: 'sha2-256' })).resolves.toBeInstanceOf(Buffer);
      expect((await backend.scheduleVersionDeletion(r)).state).toBe('destroyed');
      await expect(backend.findKey(r)).resolves.toBeUndefined();
      await expect(backend.listVersions(r)).resolves.toMatchObject([
        { state: 'destroyed', version: '1' },
      ]);
    });
  });
});
