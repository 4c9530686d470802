/**
 * encrypt / decrypt (AES-256-GCM, RSA-OAEP), wrapKey / unwrapKey (CKM_AES_KEY_WRAP_PAD or OAEP
 * through C_WrapKey / C_UnwrapKey on a temporary session secret), HMAC and the token RNG.
 * SoftHSM 2.6.1 refuses OAEP with SHA-256 (CKR_ARGUMENTS_BAD) and KWP through C_Encrypt
 * (CKR_MECHANISM_INVALID), hence the shapes below.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import * as pkcs11js from 'pkcs11js';
import { lookup, names } from '../../algorithms/table';
import { zeroize } from '../../crypto/zeroize';
import {
  DecryptionFailedError,
  InvalidArgumentError,
  UnsupportedOperationError,
  notAllowedMessage,
} from '../../errors';
import type { BackendEncryptOptions, KeyRef } from '../contract';
import { OAEP_PARAMS, familyOf } from './capabilities';
import { ckrName } from './errors';
import { requireUsage, withKey, type Pkcs11Context } from './keys';
import { readAttributes, type KeyInfo } from './objects';
import type { Session } from './session-pool';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** CKR values that mean "this OAEP hash / mechanism is not available on this token". */
const MECHANISM_REFUSED = new Set([
  'CKR_ARGUMENTS_BAD',
  'CKR_MECHANISM_PARAM_INVALID',
  'CKR_MECHANISM_INVALID',
]);
/** CKR values of a failed authenticated decryption / unwrap (SoftHSM's GCM says GENERAL_ERROR). */
const DECRYPT_FAILED = new Set([
  'CKR_GENERAL_ERROR',
  'CKR_ENCRYPTED_DATA_INVALID',
  'CKR_ENCRYPTED_DATA_LEN_RANGE',
  'CKR_WRAPPED_KEY_INVALID',
  'CKR_WRAPPED_KEY_LEN_RANGE',
  'CKR_FUNCTION_FAILED',
]);

function gcm(iv: Buffer, aad: Uint8Array | undefined): pkcs11js.Mechanism {
  const parameter: pkcs11js.AesGCM = {
    type: pkcs11js.CK_PARAMS_AES_GCM,
    iv,
    ivBits: IV_BYTES * 8,
    tagBits: TAG_BYTES * 8,
    ...(aad === undefined ? {} : { aad: Buffer.from(aad) }),
  };
  return { mechanism: pkcs11js.CKM_AES_GCM, parameter };
}

/** The RSA-OAEP mechanism for the requested algorithm (SHA-256 by default). */
function oaep(options: BackendEncryptOptions | undefined): {
  name: string;
  mechanism: pkcs11js.Mechanism;
} {
  const name = options?.algorithm ?? 'rsa-oaep-sha256';
  const parameter = lookup(OAEP_PARAMS, name);
  if (parameter === undefined) refuseAlgorithm(name, 'for RSA keys', names(OAEP_PARAMS));
  return { name, mechanism: { mechanism: pkcs11js.CKM_RSA_PKCS_OAEP, parameter } };
}

function refuseAlgorithm(name: string, context: string, allowed: readonly string[]): never {
  throw new UnsupportedOperationError(notAllowedMessage('algorithm', name, context, allowed), {
    field: 'algorithm',
    allowed,
  });
}

/** Runs an OAEP init, turning the token's refusal of the hash into a typed refusal. */
function initOaep(name: string, init: () => void): void {
  try {
    init();
  } catch (error) {
    if (!MECHANISM_REFUSED.has(ckrName(error) ?? '')) throw error;
    refuseAlgorithm(
      name,
      `by this PKCS#11 token (${ckrName(error) ?? ''}; SoftHSM supports rsa-oaep-sha1 only)`,
      ['rsa-oaep-sha1'],
    );
  }
}

function requireAesAlgorithm(options: BackendEncryptOptions | undefined): void {
  const name = options?.algorithm ?? 'aes-256-gcm';
  if (name !== 'aes-256-gcm') refuseAlgorithm(name, 'for aes256-gcm96 keys', ['aes-256-gcm']);
}

function modulusBytes(info: KeyInfo): number {
  return Number(info.keyType.replace('rsa-', '')) / 8;
}

function refuseFamily(info: KeyInfo, operation: string): never {
  throw new UnsupportedOperationError(`${info.keyType} keys cannot ${operation} in pkcs11`, {
    field: 'operation',
  });
}

async function failedAsDecryption<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (DECRYPT_FAILED.has(ckrName(error) ?? '')) throw new DecryptionFailedError();
    throw error;
  }
}

