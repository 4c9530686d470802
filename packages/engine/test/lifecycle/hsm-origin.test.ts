/**
 * Central keys generated INSIDE a SoftHSM2 token (origin `hsm:<pkcs11 kms>`): the store keeps a
 * reference only, the token object is sensitive + extractable, versions are found again by
 * CKA_ID after a crash, and the key reaches AWS / Azure / GCP (emulators, real SDK backends)
 * only as the token-assembled BYOK blob — checked by reading each cloud's public key back and
 * comparing it (through the openssl CLI) with the token's. Refusals are typed and name fields.
 */
import { createDecipheriv, createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EncryptCommand } from '@aws-sdk/client-kms';
import * as pkcs11js from 'pkcs11js';
import { parsePolicy, type KeyRef } from '@keyplane/engine';
import { tokenRef } from '../../src/lifecycle/origin';
import { opensslOk } from '../crypto-helpers/openssl-cli';
import { rejection } from '../support/rejection';
import { startTestClouds, type TestClouds } from './clouds';
import { describeEachStore, testLifecycle, type TestLifecycle } from './support';

jest.setTimeout(120_000);

describeEachStore('HSM-origin central keys', (fixture) => {
  let t: TestLifecycle;
  let c: TestClouds;

  beforeAll(async () => {
    c = await startTestClouds('kp-hsm-origin');
    t = await testLifecycle({}, fixture());
    await c.connect(t);
  });
  afterAll(async () => {
    await t.dispose();
    await c.close();
  });

  /** DER SPKI of a PEM, as the openssl CLI (an independent parser) re-encodes it. */
  function opensslSpki(pem: string, name: string): Buffer {
    const file = join(t.dir, `${name}.pem`);
    writeFileSync(file, pem);
    opensslOk(['pkey', '-pubin', '-in', file, '-outform', 'DER', '-out', `${file}.der`], t.dir);
    return readFileSync(`${file}.der`);
  }

  async function cloudPem(kms: 'aws' | 'azure' | 'gcp', key: string, v: number): Promise<string> {
    const d = await t.keys.distributions.read(kms, key);
    const held = d.versions[String(v)];
    const pub = await c.readers[kms].getPublicKey({
      name: d.kms_key_name,
      version: held?.cloud_version,
    });
    return String(pub.export({ type: 'spki', format: 'pem' }));
  }

  it('generates in the token, keeps only a reference, and distributes to AWS, Azure and GCP', async () => {
    const created = await t.keys.create('hsm-rsa', { type: 'rsa-3072', origin: 'hsm:hsm' });
    expect(created.origin).toBe('hsm:hsm');
    expect(created.latest_version).toBe(1);

    // The store holds no sealed material for the version, only the token reference.
    const key = await t.store.get('key', 'root', 'hsm-rsa');
    const [version] = await t.store.list('key_version', { parent: key?.id ?? '' });
    expect(version?.secretFields).toEqual([]);
    const ref = tokenRef(key?.id ?? '', 1);
    expect(version?.attributes).toMatchObject({ token: { label: ref.name, id: ref.id } });

    // The token's public key is the one the store reports.
    const tokenPem = String(
      (await c.readers.hsm.getPublicKey(ref)).export({ type: 'spki', format: 'pem' }),
    );
    expect(opensslSpki(tokenPem, 'token-v1')).toEqual(
      opensslSpki(created.versions['1']?.public_key_pem ?? '', 'store-v1'),
    );

    for (const kms of ['aws', 'azure', 'gcp'] as const) {
      await t.keys.distributions.distribute(kms, 'hsm-rsa', { purpose: 'sign,verify' });
      expect(opensslSpki(await cloudPem(kms, 'hsm-rsa', 1), `${kms}-v1`)).toEqual(
        opensslSpki(tokenPem, 'token-v1'),
      );
    }

    // Rotation generates v2 in the token and pushes it to every cloud.
    const rotated = await t.keys.rotate('hsm-rsa');
    const v2 = rotated.versions['2']?.public_key_pem ?? '';
    expect(v2).not.toBe(created.versions['1']?.public_key_pem);
    const tokenV2 = await c.readers.hsm.getPublicKey(tokenRef(key?.id ?? '', 2));
    expect(String(tokenV2.export({ type: 'spki', format: 'pem' }))).toBe(v2);
    for (const kms of ['aws', 'azure', 'gcp'] as const)
      expect(opensslSpki(await cloudPem(kms, 'hsm-rsa', 2), `${kms}-v2`)).toEqual(
        opensslSpki(v2, 'token-v2'),
      );
  });

  it('creates token objects sensitive and extractable (wrapped export only)', async () => {
    const created = await t.keys.create('hsm-p256', { type: 'ecdsa-p256', origin: 'hsm:hsm' });
    const key = await t.store.get('key', 'root', 'hsm-p256');
    const ref = tokenRef(key?.id ?? '', 1);
    // Read through a raw pkcs11js session: the attributes as the token stores them.
    const p11 = new pkcs11js.PKCS11();
    p11.load(c.token.module);
    // The backends of this process initialized the module already (one library instance).
    let initialized = false;
    try {
      p11.C_Initialize();
      initialized = true;
    } catch (e) {
      if (!String(e).includes('CKR_CRYPTOKI_ALREADY_INITIALIZED')) throw e;
    }
    try {
      const slot = p11
        .C_GetSlotList(true)
        .find((s) => p11.C_GetTokenInfo(s).label.trim() === c.token.label);
      if (slot === undefined) throw new Error('token slot not found');
      const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
      try {
        p11.C_Login(session, pkcs11js.CKU_USER, c.token.pin);
      } catch (e) {
        // Login state is per application: the lifecycle's sessions logged in already.
        if (!String(e).includes('CKR_USER_ALREADY_LOGGED_IN')) throw e;
      }
      p11.C_FindObjectsInit(session, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
        { type: pkcs11js.CKA_ID, value: Buffer.from(ref.id ?? '', 'hex') },
      ]);
      const handles = p11.C_FindObjects(session, 10);
      p11.C_FindObjectsFinal(session);
      expect(handles).toHaveLength(1);
      const [sensitive, extractable] = p11.C_GetAttributeValue(session, handles[0] as Buffer, [
        { type: pkcs11js.CKA_SENSITIVE },
        { type: pkcs11js.CKA_EXTRACTABLE },
      ]);
      expect((sensitive?.value as Buffer)[0]).toBe(1);
      expect((extractable?.value as Buffer)[0]).toBe(1);
      p11.C_CloseSession(session);
    } finally {
      if (initialized) p11.C_Finalize();
    }
    await t.keys.distributions.distribute('gcp', 'hsm-p256', { purpose: 'sign,verify' });
    expect(opensslSpki(await cloudPem('gcp', 'hsm-p256', 1), 'gcp-p256')).toEqual(
      opensslSpki(created.versions['1']?.public_key_pem ?? '', 'store-p256'),
    );
  });

  /**
   * The token's AES key as the openssl CLI recovers it from a token-assembled hybrid blob under
   * a test KEK (RSA-OAEP-SHA1 head, RFC 5649 tail): the "unwrap back to the same key" check.
   */
  async function opensslUnwrapTokenKey(ref: KeyRef): Promise<Buffer> {
    opensslOk(['genrsa', '-out', 'kek.pem', '2048'], t.dir);
    const kekPem = readFileSync(join(t.dir, 'kek.pem'));
    const blob = await (c.readers.hsm.exportWrapped?.(ref, createPublicKey(kekPem), 'sha1') ??
      Promise.reject(new Error('no exportWrapped')));
    writeFileSync(join(t.dir, 'head.bin'), blob.subarray(0, 256));
    writeFileSync(join(t.dir, 'tail.bin'), blob.subarray(256));
    const oaep = ['-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha1'];
    opensslOk(
      [
        'pkeyutl',
        '-decrypt',
        '-inkey',
        'kek.pem',
        '-in',
        'head.bin',
        '-out',
        'k.bin',
        ...oaep,
        '-pkeyopt',
        'rsa_mgf1_md:sha1',
      ],
      t.dir,
    );
    const k = readFileSync(join(t.dir, 'k.bin')).toString('hex');
    opensslOk(
      [
        'enc',
        '-d',
        '-id-aes256-wrap-pad',
        '-K',
        k,
        '-iv',
        'A65959A6',
        '-in',
        'tail.bin',
        '-out',
        'aes.bin',
      ],
      t.dir,
    );
    return readFileSync(join(t.dir, 'aes.bin'));
  }

  it('AES: the token-composed blob reaches AWS (symmetric shape) and GCP; openssl recovers the same key', async () => {
    await t.keys.create('hsm-aes', { type: 'aes256-gcm96', origin: 'hsm:hsm' });
    const key = await t.store.get('key', 'root', 'hsm-aes');
    const ref = tokenRef(key?.id ?? '', 1);
    const aes = await opensslUnwrapTokenKey(ref);
    expect(aes).toHaveLength(32);

    // The token encrypts (IV ‖ ciphertext ‖ tag); node decrypts under the recovered key.
    const secret = Buffer.from('payroll 2026-12');
    const sealed = await (c.readers.hsm.encrypt?.(ref, secret) ??
      Promise.reject(new Error('no encrypt')));
    const fromToken = createDecipheriv('aes-256-gcm', aes, sealed.subarray(0, 12));
    fromToken.setAuthTag(sealed.subarray(sealed.length - 16));
    expect(Buffer.concat([fromToken.update(sealed.subarray(12, -16)), fromToken.final()])).toEqual(
      secret,
    );

    // AWS encrypts with what it imported; the emulator's documented CiphertextBlob layout
    // (packages/emulators/src/aws-kms/ciphertext.ts: v2 header 71 bytes | IV 12 | tag 16 | ct,
    // AAD = header ‖ canonical empty context "[]") opens under the key openssl recovered.
    const d = await t.keys.distributions.distribute('aws', 'hsm-aes', {
      purpose: 'encrypt,decrypt',
    });
    const out = await c.aws.raw.send(
      new EncryptCommand({ KeyId: d.kms_key_name, Plaintext: secret }),
    );
    const blob = Buffer.from(out.CiphertextBlob ?? []);
    const header = blob.subarray(0, 71);
    const fromAws = createDecipheriv('aes-256-gcm', aes, blob.subarray(71, 83));
    fromAws.setAAD(Buffer.concat([header, Buffer.from('[]')]));
    fromAws.setAuthTag(blob.subarray(83, 99));
    expect(Buffer.concat([fromAws.update(blob.subarray(99)), fromAws.final()])).toEqual(secret);

    // GCP imports it too (its emulator checks the RFC 5649 integrity) and round-trips.
    await t.keys.distributions.distribute('gcp', 'hsm-aes', { purpose: 'encrypt,decrypt' });
    const g = await t.keys.distributions.read('gcp', 'hsm-aes');
    const gref = { name: g.kms_key_name };
    const gcpSealed = await (c.readers.gcp.encrypt?.(gref, secret) ??
      Promise.reject(new Error('-')));
    expect(await c.readers.gcp.decrypt?.(gref, gcpSealed)).toEqual(secret);
  });

  it('adopts a version the token generated before a crashed store write (no duplicate)', async () => {
    await t.keys.create('hsm-crash', { type: 'ecdsa-p384', origin: 'hsm:hsm' });
    const key = await t.store.get('key', 'root', 'hsm-crash');
    const ref = tokenRef(key?.id ?? '', 2);
    // What a rotation that died after C_GenerateKeyPair left behind.
    await c.readers.hsm.generateKey(ref, {
      keyType: 'ecdsa-p384',
      usages: ['sign', 'verify'],
      extractable: true,
    });
    const orphan = String(
      (await c.readers.hsm.getPublicKey(ref)).export({ type: 'spki', format: 'pem' }),
    );
    const rotated = await t.keys.rotate('hsm-crash');
    expect(rotated.versions['2']?.public_key_pem).toBe(orphan);
    const versions = await c.readers.hsm.listVersions({ name: ref.name });
    expect(versions).toHaveLength(1);
  });

  it('resumes a create that crashed after the key record, adopting the token object', async () => {
    const kms = await t.store.get('kms', 'root', 'hsm');
    // What a create that died after its first transaction and the token's generate left.
    const key = await t.store.transaction(
      async (tx) =>
        await tx.insert({
          kind: 'key',
          namespace: 'root',
          name: 'hsm-resume',
          ref: kms?.id ?? '',
          attributes: {
            type: 'ecdsa-p256',
            origin: 'hsm:hsm',
            deletion_allowed: false,
            min_enabled_version: 0,
            rotation_period: '',
            latest_version: 0,
          },
        }),
    );
    const ref = tokenRef(key.id, 1);
    await c.readers.hsm.generateKey(ref, {
      keyType: 'ecdsa-p256',
      usages: ['sign', 'verify'],
      extractable: true,
    });
    const orphan = String(
      (await c.readers.hsm.getPublicKey(ref)).export({ type: 'spki', format: 'pem' }),
    );
    const resumed = await t.keys.create('hsm-resume', { type: 'ecdsa-p256', origin: 'hsm:hsm' });
    expect(resumed.latest_version).toBe(1);
    expect(resumed.versions['1']?.public_key_pem).toBe(orphan);
    expect(await c.readers.hsm.listVersions({ name: ref.name })).toHaveLength(1);
    // A second create of the now complete key is refused as usual.
    expect(
      await rejection(t.keys.create('hsm-resume', { type: 'ecdsa-p256', origin: 'hsm:hsm' })),
    ).toMatchObject({ code: 'ERR_ALREADY_EXISTS', field: 'name' });
  });

  it('refuses bad origins, non-exportable targets and deleting the origin connection', async () => {
    expect(
      await rejection(t.keys.create('bad1', { type: 'rsa-2048', origin: 'hsm:nope' })),
    ).toMatchObject({ code: 'ERR_NOT_FOUND', field: 'origin' });
    expect(
      await rejection(t.keys.create('bad2', { type: 'rsa-2048', origin: 'hsm:aws' })),
    ).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', field: 'origin', allowed: ['pkcs11'] });
    expect(
      await rejection(t.keys.create('bad3', { type: 'rsa-2048', origin: 'cloud' })),
    ).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', field: 'origin' });
    expect(
      await rejection(t.keys.create('bad4', { type: 'ed25519', origin: 'hsm:hsm' })),
    ).toMatchObject({ code: 'ERR_UNSUPPORTED_KEY_TYPE', field: 'type' });
    expect(await t.keys.list()).not.toEqual(
      expect.arrayContaining(['bad1', 'bad2', 'bad3', 'bad4']),
    );

    await t.keys.create('hsm-target', { type: 'rsa-2048', origin: 'hsm:hsm' });
    expect(
      await rejection(t.keys.distributions.distribute('hsm', 'hsm-target', { purpose: 'sign' })),
    ).toMatchObject({
      code: 'ERR_UNSUPPORTED_TARGET',
      field: 'kms',
      allowed: ['awskms', 'azurekeyvault', 'gcpckms'],
    });
    expect(
      await rejection(
        t.keys.distributions.distribute('gcp', 'hsm-target', {
          purpose: 'sign',
          protection: 'software',
        }),
      ),
    ).toMatchObject({ code: 'ERR_UNSUPPORTED_PROTECTION', field: 'protection', allowed: ['hsm'] });
    expect((await t.keys.read('hsm-target')).distributions).toEqual([]);

    expect(await rejection(t.kms.delete('hsm'))).toMatchObject({
      code: 'ERR_IN_USE',
      field: 'name',
    });

    // Deleting the key destroys its token objects (after the store delete committed).
    const target = await t.store.get('key', 'root', 'hsm-target');
    const v1 = tokenRef(target?.id ?? '', 1);
    expect(await c.readers.hsm.findKey(v1)).toBeDefined();
    await t.keys.update('hsm-target', { deletion_allowed: true });
    await t.keys.delete('hsm-target');
    expect(await c.readers.hsm.findKey(v1)).toBeUndefined();
  });

  it("judges hsm:<kms> as origin 'hsm' in the key policy", async () => {
    const policy = parsePolicy({ version: 1, rules: { allowed_origins: ['software'] } });
    const p = await t.second({ policy });
    try {
      expect(
        await rejection(p.keys.create('hsm-policy', { type: 'rsa-2048', origin: 'hsm:hsm' })),
      ).toMatchObject({ code: 'ERR_POLICY_VIOLATION' });
      expect(await t.keys.list()).not.toContain('hsm-policy');
    } finally {
      await p.close();
    }
  });
});
