/**
 * Asymmetric and MAC operations: GetPublicKey, AsymmetricSign, AsymmetricDecrypt, MacSign,
 * MacVerify, GenerateRandomBytes. Argument checks follow fakekms' (GoogleCloudPlatform/
 * kms-integrations `fakekms/asymmetric_rpcs.go`, contract-tested against the service): wrong
 * digest / checksum mismatch → INVALID_ARGUMENT; version not ENABLED or wrong purpose →
 * FAILED_PRECONDITION.
 *
 * @module
 */
import {
  constants,
  createHash,
  createHmac,
  privateDecrypt,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { HASH_BYTES, algorithmSpec } from './algorithms';
import type { Int64Value, Operation, OperationContext } from './context';
import { int64Crc, verifyCrc } from './crc32c';
import { failedPrecondition, invalidArgument } from './errors';
import { privateKeyOf, publicKeyDer, publicKeyPem, secretOf } from './material';
import { parseLocation } from './names';
import { signData, signDigest } from './signing';
import { requireEnabled, usableVersion } from './usable';

/** Cloud KMS limits data / plaintext arguments to 64 KiB. */
const MAX_DATA_BYTES = 64 * 1024;

const getPublicKey = (
  req: { name: string; publicKeyFormat: string },
  { store }: OperationContext,
) => {
  const version = store.version(req.name);
  const material = requireEnabled(version);
  if (algorithmSpec(version.algorithm).key.type === 'secret')
    throw failedPrecondition(
      `Keys with algorithm ${version.algorithm} do not contain a public key.`,
    );
  const pem = publicKeyPem(material);
  const format = req.publicKeyFormat;
  if (format !== 'PUBLIC_KEY_FORMAT_UNSPECIFIED' && format !== 'PEM' && format !== 'DER')
    throw invalidArgument(`public_key_format ${format} is not supported for ${version.algorithm}.`);
  const data = format === 'DER' ? publicKeyDer(material) : Buffer.from(pem);
  return {
    pem,
    algorithm: version.algorithm,
    pemCrc32c: int64Crc(pem),
    name: version.name,
    protectionLevel: version.protectionLevel,
    publicKeyFormat: format === 'DER' ? 'DER' : 'PEM',
    publicKey: { data, crc32cChecksum: int64Crc(data) },
  };
};

interface SignRequest {
  readonly name: string;
  readonly digest: { readonly digest?: string; readonly [hash: string]: unknown } | null;
  readonly digestCrc32c: Int64Value | null;
  readonly data: Buffer;
  readonly dataCrc32c: Int64Value | null;
}

const asymmetricSign = (req: SignRequest, ctx: OperationContext) => {
  const { version, spec, material } = usableVersion(ctx, req.name, 'ASYMMETRIC_SIGN', 'signing');
  if (req.digestCrc32c !== null && req.dataCrc32c !== null)
    throw invalidArgument('Only one of digest_crc32c and data_crc32c may be set.');
  const digestField = req.digest?.digest;
  const hasData = req.data.length > 0;
  if (digestField !== undefined && hasData)
    throw invalidArgument('Only one of digest and data may be set.');
  if (digestField === undefined && !hasData)
    throw invalidArgument('One of digest or data must be set.');
  const verifiedDataCrc32c = verifyCrc('data', req.data, req.dataCrc32c);
  const key = privateKeyOf(material);
  let signature: Buffer;
  let verifiedDigestCrc32c = false;
  if (spec.hash === undefined) {
    if (!hasData)
      throw invalidArgument(`Algorithm ${spec.name} signs data, not a digest: set the data field.`);
    signature = signData(spec, key, req.data);
  } else {
    let digest: Buffer;
    if (digestField === undefined) digest = createHash(spec.hash).update(req.data).digest();
    else {
      if (digestField !== spec.hash)
        throw invalidArgument(
          `Algorithm ${spec.name} requires a ${spec.hash} digest, but digest.${digestField} was set.`,
        );
      digest = req.digest?.[digestField] as Buffer;
      if (digest.length !== HASH_BYTES[spec.hash])
        throw invalidArgument(
          `len(digest.${digestField})=${digest.length}, want ${HASH_BYTES[spec.hash]}.`,
        );
      verifiedDigestCrc32c = verifyCrc('digest', digest, req.digestCrc32c);
    }
    signature = signDigest(spec, key, digest);
  }
  return {
    signature,
    signatureCrc32c: int64Crc(signature),
    verifiedDigestCrc32c,
    verifiedDataCrc32c,
    name: version.name,
    protectionLevel: version.protectionLevel,
  };
};

const asymmetricDecrypt = (
  req: { name: string; ciphertext: Buffer; ciphertextCrc32c: Int64Value | null },
  ctx: OperationContext,
) => {
  const { version, spec, material } = usableVersion(
    ctx,
    req.name,
    'ASYMMETRIC_DECRYPT',
    'asymmetric decryption',
  );
  if (req.ciphertext.length === 0) throw invalidArgument('ciphertext is required.');
  const verifiedCiphertextCrc32c = verifyCrc('ciphertext', req.ciphertext, req.ciphertextCrc32c);
  let plaintext: Buffer;
  try {
    plaintext = privateDecrypt(
      {
        key: privateKeyOf(material),
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: spec.hash,
      },
      req.ciphertext,
    );
  } catch {
    throw invalidArgument(
      `Decryption failed: the ciphertext is not RSA-OAEP-${(spec.hash ?? '').toUpperCase()} for ${version.name}.`,
    );
  }
  return {
    plaintext,
    plaintextCrc32c: int64Crc(plaintext),
    verifiedCiphertextCrc32c,
    protectionLevel: version.protectionLevel,
  };
};

interface MacRequest {
  readonly name: string;
  readonly data: Buffer;
  readonly dataCrc32c: Int64Value | null;
  readonly mac?: Buffer;
  readonly macCrc32c?: Int64Value | null;
}

function computeMac(req: MacRequest, ctx: OperationContext, use: string) {
  const usable = usableVersion(ctx, req.name, 'MAC', use);
  if (req.data.length > MAX_DATA_BYTES)
    throw invalidArgument(`len(data)=${req.data.length}, want len(data)<=${MAX_DATA_BYTES}.`);
  const verifiedDataCrc32c = verifyCrc('data', req.data, req.dataCrc32c);
  const mac = createHmac(usable.spec.hash ?? 'sha256', secretOf(usable.material))
    .update(req.data)
    .digest();
  return { ...usable, mac, verifiedDataCrc32c };
}

const macSign = (req: MacRequest, ctx: OperationContext) => {
  const { version, mac, verifiedDataCrc32c } = computeMac(req, ctx, 'MAC signing');
  return {
    name: version.name,
    mac,
    macCrc32c: int64Crc(mac),
    verifiedDataCrc32c,
    protectionLevel: version.protectionLevel,
  };
};

const macVerify = (req: MacRequest, ctx: OperationContext) => {
  const { version, mac, verifiedDataCrc32c } = computeMac(req, ctx, 'MAC verification');
  const given = req.mac ?? Buffer.alloc(0);
  if (given.length === 0) throw invalidArgument('mac is required.');
  const verifiedMacCrc32c = verifyCrc('mac', given, req.macCrc32c);
  const success = given.length === mac.length && timingSafeEqual(given, mac);
  return {
    name: version.name,
    success,
    verifiedDataCrc32c,
    verifiedMacCrc32c,
    verifiedSuccessIntegrity: success,
    protectionLevel: version.protectionLevel,
  };
};

const generateRandomBytes = (req: {
  location: string;
  lengthBytes: number;
  protectionLevel: string;
}) => {
  parseLocation(req.location);
  if (req.lengthBytes < 8 || req.lengthBytes > 1024)
    throw invalidArgument('length_bytes must be between 8 and 1024.');
  if (req.protectionLevel !== 'HSM')
    throw invalidArgument('GenerateRandomBytes supports protection_level HSM only.');
  const data = randomBytes(req.lengthBytes);
  return { data, dataCrc32c: int64Crc(data) };
};

export const cryptoOperations: Readonly<Record<string, Operation>> = {
  GetPublicKey: getPublicKey,
  AsymmetricSign: asymmetricSign,
  AsymmetricDecrypt: asymmetricDecrypt,
  MacSign: macSign,
  MacVerify: macVerify,
  GenerateRandomBytes: generateRandomBytes,
};
