/**
 * Azure Key Vault emulator, BYOK end to end: a KEK created through the SDK, target keys made by
 * the OpenSSL CLI, `.byok` transfer blobs wrapped by the OpenSSL CLI (CKM_RSA_AES_KEY_WRAP with
 * OAEP SHA-1), imported with `KeyClient.importKey(…, { t })`, then used through the emulator and
 * checked with node:crypto against the ORIGINAL key. Refusals assert the SDK's RestError.
 */
import {
  createCipheriv,
  createHash,
  createPublicKey,
  randomBytes,
  verify,
  constants,
  type KeyObject,
} from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyClient, KeyVaultKey } from '@azure/keyvault-keys';
import { opensslAsync, opensslPkcs8Der } from '../../../test/support/openssl';
import { startAzureKeyVaultEmulator, type AzureKeyVaultEmulator } from '../src/azure-key-vault';
import {
  byokDocument,
  cryptoClient,
  keyClient,
  publicKeyOf,
  rawRequest,
  matching,
  restError,
  transferBlob,
  wrapForKek,
} from './support/azure-sdk';

interface Target {
  readonly pkcs8: Buffer;
  readonly publicKey: KeyObject;
}

let dir: string;
let vault: AzureKeyVaultEmulator;
let hsm: AzureKeyVaultEmulator;
let vaultClient: KeyClient;
let hsmClient: KeyClient;
let vaultKek: KeyVaultKey;
let hsmKek: KeyVaultKey;
const targets: Record<string, Target> = {};

const GENPKEY: Record<string, string[]> = {
  rsa2048: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  rsa3072: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072'],
  p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyplane-azure-byok-'));
  // The OpenSSL CLI makes the target keys: an implementation independent of the emulator.
  const keygen = Promise.all(
    Object.entries(GENPKEY).map(async ([name, args]) => {
      const path = join(dir, `${name}.pem`);
      await opensslAsync(['genpkey', ...args, '-out', path]);
      targets[name] = {
        pkcs8: opensslPkcs8Der(path),
        publicKey: createPublicKey(readFileSync(path)),
      };
    }),
  );
  [vault, hsm] = await Promise.all([
    startAzureKeyVaultEmulator({ service: 'vault' }),
    startAzureKeyVaultEmulator({ service: 'managed-hsm' }),
  ]);
  vaultClient = keyClient(vault);
  hsmClient = keyClient(hsm);
  [vaultKek, hsmKek] = await Promise.all([
    vaultClient.createRsaKey('kek', { hsm: true, keySize: 2048, keyOps: ['import'] }),
    hsmClient.createRsaKey('kek', { hsm: true, keySize: 3072, keyOps: ['import'] }),
    keygen,
  ]);
});

