/**
 * exportWrapped: a token-generated key (CKA_SENSITIVE, CKA_EXTRACTABLE) leaves the token only as
 * a cloud's BYOK hybrid blob, RSA-OAEP(KEK, K) ‖ AES-KWP(K, key) with a fresh AES-256 key K —
 * the output of PKCS#11 CKM_RSA_AES_KEY_WRAP (PKCS#11 v2.40 current mechanisms §2.1.21,
 * https://docs.oasis-open.org/pkcs11/pkcs11-curr/v2.40/os/pkcs11-curr-v2.40-os.html).
 * SoftHSM2 2.6.1 has no CKM_RSA_AES_KEY_WRAP, so the blob is composed (EXPORT_ASSEMBLY in
 * algorithms/token-export.ts):
 * - `token`: K generated in the token (session object), C_WrapKey(CKM_RSA_PKCS_OAEP, KEK, K) ‖
 *   C_WrapKey(CKM_AES_KEY_WRAP_PAD, K, key). Nothing of the key or K is ever outside the token
 *   unwrapped. SoftHSM's OAEP takes SHA-1 only (SoftHSM.cpp MechParamCheckRSAPKCSOAEP).
 * - `kwp-trim`: for private keys, because SoftHSM 2.6.1 zero-pads the key data to a multiple of 8
 *   BEFORE RFC 5649 wrapping (fixed upstream in SoftHSMv2 f94aaff, in no release), so a
 *   token-composed blob would carry PKCS#8 ‖ 0–7 zero bytes, which the clouds' importers refuse.
 *   The key is wrapped with CKM_AES_KEY_WRAP_PAD under a session transport key, unwrapped in
 *   memory only long enough to cut it to its DER length, re-wrapped as the hybrid, and wiped.
 *
 * @module
 */
import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import * as pkcs11js from 'pkcs11js';
import { lookup } from '../../algorithms/table';
import { EXPORTABLE_FAMILIES, EXPORT_ASSEMBLY } from '../../algorithms/token-export';
import type { OaepHash } from '../../algorithms/wrapping-algorithms';
import { rsaAesKeyWrap } from '../../byok/schemes';
import { aesKeyUnwrap } from '../../crypto/aes-key-wrap';
import { readTlv } from '../../crypto/der';
import { zeroize } from '../../crypto/zeroize';
import { InvalidKeyMaterialError, UnsupportedKeyTypeError, notAllowedMessage } from '../../errors';
import type { KeyRef } from '../contract';
import { OAEP_PARAMS, familyOf } from './capabilities';
import { requireKey, sessionAesKeyTemplate, type Pkcs11Context } from './keys';
import type { KeyInfo } from './objects';
import type { Session } from './session-pool';

/** An RFC 5649 bound: the wrapped output is at most the key rounded up to 8 bytes, plus 8. */
const WRAP_BUFFER_BYTES = 16_384;

type Handles = Buffer[];

function destroyAll(session: Session, created: Handles): void {
  for (const h of created) {
    try {
      session.pkcs11.C_DestroyObject(session.handle, h);
    } catch {
      // Session objects die with their session at the latest.
    }
  }
}

/** The KEK as a session public key object that may wrap (CKA_WRAP). */
function kekObject(session: Session, kek: KeyObject): Buffer {
  const jwk = kek.export({ format: 'jwk' });
  return session.pkcs11.C_CreateObject(session.handle, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_RSA },
    { type: pkcs11js.CKA_TOKEN, value: false },
    { type: pkcs11js.CKA_WRAP, value: true },
    { type: pkcs11js.CKA_ENCRYPT, value: false },
    { type: pkcs11js.CKA_MODULUS, value: Buffer.from(jwk.n ?? '', 'base64url') },
    { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from(jwk.e ?? '', 'base64url') },
  ]);
}

