/**
 * Key lifecycle: CreateKey, DescribeKey, ListKeys, UpdateKeyDescription, EnableKey, DisableKey,
 * ScheduleKeyDeletion, CancelKeyDeletion, and the KeyMetadata shape every one of them reports.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { kmsError } from './errors';
import {
  algorithmsFor,
  KEY_SPECS,
  KEY_USAGES,
  UNSUPPORTED_KEY_SPECS,
  type KeyUsage,
} from './key-specs';
import { generateMaterial, materialIdOf } from './material';
import { applyTags, readTags } from './operations-aliases-tags';
import {
  epochSeconds,
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalString,
  paginate,
  requiredString,
  stringWithin,
  type Operation,
} from './request';
import { currentMaterial, requireNotPendingDeletion, type KeyRecord, type KmsStore } from './store';

const DAY_MS = 86_400_000;

/** KeyMetadata as DescribeKey / CreateKey return it (AWS API reference "KeyMetadata"). */
export function keyMetadata(store: KmsStore, key: KeyRecord): Record<string, unknown> {
  const spec = KEY_SPECS[key.keySpec];
  const state = store.stateOf(key);
  const current = currentMaterial(key);
  // ExpirationModel / ValidTo describe the current imported material while it is there.
  const imported = key.origin === 'EXTERNAL' && current?.bytes !== undefined;
  return {
    AWSAccountId: store.accountId,
    KeyId: key.id,
    Arn: store.keyArn(key.id),
    CreationDate: epochSeconds(key.creationDate),
    Enabled: state === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: state,
    ...(key.deletionDate === undefined ? {} : { DeletionDate: epochSeconds(key.deletionDate) }),
    ...(imported && current.validTo !== undefined
      ? { ValidTo: epochSeconds(current.validTo) }
      : {}),
    Origin: key.origin,
    ...(imported ? { ExpirationModel: current.expirationModel } : {}),
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    ...(spec === undefined ? {} : algorithmsFor(spec, key.keyUsage)),
    MultiRegion: false,
    // Recorded from AWS: it stays after DeleteImportedKeyMaterial (the id outlives the bytes).
    ...(spec?.family === 'symmetric' && current !== undefined
      ? { CurrentKeyMaterialId: current.id }
      : {}),
  };
}

function readKeySpec(req: Parameters<Operation>[1]): string {
  const keySpec = optionalString(req, 'KeySpec');
  const legacy = optionalString(req, 'CustomerMasterKeySpec');
  if (keySpec !== undefined && legacy !== undefined)
    throw kmsError(
      'ValidationException',
      'You cannot specify KeySpec and CustomerMasterKeySpec in the same request.',
    );
  const spec = keySpec ?? legacy ?? 'SYMMETRIC_DEFAULT';
  if ((UNSUPPORTED_KEY_SPECS as readonly string[]).includes(spec))
    throw kmsError(
      'UnsupportedOperationException',
      `KeySpec ${spec} is not supported by the Keyplane emulator`,
    );
  if (KEY_SPECS[spec] === undefined)
    throw kmsError(
      'ValidationException',
      `1 validation error detected: Value '${spec}' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [${Object.keys(KEY_SPECS).join(', ')}]`,
    );
  return spec;
}

