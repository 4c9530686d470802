/**
 * AES Key Wrap (RFC 3394) and AES Key Wrap with Padding (RFC 5649), on OpenSSL's
 * `id-aesNNN-wrap[-pad]` ciphers. The default initial values are spelled out because OpenSSL
 * requires an IV argument; they are the RFCs' constants.
 *
 * @module
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { DecryptionFailedError, InvalidArgumentError } from '../errors';

/** RFC 3394 §2.2.3.1 default IV. */
export const RFC3394_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');
/** RFC 5649 §3 alternative initial value (the 32-bit MLI follows inside the cipher). */
export const RFC5649_AIV = Buffer.from('A65959A6', 'hex');

export type KeyWrapMode = 'rfc3394' | 'rfc5649';

const MODES = {
  rfc3394: { suffix: 'wrap', iv: RFC3394_IV },
  rfc5649: { suffix: 'wrap-pad', iv: RFC5649_AIV },
} as const;

function cipherName(kek: Uint8Array, mode: KeyWrapMode): string {
  if (![16, 24, 32].includes(kek.length)) {
    throw new InvalidArgumentError(
      `kek length ${kek.length} bytes is not supported; allowed: 16, 24, 32`,
      { field: 'kek', allowed: ['16', '24', '32'] },
    );
  }
  return `id-aes${kek.length * 8}-${MODES[mode].suffix}`;
}

/** Wraps `plaintext` under `kek`. RFC 3394 needs a multiple of 8 bytes (≥ 16). */
export function aesKeyWrap(
  kek: Uint8Array,
  plaintext: Uint8Array,
  mode: KeyWrapMode = 'rfc5649',
): Buffer {
  if (mode === 'rfc3394' && (plaintext.length < 16 || plaintext.length % 8 !== 0)) {
    throw new InvalidArgumentError(
      `plaintext length ${plaintext.length} is not valid for RFC 3394 (multiple of 8, at least 16); use RFC 5649`,
      { field: 'plaintext' },
    );
  }
  if (plaintext.length === 0) {
    throw new InvalidArgumentError('plaintext must not be empty', { field: 'plaintext' });
  }
  const cipher = createCipheriv(cipherName(kek, mode), kek, MODES[mode].iv);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]);
}

/** Unwraps; any integrity failure is `ERR_DECRYPTION_FAILED` (no detail, by design). */
export function aesKeyUnwrap(
  kek: Uint8Array,
  wrapped: Uint8Array,
  mode: KeyWrapMode = 'rfc5649',
): Buffer {
  const name = cipherName(kek, mode);
  if (wrapped.length < 16 || wrapped.length % 8 !== 0) throw new DecryptionFailedError();
  try {
    const decipher = createDecipheriv(name, kek, MODES[mode].iv);
    return Buffer.concat([decipher.update(wrapped), decipher.final()]);
  } catch (cause) {
    throw new DecryptionFailedError({ cause });
  }
}