async function composeInToken(
  session: Session,
  info: KeyInfo,
  kek: KeyObject,
  created: Handles,
): Promise<Buffer> {
  const { pkcs11, handle } = session;
  // Extractable only so the KEK can wrap it (RSA-OAEP wraps secret keys only).
  const ephemeral = pkcs11.C_GenerateKey(
    handle,
    { mechanism: pkcs11js.CKM_AES_KEY_GEN },
    sessionAesKeyTemplate({ usage: 'wrap', extractable: true }),
  );
  created.push(ephemeral);
  const kekHandle = kekObject(session, kek);
  created.push(kekHandle);
  const modulusBytes = (kek.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  const head = await pkcs11.C_WrapKeyAsync(
    handle,
    { mechanism: pkcs11js.CKM_RSA_PKCS_OAEP, parameter: OAEP_PARAMS['rsa-oaep-sha1'] },
    kekHandle,
    ephemeral,
    Buffer.alloc(modulusBytes),
  );
  const tail = await pkcs11.C_WrapKeyAsync(
    handle,
    { mechanism: pkcs11js.CKM_AES_KEY_WRAP_PAD },
    ephemeral,
    info.handle,
    Buffer.alloc(WRAP_BUFFER_BYTES),
  );
  return Buffer.concat([head, tail]);
}

/** PKCS#8 out of the token under a transport key, cut to its DER length, re-wrapped, wiped. */
async function trimAndWrap(
  session: Session,
  info: KeyInfo,
  kek: KeyObject,
  oaepHash: OaepHash,
  created: Handles,
): Promise<Buffer> {
  const { pkcs11, handle } = session;
  const transportKey = randomBytes(32);
  let padded: Buffer | undefined;
  let plaintext: Buffer | undefined;
  try {
    const transport = pkcs11.C_CreateObject(
      handle,
      sessionAesKeyTemplate({ usage: 'wrap', value: transportKey }),
    );
    created.push(transport);
    const wrapped = await pkcs11.C_WrapKeyAsync(
      handle,
      { mechanism: pkcs11js.CKM_AES_KEY_WRAP_PAD },
      transport,
      info.handle,
      Buffer.alloc(WRAP_BUFFER_BYTES),
    );
    padded = aesKeyUnwrap(transportKey, wrapped, 'rfc5649');
    if (info.secret) return rsaAesKeyWrap(kek, oaepHash, padded);
    const outer = readTlv(padded);
    if (outer === undefined) {
      throw new InvalidKeyMaterialError(
        `PKCS#11 key '${info.label}' did not wrap to a PKCS#8 structure`,
        { field: 'key' },
      );
    }
    // Re-encoded by OpenSSL: SoftHSM's EC PKCS#8 omits the optional public key, node adds it.
    plaintext = createPrivateKey({
      key: padded.subarray(0, outer.end),
      format: 'der',
      type: 'pkcs8',
    }).export({ format: 'der', type: 'pkcs8' });
    return rsaAesKeyWrap(kek, oaepHash, plaintext);
  } finally {
    zeroize(transportKey, padded, plaintext);
  }
}

/** The hybrid BYOK blob of the ref's key under `kek` (see the module comment). */
export async function exportWrapped(
  ctx: Pkcs11Context,
  ref: KeyRef,
  kek: KeyObject,
  oaepHash: OaepHash,
): Promise<Buffer> {
  return await ctx.run('exportWrapped', 'rw', async (session) => {
    const info = requireKey(session, ref);
    const family = familyOf(info.keyType);
    const assembly = family === 'hmac' ? undefined : lookup(EXPORT_ASSEMBLY, family);
    if (assembly === undefined) {
      throw new UnsupportedKeyTypeError(
        notAllowedMessage(
          'key',
          info.keyType,
          'for wrapped export from pkcs11',
          EXPORTABLE_FAMILIES,
        ),
        { field: 'key', allowed: EXPORTABLE_FAMILIES },
      );
    }
    const created: Handles = [];
    try {
      return assembly === 'token' && oaepHash === 'sha1'
        ? await composeInToken(session, info, kek, created)
        : await trimAndWrap(session, info, kek, oaepHash, created);
    } finally {
      destroyAll(session, created);
    }
  });
}