afterAll(async () => {
  await Promise.all([vault.close(), hsm.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const target = (name: string): Target => {
  const t = targets[name];
  if (t === undefined) throw new Error(`no target key ${name}`);
  return t;
};

/** Wraps `plaintext` for `kek` with the OpenSSL CLI and imports it through the SDK. */
async function importByok(
  client: KeyClient,
  kek: KeyVaultKey,
  name: string,
  plaintext: Uint8Array,
  jwk: { kty: string; crv?: string; keyOps: string[] },
  header: { kid?: string; enc?: string } = {},
): Promise<KeyVaultKey> {
  const blob = wrapForKek(plaintext, publicKeyOf(kek.key ?? {}));
  const doc = byokDocument(
    { kid: header.kid ?? kek.id ?? '', ...(header.enc ? { enc: header.enc } : {}) },
    blob,
  );
  return await client.importKey(name, { ...jwk, t: transferBlob(doc) });
}

const digestOf = (message: Buffer, hash = 'sha256'): Buffer =>
  createHash(hash).update(message).digest();

describe('BYOK import and use', () => {
  it.each([
    ['rsa2048', 'RS256'],
    ['rsa3072', 'PS256'],
  ] as const)(
    'imports %s into a vault and signs %s verifiable with the original key',
    async (name, alg) => {
      const imported = await importByok(vaultClient, vaultKek, `byok-${name}`, target(name).pkcs8, {
        kty: 'RSA-HSM',
        keyOps: ['sign', 'verify'],
      });
      expect(imported).toMatchObject({ keyType: 'RSA-HSM', keyOperations: ['sign', 'verify'] });
      expect(publicKeyOf(imported.key ?? {}).export({ format: 'jwk' })).toEqual(
        target(name).publicKey.export({ format: 'jwk' }),
      );
      const message = Buffer.from(`signed by the emulator with ${name}`);
      const { result } = await cryptoClient(vault, imported.id ?? '').sign(alg, digestOf(message));
      const padding =
        alg === 'PS256' ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING;
      expect(
        verify('sha256', message, { key: target(name).publicKey, padding, saltLength: 32 }, result),
      ).toBe(true);
    },
  );

  it('imports EC P-256 into a Managed HSM and signs ES256 as raw r‖s', async () => {
    const imported = await importByok(hsmClient, hsmKek, 'byok-p256', target('p256').pkcs8, {
      kty: 'EC-HSM',
      crv: 'P-256',
      keyOps: ['sign', 'verify'],
    });
    expect(imported).toMatchObject({ keyType: 'EC-HSM' });
    const message = Buffer.from('ecdsa through the managed HSM emulator');
    const { result } = await cryptoClient(hsm, imported.id ?? '').sign('ES256', digestOf(message));
    expect(result).toHaveLength(64);
    const key = { key: target('p256').publicKey, dsaEncoding: 'ieee-p1363' as const };
    expect(verify('sha256', message, key, result)).toBe(true);
  });

  it('imports EC P-384 into a vault (the BYOK spec allows EC targets there) and signs ES384', async () => {
    const imported = await importByok(vaultClient, vaultKek, 'byok-p384', target('p384').pkcs8, {
      kty: 'EC-HSM',
      crv: 'P-384',
      keyOps: ['sign'],
    });
    const message = Buffer.from('P-384');
    const { result } = await cryptoClient(vault, imported.id ?? '').sign(
      'ES384',
      digestOf(message, 'sha384'),
    );
    const key = { key: target('p384').publicKey, dsaEncoding: 'ieee-p1363' as const };
    expect(verify('sha384', message, key, result)).toBe(true);
  });

  it('imports an AES-256 key (oct-HSM) into a Managed HSM and wraps with it (A256KW)', async () => {
    const aes = randomBytes(32);
    const imported = await importByok(hsmClient, hsmKek, 'byok-aes', aes, {
      kty: 'oct-HSM',
      keyOps: ['wrapKey', 'unwrapKey'],
    });
    expect(imported).toMatchObject({ keyType: 'oct-HSM', keyOperations: ['wrapKey', 'unwrapKey'] });
    const dataKey = randomBytes(32);
    const crypto = cryptoClient(hsm, imported.id ?? '');
    const { result } = await crypto.wrapKey('A256KW', dataKey);
    // RFC 3394 is deterministic: the same wrap computed locally with the ORIGINAL key must match.
    const local = createCipheriv('id-aes256-wrap', aes, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
    expect(Buffer.from(result)).toEqual(Buffer.concat([local.update(dataKey), local.final()]));
    expect(Buffer.from((await crypto.unwrapKey('A256KW', result)).result)).toEqual(dataKey);
  });

  it('accepts key_hsm in standard padded base64 too', async () => {
    const blob = wrapForKek(target('p256').pkcs8, publicKeyOf(vaultKek.key ?? {}));
    const doc = byokDocument({ kid: vaultKek.id ?? '' }, blob);
    doc.ciphertext = Buffer.from(blob).toString('base64');
    const res = await rawRequest(vault, 'PUT', '/keys/byok-base64?api-version=7.5', {
      body: {
        key: {
          kty: 'EC-HSM',
          crv: 'P-256',
          key_ops: ['sign'],
          key_hsm: Buffer.from(transferBlob(doc)).toString('base64'),
        },
      },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ key: { kty: 'EC-HSM', crv: 'P-256' } });
  });
});

describe('BYOK refusals', () => {
  const rsaJwk = { kty: 'RSA-HSM', keyOps: ['sign', 'verify'] };

  it('refuses a kid that is not a KEK (no "import" key operation)', async () => {
    const notKek = await vaultClient.createRsaKey('not-kek', { hsm: true });
    const error = await restError(
      importByok(vaultClient, notKek, 'refused-1', target('rsa2048').pkcs8, rsaJwk),
    );
    expect(error).toMatchObject({
      statusCode: 400,
      code: 'BadParameter',
      message: matching(/not a key exchange key/),
    });
  });

  it('refuses a blob wrapped for another KEK', async () => {
    const other = await vaultClient.createRsaKey('other-kek', { hsm: true, keyOps: ['import'] });
    const error = await restError(
      importByok(vaultClient, other, 'refused-2', target('rsa2048').pkcs8, rsaJwk, {
        kid: vaultKek.id ?? '',
      }),
    );
    expect(error).toMatchObject({
      statusCode: 400,
      code: 'BadParameter',
      message: matching(/another KEK/),
    });
  });

  it("refuses another vault's KEK", async () => {
    const error = await restError(
      importByok(vaultClient, hsmKek, 'refused-3', target('rsa2048').pkcs8, rsaJwk),
    );
    expect(error).toMatchObject({
      statusCode: 400,
      code: 'BadParameter',
      message: matching(/does not belong to this vault/),
    });
  });

  it('refuses material that does not match the declared curve or key type', async () => {
    const p384AsP256 = await restError(
      importByok(hsmClient, hsmKek, 'refused-4', target('p384').pkcs8, {
        kty: 'EC-HSM',
        crv: 'P-256',
        keyOps: ['sign'],
      }),
    );
    expect(p384AsP256).toMatchObject({
      statusCode: 400,
      code: 'BadParameter',
      message: matching(/P-384 key but crv is P-256/),
    });
    const ecAsRsa = await restError(
      importByok(hsmClient, hsmKek, 'refused-5', target('p256').pkcs8, rsaJwk),
    );
    expect(ecAsRsa).toMatchObject({
      statusCode: 400,
      code: 'BadParameter',
      message: matching(/EC key but kty is RSA-HSM/),
    });
  });

  it('refuses an AES (oct-HSM) import into a vault: Managed HSM only', async () => {
    const error = await restError(
      importByok(vaultClient, vaultKek, 'refused-6', randomBytes(32), {
        kty: 'oct-HSM',
        keyOps: ['wrapKey'],
      }),
    );
    expect(error).toMatchObject({
      statusCode: 400,
      code: 'BadParameter',
      message: matching(/oct-HSM/),
    });
  });

  it('refuses corrupted ciphertext, a wrong enc and trailing bytes after the PKCS#8', async () => {
    const blob = wrapForKek(target('rsa2048').pkcs8, publicKeyOf(vaultKek.key ?? {}));
    const last = blob.length - 1;
    blob[last] = (blob[last] ?? 0) ^ 0x01;
    const corrupted = await restError(
      vaultClient.importKey('refused-7', {
        ...rsaJwk,
        t: transferBlob(byokDocument({ kid: vaultKek.id ?? '' }, blob)),
      }),
    );
    expect(corrupted).toMatchObject({
      statusCode: 400,
      code: 'BadParameter',
      message: matching(/integrity check/),
    });

    const wrongEnc = await restError(
      importByok(vaultClient, vaultKek, 'refused-8', target('rsa2048').pkcs8, rsaJwk, {
        enc: 'CKM_RSA_PKCS_OAEP',
      }),
    );
    expect(wrongEnc).toMatchObject({
      statusCode: 400,
      code: 'BadParameter',
      message: matching(/enc/),
    });

    const padded = Buffer.concat([target('rsa2048').pkcs8, Buffer.alloc(5)]);
    const trailing = await restError(
      importByok(vaultClient, vaultKek, 'refused-9', padded, rsaJwk),
    );
    expect(trailing).toMatchObject({
      statusCode: 400,
      code: 'BadParameter',
      message: matching(/trailing bytes/),
    });
  });
});