export const CreateKey: Operation = async (store, req) => {
  const keySpec = readKeySpec(req);
  const spec = KEY_SPECS[keySpec];
  if (spec === undefined) throw kmsError('ValidationException', `Unknown KeySpec ${keySpec}`);
  const requested = optionalEnum(req, 'KeyUsage', KEY_USAGES);
  // Recorded from AWS: only symmetric encryption keys have a default usage.
  if (requested === undefined && spec.family !== 'symmetric')
    throw kmsError(
      'ValidationException',
      'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.',
    );
  const usage = requested ?? 'ENCRYPT_DECRYPT';
  if (!(spec.usages as readonly string[]).includes(usage))
    throw kmsError(
      'ValidationException',
      `KeyUsage ${usage} is not compatible with KeySpec ${keySpec}`,
    );
  const origin = optionalString(req, 'Origin') ?? 'AWS_KMS';
  if (origin !== 'AWS_KMS' && origin !== 'EXTERNAL') {
    if (origin === 'AWS_CLOUDHSM' || origin === 'EXTERNAL_KEY_STORE')
      throw kmsError(
        'UnsupportedOperationException',
        `Origin ${origin} (custom key stores) is not supported by the Keyplane emulator`,
      );
    throw kmsError('ValidationException', `Origin ${origin} is not a valid origin`);
  }
  if (optionalBoolean(req, 'MultiRegion') === true)
    throw kmsError(
      'UnsupportedOperationException',
      'Multi-Region keys are not supported by the Keyplane emulator',
    );
  if (
    optionalString(req, 'CustomKeyStoreId') !== undefined ||
    optionalString(req, 'XksKeyId') !== undefined
  )
    throw kmsError(
      'UnsupportedOperationException',
      'Custom key stores are not supported by the Keyplane emulator',
    );
  const description = stringWithin(req, 'Description', 0, 8192) ?? '';
  const tags = readTags(req);

  const id = randomUUID();
  const bytes = origin === 'AWS_KMS' ? await generateMaterial(spec) : undefined;
  const key: KeyRecord = {
    id,
    creationDate: store.now(),
    description,
    keySpec,
    keyUsage: usage as KeyUsage,
    origin,
    enabled: true,
    materials:
      bytes === undefined ? [] : [{ id: materialIdOf(id, bytes), bytes, state: 'CURRENT' }],
    tags: new Map(),
  };
  applyTags(key, tags);
  store.keys.set(id, key);
  store.persist();
  return { KeyMetadata: keyMetadata(store, key) };
};

export const DescribeKey: Operation = (store, req) => ({
  KeyMetadata: keyMetadata(store, store.resolveKey(requiredString(req, 'KeyId'))),
});

export const ListKeys: Operation = (store, req) => {
  const limit = optionalInteger(req, 'Limit', 1, 1000) ?? 100;
  const { page, nextMarker } = paginate(
    [...store.keys.values()],
    (k) => k.id,
    limit,
    optionalString(req, 'Marker'),
  );
  return {
    Keys: page.map((k) => ({ KeyId: k.id, KeyArn: store.keyArn(k.id) })),
    Truncated: nextMarker !== undefined,
    ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }),
  };
};

export const UpdateKeyDescription: Operation = (store, req) => {
  const key = store.resolveKey(requiredString(req, 'KeyId'));
  const description = stringWithin(req, 'Description', 0, 8192);
  if (description === undefined) throw kmsError('ValidationException', 'Description is required');
  requireNotPendingDeletion(store, key);
  key.description = description;
  store.persist();
  return undefined;
};

/** Enable/DisableKey are refused while the key waits for deletion or for its material. */
function setEnabled(store: KmsStore, keyId: string, enabled: boolean): void {
  const key = store.resolveKey(keyId);
  const state = store.stateOf(key);
  if (state === 'PendingDeletion' || state === 'PendingImport')
    throw kmsError(
      'KMSInvalidStateException',
      `${store.keyArn(key.id)} is ${state === 'PendingDeletion' ? 'pending deletion' : 'pending import'}.`,
    );
  key.enabled = enabled;
  store.persist();
}

export const EnableKey: Operation = (store, req) => {
  setEnabled(store, requiredString(req, 'KeyId'), true);
  return undefined;
};

export const DisableKey: Operation = (store, req) => {
  setEnabled(store, requiredString(req, 'KeyId'), false);
  return undefined;
};

export const ScheduleKeyDeletion: Operation = (store, req) => {
  const key = store.resolveKey(requiredString(req, 'KeyId'));
  const days = optionalInteger(req, 'PendingWindowInDays', 7, 30) ?? 30;
  requireNotPendingDeletion(store, key);
  key.deletionDate = store.now() + days * DAY_MS;
  store.persist();
  return {
    KeyId: store.keyArn(key.id),
    DeletionDate: epochSeconds(key.deletionDate),
    KeyState: 'PendingDeletion',
    PendingWindowInDays: days,
  };
};

export const CancelKeyDeletion: Operation = (store, req) => {
  const key = store.resolveKey(requiredString(req, 'KeyId'));
  if (key.deletionDate === undefined)
    throw kmsError('KMSInvalidStateException', `${store.keyArn(key.id)} is not pending deletion.`);
  key.deletionDate = undefined;
  // AWS: a cancelled key comes back Disabled (or PendingImport when it has no material).
  key.enabled = false;
  store.persist();
  return { KeyId: store.keyArn(key.id) };
};
