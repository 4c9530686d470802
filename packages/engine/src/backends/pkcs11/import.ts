/**
 * importKeyVersion (BYOK into the HSM) without ever creating a plaintext private key object:
 * the material is RFC 5649-wrapped in node under a fresh transport AES key that exists only as
 * a session object, and C_UnwrapKey(CKM_AES_KEY_WRAP_PAD) creates the protected token key. The
 * public key object is created from public material only. CKA_ID carries the Keyplane key and
 * version (`keyplane:<key>:v<N>`), so a repeated or crashed import adopts what exists.
 *
 * @module
 */
import { createPublicKey, randomBytes } from 'node:crypto';
import * as pkcs11js from 'pkcs11js';
import { aesKeyWrap } from '../../crypto/aes-key-wrap';
import { exportPlaintext, type KeyMaterial } from '../../crypto/key-material';
import { zeroize } from '../../crypto/zeroize';
import { InvalidArgumentError } from '../../errors';
import type { BackendKeyVersion, ImportOptions, KeyRef } from '../contract';
import { PKCS11_CAPABILITIES, type GenerationSpec } from './capabilities';
import { validateRequest } from './generate';
import {
  protectedKeyAttributes,
  publicKeyAttributes,
  requireKey,
  sessionAesKeyTemplate,
  toVersion,
  usageAttributes,
  type Pkcs11Context,
} from './keys';
import { findKeys, readTombstones, versionedId, type KeyInfo } from './objects';
import { publicAttributes } from './public-key';
import type { Session } from './session-pool';

function validateOptions(ref: KeyRef, options: ImportOptions): void {
  if (ref.name === '')
    throw new InvalidArgumentError('name (CKA_LABEL) must not be empty', { field: 'name' });
  if (options.keyplaneKey === '') {
    throw new InvalidArgumentError('keyplaneKey must not be empty', { field: 'keyplaneKey' });
  }
  if (!Number.isInteger(options.keyplaneVersion) || options.keyplaneVersion < 1) {
    throw new InvalidArgumentError('keyplaneVersion must be a positive integer', {
      field: 'keyplaneVersion',
    });
  }
}

/** Creates the public key object (public material only) next to an imported private key. */
function createPublic(
  session: Session,
  spec: GenerationSpec,
  material: KeyMaterial,
  label: string,
  id: Buffer,
  options: ImportOptions,
): void {
  const ecParams = spec.attributes.filter((a) => a.type === pkcs11js.CKA_EC_PARAMS);
  session.pkcs11.C_CreateObject(session.handle, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: spec.keyType },
    ...publicKeyAttributes(label, id),
    ...ecParams,
    ...publicAttributes(createPublicKey(material.key)),
    ...usageAttributes(options.usages, 'public'),
  ]);
}

async function unwrapIntoToken(
  session: Session,
  spec: GenerationSpec,
  material: KeyMaterial,
  label: string,
  id: Buffer,
  options: ImportOptions,
): Promise<void> {
  const { pkcs11, handle } = session;
  const transportKey = randomBytes(32);
  const plaintext = exportPlaintext(material, spec.pair ? 'pkcs8' : 'raw');
  let transport: Buffer | undefined;
  try {
    const wrapped = aesKeyWrap(transportKey, plaintext, 'rfc5649');
    transport = pkcs11.C_CreateObject(
      handle,
      sessionAesKeyTemplate({ usage: 'unwrap', value: transportKey }),
    );
    const template = spec.pair
      ? [
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
          { type: pkcs11js.CKA_KEY_TYPE, value: spec.keyType },
          ...protectedKeyAttributes(label, id),
          ...usageAttributes(options.usages, 'private'),
        ]
      : [
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
          { type: pkcs11js.CKA_KEY_TYPE, value: spec.keyType },
          ...protectedKeyAttributes(label, id),
          ...usageAttributes(options.usages, 'both'),
        ];
    await pkcs11.C_UnwrapKeyAsync(
      handle,
      { mechanism: pkcs11js.CKM_AES_KEY_WRAP_PAD },
      transport,
      wrapped,
      template,
    );
    if (spec.pair) createPublic(session, spec, material, label, id, options);
  } finally {
    if (transport !== undefined) {
      try {
        pkcs11.C_DestroyObject(handle, transport);
      } catch {
        // A session object dies with its session at the latest.
      }
    }
    zeroize(plaintext, transportKey);
  }
}

export async function importKeyVersion(
  ctx: Pkcs11Context,
  ref: KeyRef,
  material: KeyMaterial,
  options: ImportOptions,
): Promise<BackendKeyVersion> {
  const spec = validateRequest(
    material.type.name,
    options.usages,
    options.protection,
    PKCS11_CAPABILITIES.import,
  );
  validateOptions(ref, options);
  const id = versionedId(options.keyplaneKey, options.keyplaneVersion);
  const at: KeyRef = { name: ref.name, id: id.toString('hex') };
  return await ctx.run('importKeyVersion', 'rw', async (session) => {
    const existing: KeyInfo | undefined = findKeys(session, at)[0];
    if (existing !== undefined) {
      // Adopt; a crash between unwrap and public-object creation is repaired here.
      if (spec.pair && existing.publicHandle === undefined)
        createPublic(session, spec, material, ref.name, id, options);
      return toVersion(requireKey(session, at));
    }
    const tombstone = readTombstones(session, ref.name).find((t) => t.id === at.id);
    if (tombstone !== undefined) return { ...tombstone, state: 'destroyed' };
    await unwrapIntoToken(session, spec, material, ref.name, id, options);
    return toVersion(requireKey(session, at));
  });
}