export async function encrypt(
  ctx: Pkcs11Context,
  ref: KeyRef,
  plaintext: Uint8Array,
  options?: BackendEncryptOptions,
): Promise<Buffer> {
  return await ctx.run('encrypt', 'ro', (session) =>
    withKey(session, ref, async (info) => {
      const { pkcs11, handle } = session;
      const family = familyOf(info.keyType);
      if (family === 'aes') {
        requireAesAlgorithm(options);
        requireUsage(info, 'public', pkcs11js.CKA_ENCRYPT, 'encryption');
        const iv = randomBytes(IV_BYTES);
        pkcs11.C_EncryptInit(handle, gcm(iv, options?.aad), info.handle);
        const out = await pkcs11.C_EncryptAsync(
          handle,
          Buffer.from(plaintext),
          Buffer.alloc(plaintext.length + TAG_BYTES),
        );
        return Buffer.concat([iv, out]);
      }
      if (family !== 'rsa') refuseFamily(info, 'encrypt');
      const { name, mechanism } = oaep(options);
      requireUsage(info, 'public', pkcs11js.CKA_ENCRYPT, 'encryption');
      const publicKey = info.publicHandle;
      if (publicKey === undefined) refuseFamily(info, 'encrypt without a public key object');
      initOaep(name, () => {
        pkcs11.C_EncryptInit(handle, mechanism, publicKey);
      });
      const out = await pkcs11.C_EncryptAsync(
        handle,
        Buffer.from(plaintext),
        Buffer.alloc(modulusBytes(info)),
      );
      return Buffer.from(out);
    }),
  );
}

export async function decrypt(
  ctx: Pkcs11Context,
  ref: KeyRef,
  ciphertext: Uint8Array,
  options?: BackendEncryptOptions,
): Promise<Buffer> {
  return await ctx.run('decrypt', 'ro', (session) =>
    withKey(session, ref, async (info) => {
      const { pkcs11, handle } = session;
      const family = familyOf(info.keyType);
      if (family === 'aes') {
        requireAesAlgorithm(options);
        requireUsage(info, 'private', pkcs11js.CKA_DECRYPT, 'decryption');
        if (ciphertext.length < IV_BYTES + TAG_BYTES) throw new DecryptionFailedError();
        const data = Buffer.from(ciphertext);
        pkcs11.C_DecryptInit(handle, gcm(data.subarray(0, IV_BYTES), options?.aad), info.handle);
        const body = data.subarray(IV_BYTES);
        return await failedAsDecryption(async () =>
          Buffer.from(await pkcs11.C_DecryptAsync(handle, body, Buffer.alloc(body.length))),
        );
      }
      if (family !== 'rsa') refuseFamily(info, 'decrypt');
      const { name, mechanism } = oaep(options);
      requireUsage(info, 'private', pkcs11js.CKA_DECRYPT, 'decryption');
      initOaep(name, () => {
        pkcs11.C_DecryptInit(handle, mechanism, info.handle);
      });
      return await failedAsDecryption(async () =>
        Buffer.from(
          await pkcs11.C_DecryptAsync(
            handle,
            Buffer.from(ciphertext),
            Buffer.alloc(modulusBytes(info)),
          ),
        ),
      );
    }),
  );
}

/** The wrapping mechanism for a key: KWP for AES keys, OAEP for RSA keys. */
function wrapMechanism(
  info: KeyInfo,
  options: BackendEncryptOptions | undefined,
): { name: string; mechanism: pkcs11js.Mechanism } {
  const family = familyOf(info.keyType);
  if (family === 'aes') {
    const name = options?.algorithm ?? 'aes-key-wrap-pad';
    if (options?.algorithm !== undefined)
      refuseAlgorithm(name, 'for wrapping with aes256-gcm96 keys (RFC 5649 key wrap is used)', []);
    return { name, mechanism: { mechanism: pkcs11js.CKM_AES_KEY_WRAP_PAD } };
  }
  if (family !== 'rsa') refuseFamily(info, 'wrap keys');
  return oaep(options);
}

/** A temporary, extractable session secret holding the bytes to wrap or the unwrapped bytes. */
const SESSION_SECRET: pkcs11js.Template = [
  { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
  { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_GENERIC_SECRET },
  { type: pkcs11js.CKA_TOKEN, value: false },
  { type: pkcs11js.CKA_SENSITIVE, value: false },
  { type: pkcs11js.CKA_EXTRACTABLE, value: true },
];

function destroyQuietly(session: Session, object: Buffer): void {
  try {
    session.pkcs11.C_DestroyObject(session.handle, object);
  } catch {
    // Session objects vanish with the session anyway.
  }
}

/**
 * One token call whose failures mean "this algorithm is unavailable here" (typed refusal) or,
 * for unwrapping, "wrong key or corrupted input" (DecryptionFailedError, no detail).
 */
async function wrapCall<T>(name: string, unwrap: boolean, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const code = ckrName(error) ?? '';
    if (MECHANISM_REFUSED.has(code)) {
      refuseAlgorithm(name, `by this PKCS#11 token (${code})`, ['rsa-oaep-sha1']);
    }
    if (unwrap && DECRYPT_FAILED.has(code)) throw new DecryptionFailedError();
    throw error;
  }
}

