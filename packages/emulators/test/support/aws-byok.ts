/**
 * BYOK test material made by the OpenSSL CLI (an implementation independent of the emulator):
 * private keys from `openssl genpkey`, their PKCS#8 DER and public keys, and the
 * GetParametersForImport → opensslWrap → ImportKeyMaterial round trip through the real SDK.
 */
import {
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  type ImportKeyMaterialCommandInput,
  type ImportKeyMaterialCommandOutput,
  type KMSClient,
  type WrappingKeySpec,
} from '@aws-sdk/client-kms';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import {
  openssl,
  opensslPkcs8Der,
  opensslWrap,
  withTempDir,
  type ByokFormat,
} from '../../../../test/support/openssl';

export type AwsWrappingAlgorithm =
  'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256' | 'RSA_AES_KEY_WRAP_SHA_1' | 'RSA_AES_KEY_WRAP_SHA_256';

export const ALL_WRAPPING_ALGORITHMS: readonly AwsWrappingAlgorithm[] = [
  'RSAES_OAEP_SHA_1',
  'RSAES_OAEP_SHA_256',
  'RSA_AES_KEY_WRAP_SHA_1',
  'RSA_AES_KEY_WRAP_SHA_256',
];

/** The opensslWrap format that matches an AWS wrapping algorithm. */
export function formatOf(algorithm: AwsWrappingAlgorithm): ByokFormat {
  return {
    scheme: algorithm.startsWith('RSA_AES') ? 'rsa-aes-key-wrap' : 'rsa-oaep',
    hash: algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256',
  };
}

export interface OpensslKey {
  /** PKCS#8 DER, exactly what AWS wants wrapped for asymmetric keys. */
  readonly pkcs8: Buffer;
  /** The public half, as `openssl pkey -pubout` prints it. */
  readonly publicKey: KeyObject;
}

/** `openssl genpkey` for `EC:<curve>` (P-256, P-384, P-521) or `RSA:<bits>`. */
export function opensslGenerateKey(kind: `EC:${string}` | `RSA:${number}`): OpensslKey {
  return withTempDir((dir) => {
    const path = join(dir, 'key.pem');
    const [type, param] = kind.split(':') as [string, string];
    const opts =
      type === 'EC'
        ? ['-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${param}`]
        : ['-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${param}`];
    openssl(['genpkey', ...opts, '-out', path]);
    const publicPem = openssl(['pkey', '-in', path, '-pubout']);
    return { pkcs8: opensslPkcs8Der(path), publicKey: createPublicKey(publicPem) };
  });
}

/** `openssl rand <n>`: raw symmetric / HMAC material. */
export const opensslRandom = (bytes: number): Buffer => openssl(['rand', String(bytes)]);

export interface WrapOptions {
  readonly wrappingKeySpec?: WrappingKeySpec;
  /** Wrap with this algorithm's format instead of the one requested (wrong-algorithm tests). */
  readonly wrapAs?: AwsWrappingAlgorithm;
  readonly importOverrides?: Partial<ImportKeyMaterialCommandInput>;
}

/** Full BYOK: GetParametersForImport, wrap with the OpenSSL CLI, ImportKeyMaterial. */
export async function byokImport(
  client: KMSClient,
  keyId: string,
  material: Buffer,
  algorithm: AwsWrappingAlgorithm,
  options: WrapOptions = {},
): Promise<ImportKeyMaterialCommandOutput> {
  const params = await client.send(
    new GetParametersForImportCommand({
      KeyId: keyId,
      WrappingAlgorithm: algorithm,
      WrappingKeySpec: options.wrappingKeySpec ?? 'RSA_2048',
    }),
  );
  const blob = opensslWrap(
    material,
    Buffer.from(params.PublicKey!),
    formatOf(options.wrapAs ?? algorithm),
  );
  return await client.send(
    new ImportKeyMaterialCommand({
      KeyId: keyId,
      ImportToken: params.ImportToken,
      EncryptedKeyMaterial: blob,
      ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      ...options.importOverrides,
    }),
  );
}
