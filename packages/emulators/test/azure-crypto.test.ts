/**
 * Azure Key Vault emulator, cryptographic operations through the real CryptographyClient:
 * sign/verify (RS*, PS*, ES*), encrypt/decrypt and wrapKey/unwrapKey (RSA-OAEP, RSA-OAEP-256,
 * RSA1_5), with results checked by node:crypto against keys the test generated and imported as
 * plain JWKs; then the service-side checks: enabled, key_ops, validity window, algorithm fit.
 */
import {
  constants,
  createHash,
  generateKeyPairSync,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import type { CryptographyClient, JsonWebKey, KeyClient } from '@azure/keyvault-keys';
import { startAzureKeyVaultEmulator, type AzureKeyVaultEmulator } from '../src/azure-key-vault';
import { cryptoClient, keyClient, matching, publicKeyOf, restError } from './support/azure-sdk';

let kv: AzureKeyVaultEmulator;
let client: KeyClient;

/** A private JWK with byte fields as Uint8Array, the way `importKey` takes it. */
function sdkJwk(key: KeyObject): JsonWebKey {
  const jwk = key.export({ format: 'jwk' });
  const out: Record<string, unknown> = {
    kty: jwk.kty,
    ...(jwk.crv ? { crv: jwk.crv === 'secp256k1' ? 'P-256K' : jwk.crv } : {}),
  };
  for (const f of ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'x', 'y'] as const) {
    const v = jwk[f];
    if (typeof v === 'string') out[f] = Buffer.from(v, 'base64url');
  }
  return out;
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
let rsaCrypto: CryptographyClient;

beforeAll(async () => {
  kv = await startAzureKeyVaultEmulator({ service: 'vault' });
  client = keyClient(kv);
  const imported = await client.importKey('rsa', sdkJwk(rsa.privateKey));
  rsaCrypto = cryptoClient(kv, imported.id ?? '');
});

afterAll(async () => {
  await kv.close();
});

const HASH_BYTES = { sha256: 32, sha384: 48, sha512: 64 } as const;

describe('sign and verify a digest', () => {
  it.each([
    ['RS256', 'sha256'],
    ['RS384', 'sha384'],
    ['RS512', 'sha512'],
    ['PS256', 'sha256'],
    ['PS384', 'sha384'],
    ['PS512', 'sha512'],
  ] as const)('%s matches node:crypto and verifies through the service', async (alg, hash) => {
    const message = randomBytes(100);
    const digest = createHash(hash).update(message).digest();
    const { result } = await rsaCrypto.sign(alg, digest);
    const pss = alg.startsWith('PS');
    const key = {
      key: rsa.publicKey,
      padding: pss ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING,
      saltLength: HASH_BYTES[hash],
    };
    expect(verify(hash, message, key, result)).toBe(true);
    expect((await rsaCrypto.verify(alg, digest, result)).result).toBe(true);
    const tampered = Buffer.from(result);
    tampered[10] = (tampered[10] ?? 0) ^ 1;
    expect((await rsaCrypto.verify(alg, digest, tampered)).result).toBe(false);
  });

  it.each([
    ['ES256', 'P-256', 'sha256'],
    ['ES384', 'P-384', 'sha384'],
    ['ES512', 'P-521', 'sha512'],
    ['ES256K', 'secp256k1', 'sha256'],
  ] as const)('%s signs raw r‖s on %s', async (alg, namedCurve, hash) => {
    const ec = generateKeyPairSync('ec', { namedCurve });
    const imported = await client.importKey(`ec-${alg}`, sdkJwk(ec.privateKey));
    expect(imported.keyType).toBe('EC');
    const crypto = cryptoClient(kv, imported.id ?? '');
    const message = randomBytes(64);
    const digest = createHash(hash).update(message).digest();
    const { result } = await crypto.sign(alg, digest);
    expect(verify(hash, message, { key: ec.publicKey, dsaEncoding: 'ieee-p1363' }, result)).toBe(
      true,
    );
    expect((await crypto.verify(alg, digest, result)).result).toBe(true);
    // A DER-encoded ECDSA signature (node's default) is not the service's format.
    const der = sign(hash, message, ec.privateKey);
    expect((await crypto.verify(alg, digest, der)).result).toBe(false);
  });

  it('signs with a key the emulator generated (HSM), checked against its public JWK', async () => {
    const key = await client.createRsaKey('generated', { hsm: true, keySize: 3072 });
    const crypto = cryptoClient(kv, key.id ?? '');
    const message = Buffer.from('m');
    const digest = createHash('sha256').update(message).digest();
    const { result: pss } = await crypto.sign('PS256', digest);
    const pssKey = {
      key: publicKeyOf(key.key ?? {}),
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    };
    expect(verify('sha256', message, pssKey, pss)).toBe(true);
    // verifyData runs locally in the SDK, with PKCS#1 v1.5 whatever the algorithm: RS* only.
    const { result: pkcs1 } = await crypto.sign('RS256', digest);
    expect((await crypto.verifyData('RS256', message, pkcs1)).result).toBe(true);
  });
});

describe('encrypt, decrypt, wrap and unwrap', () => {
  it.each(['RSA-OAEP', 'RSA-OAEP-256', 'RSA1_5'] as const)(
    '%s round-trips and matches node:crypto',
    async (alg) => {
      const plaintext = randomBytes(32);
      // RSA-OAEP and RSA1_5 encrypt locally in the SDK; RSA-OAEP-256 goes to the emulator.
      const encrypted = await rsaCrypto.encrypt({ algorithm: alg, plaintext });
      if (alg !== 'RSA1_5') {
        const oaepHash = alg === 'RSA-OAEP' ? 'sha1' : 'sha256';
        const local = privateDecrypt(
          { key: rsa.privateKey, oaepHash, padding: constants.RSA_PKCS1_OAEP_PADDING },
          encrypted.result,
        );
        expect(local).toEqual(plaintext);
      }
      const decrypted = await rsaCrypto.decrypt({ algorithm: alg, ciphertext: encrypted.result });
      expect(Buffer.from(decrypted.result)).toEqual(plaintext);
    },
  );

  it('wraps with RSA-OAEP-256 in the service and unwraps what node:crypto wrapped', async () => {
    const dataKey = randomBytes(32);
    const wrapped = await rsaCrypto.wrapKey('RSA-OAEP-256', dataKey);
    expect(privateDecrypt({ key: rsa.privateKey, oaepHash: 'sha256' }, wrapped.result)).toEqual(
      dataKey,
    );
    const nodeWrapped = publicEncrypt({ key: rsa.publicKey, oaepHash: 'sha256' }, dataKey);
    expect(Buffer.from((await rsaCrypto.unwrapKey('RSA-OAEP-256', nodeWrapped)).result)).toEqual(
      dataKey,
    );
  });

  it('refuses a ciphertext of the wrong size and an algorithm the key cannot do', async () => {
    expect(
      await restError(rsaCrypto.decrypt({ algorithm: 'RSA-OAEP', ciphertext: randomBytes(10) })),
    ).toMatchObject({
      statusCode: 400,
      code: 'BadParameter',
    });
    expect(await restError(rsaCrypto.sign('ES256', randomBytes(32)))).toMatchObject({
      statusCode: 400,
      code: 'BadParameter',
    });
    expect(await restError(rsaCrypto.sign('RS256', randomBytes(20)))).toMatchObject({
      statusCode: 400,
      code: 'BadParameter',
      message: matching(/digest length/),
    });
  });
});

describe('service-side key checks', () => {
  it('refuses operations on a disabled key with 403 Forbidden', async () => {
    const key = await client.createEcKey('disabled', { curve: 'P-256', enabled: false });
    const error = await restError(cryptoClient(kv, key.id ?? '').sign('ES256', randomBytes(32)));
    expect(error).toMatchObject({
      statusCode: 403,
      code: 'Forbidden',
      message: matching(/disabled/),
    });
  });

  it('enforces key_ops and the expiry window on the service, not only in the SDK', async () => {
    const key = await client.createRsaKey('ops', { keySize: 2048 });
    const version = key.properties.version ?? '';
    // A CryptographyClient caches the key after its first call; later changes are only seen by
    // the service, so these calls reach the emulator's own checks.
    const crypto = cryptoClient(kv, key.id ?? '');
    const digest = randomBytes(32);
    const { result: signature } = await crypto.sign('RS256', digest);
    const ciphertext = (
      await crypto.encrypt({ algorithm: 'RSA-OAEP-256', plaintext: Buffer.from('x') })
    ).result;

    await client.updateKeyProperties('ops', version, { keyOps: ['verify', 'decrypt'] });
    expect(await restError(crypto.sign('RS256', digest))).toMatchObject({
      statusCode: 403,
      code: 'Forbidden',
      message: 'Operation sign is not permitted on this key.',
    });

    await client.updateKeyProperties('ops', version, {
      expiresOn: new Date(Date.now() - 120_000),
      keyOps: ['sign', 'verify', 'decrypt'],
    });
    expect(await restError(crypto.sign('RS256', digest))).toMatchObject({
      statusCode: 403,
      code: 'Forbidden',
    });
    // Expired keys still decrypt and verify, so old data stays readable.
    expect(
      Buffer.from(
        (await crypto.decrypt({ algorithm: 'RSA-OAEP-256', ciphertext })).result,
      ).toString(),
    ).toBe('x');
    expect((await crypto.verify('RS256', digest, signature)).result).toBe(true);
  });
});
