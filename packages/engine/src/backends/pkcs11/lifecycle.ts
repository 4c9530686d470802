/**
 * Versions and their states. PKCS#11 has neither an enabled flag nor scheduled deletion:
 * - disable clears the "private half" usage attributes (CKA_SIGN, CKA_DECRYPT, CKA_UNWRAP) of
 *   the private / secret key; the public half (CKA_VERIFY, CKA_ENCRYPT, CKA_WRAP) is kept and is
 *   what enable restores from. State is `disabled` when no private-half attribute is true, and
 *   the backend refuses every operation on such a version with KeyStateError.
 * - deletion destroys private and public object at once (`destroyed`, no pending window) and
 *   leaves a CKO_DATA tombstone so listVersions still reports the version.
 *
 * @module
 */
import * as pkcs11js from 'pkcs11js';
import { KeyStateError, NotFoundError } from '../../errors';
import type { BackendKeyVersion, KeyRef } from '../contract';
import { USAGE_PAIRS } from './capabilities';
import { requireKey, toVersion, type Pkcs11Context } from './keys';
import { findKeys, readTombstones, writeTombstone } from './objects';

export async function listVersions(ctx: Pkcs11Context, ref: KeyRef): Promise<BackendKeyVersion[]> {
  return await ctx.run('listVersions', 'ro', (session) => {
    const live = findKeys(session, {
      name: ref.name,
      ...(ref.id === undefined ? {} : { id: ref.id }),
    }).map(toVersion);
    const ids = new Set(live.map((v) => v.id));
    const destroyed = readTombstones(session, ref.name)
      .filter((t) => !ids.has(t.id) && (ref.id === undefined || t.id === ref.id.toLowerCase()))
      .map((t): BackendKeyVersion => ({ ...t, state: 'destroyed' }));
    const all = [...live, ...destroyed].sort((a, b) => Number(a.version) - Number(b.version));
    if (all.length === 0) {
      throw new NotFoundError(
        `PKCS#11 key '${ref.name}' not found on token '${session.slot.label}'`,
        {
          field: 'name',
        },
      );
    }
    return Promise.resolve(all);
  });
}

export async function setVersionEnabled(
  ctx: Pkcs11Context,
  ref: KeyRef,
  enable: boolean,
): Promise<BackendKeyVersion> {
  return await ctx.run('setVersionEnabled', 'rw', (session) => {
    const info = requireKey(session, ref);
    const template: pkcs11js.Template = USAGE_PAIRS.flatMap((pair): pkcs11js.Template => {
      if (!enable)
        return info.privateUsage.has(pair.privateAttribute)
          ? [{ type: pair.privateAttribute, value: false }]
          : [];
      return info.publicUsage.has(pair.publicAttribute)
        ? [{ type: pair.privateAttribute, value: true }]
        : [];
    });
    if (enable && template.length === 0) {
      throw new KeyStateError(
        `key '${info.label}' version ${info.version} has no recorded usages to re-enable`,
        {
          field: 'version',
        },
      );
    }
    if (template.length > 0)
      session.pkcs11.C_SetAttributeValue(session.handle, info.handle, template);
    return Promise.resolve(toVersion(requireKey(session, { ...ref, id: info.id.toString('hex') })));
  });
}

export async function scheduleVersionDeletion(
  ctx: Pkcs11Context,
  ref: KeyRef,
): Promise<BackendKeyVersion> {
  return await ctx.run('scheduleVersionDeletion', 'rw', (session) => {
    const info = requireKey(session, ref);
    // Tombstone first: a crash after it leaves a live key that still lists (live wins).
    writeTombstone(session, info);
    if (info.publicHandle !== undefined)
      session.pkcs11.C_DestroyObject(session.handle, info.publicHandle);
    session.pkcs11.C_DestroyObject(session.handle, info.handle);
    return Promise.resolve({ ...toVersion(info), state: 'destroyed' as const });
  });
}
