/**
 * Importing key material (BYOK): GetParametersForImport, ImportKeyMaterial,
 * DeleteImportedKeyMaterial. Each GetParametersForImport call makes a fresh RSA wrapping key and
 * an opaque import token bound to the key and the wrapping algorithm, valid 24 hours (AWS
 * "Download the public key and import token").
 *
 * @module
 */
import { createPrivateKey, createPublicKey, generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { unwrapKeyMaterial } from './byok';
import { kmsError } from './errors';
import {
  KEY_SPECS,
  RETIRED_WRAPPING_ALGORITHMS,
  WRAPPING_ALGORITHMS,
  WRAPPING_KEY_SPECS,
  type KeySpecInfo,
} from './key-specs';
import { checkImportedMaterial, materialIdOf } from './material';
import {
  epochSeconds,
  optionalEnum,
  optionalString,
  optionalTimestampMs,
  requiredBlob,
  requiredEnum,
  requiredString,
  type Operation,
} from './request';
import {
  requireNotPendingDeletion,
  type ExpirationModel,
  type KeyRecord,
  type KmsStore,
} from './store';

const generateKeyPairAsync = promisify(generateKeyPair);
const HOUR_MS = 3_600_000;
const TOKEN_LIFETIME_MS = 24 * HOUR_MS;
const MAX_VALID_TO_MS = 365 * 24 * HOUR_MS;
/** Opaque token prefix so a token is recognisably ours in logs; the rest is random. */
const TOKEN_MAGIC = Buffer.from('KPIT', 'ascii');

function externalKey(store: KmsStore, keyId: string): { key: KeyRecord; spec: KeySpecInfo } {
  const key = store.resolveKey(keyId);
  if (key.origin !== 'EXTERNAL')
    throw kmsError(
      'UnsupportedOperationException',
      `${store.keyArn(key.id)} origin is ${key.origin} which is not valid for this operation.`,
    );
  requireNotPendingDeletion(store, key);
  const spec = KEY_SPECS[key.keySpec];
  if (spec === undefined) throw kmsError('KMSInternalException', `Unknown key spec ${key.keySpec}`);
  return { key, spec };
}

export const GetParametersForImport: Operation = async (store, req) => {
  const keyId = requiredString(req, 'KeyId');
  const algorithm = requiredEnum(req, 'WrappingAlgorithm', [
    ...Object.keys(WRAPPING_ALGORITHMS),
    ...RETIRED_WRAPPING_ALGORITHMS,
  ]);
  const wrappingKeySpec = requiredEnum(req, 'WrappingKeySpec', [
    ...Object.keys(WRAPPING_KEY_SPECS),
    'SM2',
  ]);
  const info = WRAPPING_ALGORITHMS[algorithm];
  const bits = WRAPPING_KEY_SPECS[wrappingKeySpec];
  if (info === undefined)
    throw kmsError(
      'ValidationException',
      `WrappingAlgorithm ${algorithm} is not supported (retired or China Regions only)`,
    );
  if (bits === undefined)
    throw kmsError(
      'ValidationException',
      `WrappingKeySpec ${wrappingKeySpec} is only available in China Regions`,
    );
  const { key, spec } = externalKey(store, keyId);
  // AWS: RSA private keys are too large for direct OAEP, so RSAES_OAEP_* cannot wrap them; and
  // P-521 PKCS#8 does not fit a direct OAEP block under a 2048-bit wrapping key.
  if (info.scheme === 'direct' && spec.family === 'rsa')
    throw kmsError(
      'ValidationException',
      `${algorithm} cannot wrap RSA key material (${key.keySpec}); use RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256`,
    );
  if (info.scheme === 'direct' && key.keySpec === 'ECC_NIST_P521' && wrappingKeySpec === 'RSA_2048')
    throw kmsError(
      'ValidationException',
      `${algorithm} with wrapping key spec RSA_2048 cannot wrap ECC_NIST_P521 key material; use a larger wrapping key or an RSA_AES_KEY_WRAP algorithm`,
    );

  const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: bits });
  const token = Buffer.concat([TOKEN_MAGIC, randomBytes(60)]).toString('base64');
  const validTo = store.now() + TOKEN_LIFETIME_MS;
  store.tokens.set(token, {
    keyId: key.id,
    wrappingAlgorithm: algorithm,
    wrappingKeySpec,
    privateKeyDer: privateKey.export({ format: 'der', type: 'pkcs8' }),
    validTo,
  });
  store.persist();
  return {
    KeyId: store.keyArn(key.id),
    ImportToken: token,
    PublicKey: createPublicKey(privateKey)
      .export({ format: 'der', type: 'spki' })
      .toString('base64'),
    ParametersValidTo: epochSeconds(validTo),
  };
};