export async function wrapKey(
  ctx: Pkcs11Context,
  ref: KeyRef,
  key: Uint8Array,
  options?: BackendEncryptOptions,
): Promise<Buffer> {
  // SoftHSM 2.6.1 zero-pads KWP input to a multiple of 8 before wrapping (observed on SoftHSM 2.6.1; pinned by the pkcs11 tests),
  // which would not round-trip other lengths; key sizes are multiples of 8 anyway.
  if (key.length < 16 || key.length % 8 !== 0) {
    throw new InvalidArgumentError(
      `key length ${String(key.length)} must be a multiple of 8 bytes (at least 16)`,
      { field: 'key' },
    );
  }
  return await ctx.run('wrapKey', 'ro', (session) =>
    withKey(session, ref, async (info) => {
      const { name, mechanism } = wrapMechanism(info, options);
      requireUsage(info, 'public', pkcs11js.CKA_WRAP, 'wrapping');
      const wrapping = info.secret ? info.handle : info.publicHandle;
      if (wrapping === undefined) refuseFamily(info, 'wrap without a public key object');
      const value = Buffer.from(key);
      const temp = session.pkcs11.C_CreateObject(session.handle, [
        ...SESSION_SECRET,
        { type: pkcs11js.CKA_VALUE, value },
      ]);
      try {
        const out = Buffer.alloc(Math.max(key.length + 16, 1024));
        const wrapped = await wrapCall(name, false, () =>
          session.pkcs11.C_WrapKeyAsync(session.handle, mechanism, wrapping, temp, out),
        );
        return Buffer.from(wrapped);
      } finally {
        destroyQuietly(session, temp);
        zeroize(value);
      }
    }),
  );
}

export async function unwrapKey(
  ctx: Pkcs11Context,
  ref: KeyRef,
  wrapped: Uint8Array,
  options?: BackendEncryptOptions,
): Promise<Buffer> {
  return await ctx.run('unwrapKey', 'ro', (session) =>
    withKey(session, ref, async (info) => {
      const { name, mechanism } = wrapMechanism(info, options);
      requireUsage(info, 'private', pkcs11js.CKA_UNWRAP, 'unwrapping');
      const temp = await wrapCall(name, true, () =>
        session.pkcs11.C_UnwrapKeyAsync(
          session.handle,
          mechanism,
          info.handle,
          Buffer.from(wrapped),
          SESSION_SECRET,
        ),
      );
      try {
        const value = readAttributes(session, temp, [pkcs11js.CKA_VALUE]).get(pkcs11js.CKA_VALUE);
        return Buffer.from(value ?? Buffer.alloc(0));
      } finally {
        destroyQuietly(session, temp);
      }
    }),
  );
}

function requireHmac(info: KeyInfo): void {
  if (info.keyType !== 'hmac-sha256') refuseFamily(info, 'compute HMACs');
}

export async function mac(ctx: Pkcs11Context, ref: KeyRef, data: Uint8Array): Promise<Buffer> {
  return await ctx.run('mac', 'ro', (session) =>
    withKey(session, ref, async (info) => {
      requireHmac(info);
      requireUsage(info, 'private', pkcs11js.CKA_SIGN, 'mac');
      session.pkcs11.C_SignInit(
        session.handle,
        { mechanism: pkcs11js.CKM_SHA256_HMAC },
        info.handle,
      );
      return Buffer.from(
        await session.pkcs11.C_SignAsync(session.handle, Buffer.from(data), Buffer.alloc(32)),
      );
    }),
  );
}

export async function verifyMac(
  ctx: Pkcs11Context,
  ref: KeyRef,
  data: Uint8Array,
  tag: Uint8Array,
): Promise<boolean> {
  return await ctx.run('verifyMac', 'ro', (session) =>
    withKey(session, ref, async (info) => {
      requireHmac(info);
      requireUsage(info, 'public', pkcs11js.CKA_VERIFY, 'mac verification');
      session.pkcs11.C_VerifyInit(
        session.handle,
        { mechanism: pkcs11js.CKM_SHA256_HMAC },
        info.handle,
      );
      try {
        return await session.pkcs11.C_VerifyAsync(
          session.handle,
          Buffer.from(data),
          Buffer.from(tag),
        );
      } catch (error) {
        const code = ckrName(error);
        if (code === 'CKR_SIGNATURE_INVALID' || code === 'CKR_SIGNATURE_LEN_RANGE') return false;
        throw error;
      }
    }),
  );
}

const MAX_RANDOM = 1024 * 1024;

export async function generateRandom(ctx: Pkcs11Context, length: number): Promise<Buffer> {
  if (!Number.isInteger(length) || length < 1 || length > MAX_RANDOM) {
    throw new InvalidArgumentError(
      `length must be an integer between 1 and ${String(MAX_RANDOM)}`,
      {
        field: 'length',
      },
    );
  }
  return await ctx.run('generateRandom', 'ro', (session) =>
    Promise.resolve(
      Buffer.from(session.pkcs11.C_GenerateRandom(session.handle, Buffer.alloc(length))),
    ),
  );
}
