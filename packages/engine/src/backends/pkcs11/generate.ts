/**
 * generateKey: key pairs / secret keys created inside the token as non-extractable, sensitive,
 * private token objects (CKA_LABEL = ref.name, CKA_ID = ref.id or 16 random bytes).
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import * as pkcs11js from 'pkcs11js';
import { lookup, names } from '../../algorithms/table';
import {
  AlreadyExistsError,
  InvalidArgumentError,
  UnsupportedKeyTypeError,
  UnsupportedOperationError,
  UnsupportedProtectionError,
  notAllowedMessage,
} from '../../errors';
import type { BackendKey, KeyRef, KeySpec, KeyUsage } from '../contract';
import { GENERATION, type GenerationSpec } from './capabilities';
import {
  protectedKeyAttributes,
  publicKeyAttributes,
  requireKey,
  toBackendKey,
  usageAttributes,
  type Pkcs11Context,
} from './keys';
import { findKeys, refId } from './objects';

/** Shared validation of generate / import requests (before any token call). */
export function validateRequest(
  keyType: string,
  usages: readonly KeyUsage[],
  protection: string | undefined,
  allowedTypes: readonly string[],
): GenerationSpec {
  const spec = allowedTypes.includes(keyType) ? lookup(GENERATION, keyType) : undefined;
  if (spec === undefined) {
    throw new UnsupportedKeyTypeError(
      notAllowedMessage('key_type', keyType, 'in pkcs11', allowedTypes),
      { field: 'key_type', allowed: allowedTypes },
    );
  }
  const refused = usages.filter((u) => !spec.usages.includes(u));
  if (usages.length === 0 || refused.length > 0) {
    throw new UnsupportedOperationError(
      notAllowedMessage(
        'usages',
        refused.join(',') || '(none)',
        `for ${keyType} keys in pkcs11`,
        spec.usages,
      ),
      { field: 'usages', allowed: spec.usages },
    );
  }
  if ((protection ?? 'hsm') !== 'hsm') {
    throw new UnsupportedProtectionError(
      notAllowedMessage('protection', protection ?? '', 'in pkcs11', ['hsm']),
      { field: 'protection', allowed: ['hsm'] },
    );
  }
  return spec;
}

export async function generateKey(
  ctx: Pkcs11Context,
  ref: KeyRef,
  keySpec: KeySpec,
): Promise<BackendKey> {
  const spec = validateRequest(
    keySpec.keyType,
    keySpec.usages,
    keySpec.protection,
    names(GENERATION),
  );
  if (ref.name === '')
    throw new InvalidArgumentError('name (CKA_LABEL) must not be empty', { field: 'name' });
  const id = refId(ref) ?? randomBytes(16);
  return await ctx.run('generateKey', 'rw', async (session) => {
    if (findKeys(session, { name: ref.name }).length > 0) {
      throw new AlreadyExistsError(
        `PKCS#11 key '${ref.name}' already exists on token '${session.slot.label}'`,
        {
          field: 'name',
        },
      );
    }
    const { pkcs11, handle } = session;
    const mechanism = { mechanism: spec.mechanism };
    if (spec.pair) {
      const publicTemplate = [
        ...publicKeyAttributes(ref.name, id),
        ...spec.attributes,
        ...usageAttributes(keySpec.usages, 'public'),
      ];
      const privateTemplate = [
        ...protectedKeyAttributes(ref.name, id, keySpec.extractable ?? false),
        ...usageAttributes(keySpec.usages, 'private'),
        { type: pkcs11js.CKA_DERIVE, value: false },
      ];
      await pkcs11.C_GenerateKeyPairAsync(handle, mechanism, publicTemplate, privateTemplate);
    } else {
      await pkcs11.C_GenerateKeyAsync(handle, mechanism, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
        { type: pkcs11js.CKA_KEY_TYPE, value: spec.keyType },
        ...protectedKeyAttributes(ref.name, id, keySpec.extractable ?? false),
        ...spec.attributes,
        ...usageAttributes(keySpec.usages, 'both'),
        { type: pkcs11js.CKA_DERIVE, value: false },
      ]);
    }
    return toBackendKey(ref, requireKey(session, { name: ref.name, id: id.toString('hex') }));
  });
}