/** ExpirationModel + ValidTo rules of ImportKeyMaterial. */
function readExpiry(
  store: KmsStore,
  req: Parameters<Operation>[1],
): { model: ExpirationModel; validTo?: number } {
  const validTo = optionalTimestampMs(req, 'ValidTo');
  const model =
    optionalEnum(req, 'ExpirationModel', [
      'KEY_MATERIAL_EXPIRES',
      'KEY_MATERIAL_DOES_NOT_EXPIRE',
    ] as const) ??
    (validTo === undefined ? 'KEY_MATERIAL_DOES_NOT_EXPIRE' : 'KEY_MATERIAL_EXPIRES');
  if (model === 'KEY_MATERIAL_DOES_NOT_EXPIRE') {
    if (validTo !== undefined)
      throw kmsError(
        'ValidationException',
        'ValidTo must be omitted when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE',
      );
    return { model };
  }
  if (validTo === undefined)
    throw kmsError(
      'ValidationException',
      'A ValidTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES',
    );
  const now = store.now();
  if (validTo <= now) throw kmsError('ValidationException', 'ValidTo must be in the future');
  if (validTo > now + MAX_VALID_TO_MS)
    throw kmsError('ValidationException', 'ValidTo must be no more than 365 days in the future');
  return { model, validTo };
}

export const ImportKeyMaterial: Operation = (store, req) => {
  const keyId = requiredString(req, 'KeyId');
  const token = requiredBlob(req, 'ImportToken', 1, 6144).toString('base64');
  const blob = requiredBlob(req, 'EncryptedKeyMaterial', 1, 6144);
  const expiry = readExpiry(store, req);
  const importType = optionalEnum(req, 'ImportType', [
    'NEW_KEY_MATERIAL',
    'EXISTING_KEY_MATERIAL',
  ] as const);
  const symmetricOnlyMember =
    importType ??
    optionalString(req, 'KeyMaterialDescription') ??
    optionalString(req, 'KeyMaterialId');
  const { key, spec } = externalKey(store, keyId);
  const arn = store.keyArn(key.id);
  // AWS: ImportType / KeyMaterialDescription / KeyMaterialId exist for symmetric keys only;
  // asymmetric and HMAC material can never change after the first import.
  if (symmetricOnlyMember !== undefined && spec.family !== 'symmetric')
    throw kmsError(
      'ValidationException',
      `ImportType, KeyMaterialDescription and KeyMaterialId are only valid for symmetric encryption keys, not ${key.keySpec}`,
    );
  if (importType === 'NEW_KEY_MATERIAL')
    throw kmsError(
      'UnsupportedOperationException',
      'Importing new key material for on-demand rotation is not supported by the Keyplane emulator',
    );

  const record = store.tokens.get(token);
  if (record === undefined || record.keyId !== key.id)
    throw kmsError('InvalidImportTokenException', `The import token is not valid for ${arn}.`);
  if (record.validTo <= store.now())
    throw kmsError('ExpiredImportTokenException', `The import token for ${arn} has expired.`);
  const algorithm = WRAPPING_ALGORITHMS[record.wrappingAlgorithm];
  if (algorithm === undefined)
    throw kmsError('KMSInternalException', 'token has an unknown algorithm');

  const wrappingKey = createPrivateKey({ key: record.privateKeyDer, format: 'der', type: 'pkcs8' });
  const material = checkImportedMaterial(
    spec,
    unwrapKeyMaterial(blob, wrappingKey, algorithm),
    arn,
  );
  const materialId = materialIdOf(key.id, material);
  if (key.materialId !== undefined && key.materialId !== materialId)
    throw kmsError(
      'IncorrectKeyMaterialException',
      `The key material does not match the key material previously imported into ${arn}.`,
    );
  key.material = material;
  key.materialId = materialId;
  key.expirationModel = expiry.model;
  key.validTo = expiry.validTo;
  store.persist();
  return { KeyId: arn, KeyMaterialId: materialId };
};

export const DeleteImportedKeyMaterial: Operation = (store, req) => {
  const { key } = externalKey(store, requiredString(req, 'KeyId'));
  key.material = undefined;
  key.expirationModel = undefined;
  key.validTo = undefined;
  store.persist();
  return {
    KeyId: store.keyArn(key.id),
    ...(key.materialId === undefined ? {} : { KeyMaterialId: key.materialId }),
  };
};
