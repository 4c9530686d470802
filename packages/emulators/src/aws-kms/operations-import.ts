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
  stringWithin,
  type Operation,
} from './request';
import {
  currentMaterial,
  deleteMaterial,
  requireNotPendingDeletion,
  type ExpirationModel,
  type ImportTokenRecord,
  type KeyRecord,
  type KmsStore,
  type MaterialRecord,
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

/**
 * ExpirationModel + ValidTo rules of ImportKeyMaterial. ExpirationModel defaults to
 * KEY_MATERIAL_EXPIRES (API reference), so omitting both is refused with AWS's recorded message.
 */
function readExpiry(
  store: KmsStore,
  req: Parameters<Operation>[1],
): { model: ExpirationModel; validTo?: number } {
  const validTo = optionalTimestampMs(req, 'ValidTo');
  const model =
    optionalEnum(req, 'ExpirationModel', [
      'KEY_MATERIAL_EXPIRES',
      'KEY_MATERIAL_DOES_NOT_EXPIRE',
    ] as const) ?? 'KEY_MATERIAL_EXPIRES';
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
      'A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES',
    );
  const now = store.now();
  if (validTo <= now) throw kmsError('ValidationException', 'ValidTo must be in the future');
  if (validTo > now + MAX_VALID_TO_MS)
    throw kmsError('ValidationException', 'ValidTo must be no more than 365 days in the future');
  return { model, validTo };
}

/** The token a GetParametersForImport of this key handed out, still valid. */
function importToken(store: KmsStore, key: KeyRecord, token: string): ImportTokenRecord {
  const arn = store.keyArn(key.id);
  const record = store.tokens.get(token);
  if (record === undefined || record.keyId !== key.id)
    throw kmsError('InvalidImportTokenException', `The import token is not valid for ${arn}.`);
  if (record.validTo <= store.now())
    throw kmsError('ExpiredImportTokenException', `The import token for ${arn} has expired.`);
  return record;
}

/**
 * Where imported material goes. NEW_KEY_MATERIAL (symmetric keys; the default before the first
 * import) adds a material — CURRENT on the first import, else PENDING_ROTATION until
 * RotateKeyOnDemand; EXISTING_KEY_MATERIAL (the default afterwards) must bring back bytes the
 * key already had, matching KeyMaterialId when given. Asymmetric and HMAC keys take one
 * material, forever.
 */
function placeMaterial(
  key: KeyRecord,
  arn: string,
  importType: 'NEW_KEY_MATERIAL' | 'EXISTING_KEY_MATERIAL' | undefined,
  materialId: string,
  givenId: string | undefined,
): MaterialRecord {
  const known = key.materials.find((m) => m.id === materialId);
  const type =
    importType ?? (key.materials.length === 0 ? 'NEW_KEY_MATERIAL' : 'EXISTING_KEY_MATERIAL');
  if (type === 'EXISTING_KEY_MATERIAL') {
    if (givenId !== undefined && givenId !== materialId)
      throw kmsError(
        'IncorrectKeyMaterialException',
        `The key material does not match KeyMaterialId ${givenId} of ${arn}.`,
      );
    if (known === undefined)
      throw kmsError(
        'IncorrectKeyMaterialException',
        `The key material does not match the key material previously imported into ${arn}.`,
      );
    return known;
  }
  if (known !== undefined)
    throw kmsError(
      'IncorrectKeyMaterialException',
      `The key material is already associated with ${arn} (KeyMaterialId ${materialId}); import it with ImportType EXISTING_KEY_MATERIAL.`,
    );
  const pending = key.materials.find((m) => m.state === 'PENDING_ROTATION');
  if (pending !== undefined)
    throw kmsError(
      'KMSInvalidStateException',
      `${arn} already has key material ${pending.id} pending rotation; rotate (RotateKeyOnDemand) or delete it first.`,
    );
  const record: MaterialRecord = {
    id: materialId,
    state: key.materials.length === 0 ? 'CURRENT' : 'PENDING_ROTATION',
  };
  key.materials.push(record);
  return record;
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
  const description = stringWithin(req, 'KeyMaterialDescription', 0, 256);
  const givenId = optionalString(req, 'KeyMaterialId');
  const { key, spec } = externalKey(store, keyId);
  const arn = store.keyArn(key.id);
  // AWS: ImportType / KeyMaterialDescription / KeyMaterialId exist for symmetric keys only;
  // asymmetric and HMAC material can never change after the first import.
  if ((importType ?? description ?? givenId) !== undefined && spec.family !== 'symmetric')
    throw kmsError(
      'ValidationException',
      `ImportType, KeyMaterialDescription and KeyMaterialId are only valid for symmetric encryption keys, not ${key.keySpec}`,
    );
  if (importType === 'NEW_KEY_MATERIAL' && givenId !== undefined)
    throw kmsError(
      'ValidationException',
      'You cannot specify a KeyMaterialId with ImportType NEW_KEY_MATERIAL.',
    );

  const record = importToken(store, key, token);
  const algorithm = WRAPPING_ALGORITHMS[record.wrappingAlgorithm];
  if (algorithm === undefined)
    throw kmsError('KMSInternalException', 'token has an unknown algorithm');
  const wrappingKey = createPrivateKey({ key: record.privateKeyDer, format: 'der', type: 'pkcs8' });
  const bytes = checkImportedMaterial(spec, unwrapKeyMaterial(blob, wrappingKey, algorithm), arn);
  const material = placeMaterial(key, arn, importType, materialIdOf(key.id, bytes), givenId);
  material.bytes = bytes;
  material.expirationModel = expiry.model;
  material.validTo = expiry.validTo;
  if (description !== undefined) material.description = description;
  store.persist();
  return { KeyId: arn, KeyMaterialId: material.id };
};

export const DeleteImportedKeyMaterial: Operation = (store, req) => {
  const { key } = externalKey(store, requiredString(req, 'KeyId'));
  const givenId = optionalString(req, 'KeyMaterialId');
  // Without KeyMaterialId: the current material (API reference).
  const material =
    givenId === undefined ? currentMaterial(key) : key.materials.find((m) => m.id === givenId);
  if (material === undefined)
    throw kmsError(
      'NotFoundException',
      givenId === undefined
        ? `${store.keyArn(key.id)} has no imported key material.`
        : `Key material ${givenId} is not associated with ${store.keyArn(key.id)}.`,
    );
  deleteMaterial(key, material);
  store.persist();
  return { KeyId: store.keyArn(key.id), KeyMaterialId: material.id };
};
