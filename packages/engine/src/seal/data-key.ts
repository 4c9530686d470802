/**
 * The keys a store derives from its data key (HKDF-SHA256, RFC 5869; salt = the store id, one
 * `info` label per use, so no key is used for two purposes):
 * - field encryption: AES-256-GCM per secret field, AAD = namespace, record kind, record id and
 *   field name, so a ciphertext moved to another record or field fails to open;
 * - record MAC: HMAC-SHA256 over every column of a record (ERR_INTEGRITY when anything is edited);
 * - audit HMAC: secret inputs of audited operations are logged as HMACs, never in clear (as
 *   Vault's audit devices do: https://developer.hashicorp.com/vault/docs/audit#sensitive-information).
 *
 * @module
 */
import { createSecretKey, hkdfSync, timingSafeEqual, type KeyObject } from 'node:crypto';
import { aesGcmDecrypt, aesGcmEncrypt } from '../crypto/aes-gcm';
import { PreparedHmacSha256 } from '../crypto/prepared-hmac';

export const DATA_KEY_BYTES = 32;

/** What a secret field is bound to. */
export interface FieldContext {
  readonly namespace: string;
  readonly kind: string;
  readonly id: string;
  readonly field: string;
}

function derive(dataKey: Uint8Array, salt: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.from(salt), Buffer.from(info), 32));
}

/** The HMAC for a derived key; the derived bytes are zeroed once it holds its own copy. */
function prepared(key: Buffer): PreparedHmacSha256 {
  const hmac = new PreparedHmacSha256(key);
  key.fill(0);
  return hmac;
}

/** NUL-separated, so no two contexts encode to the same bytes. */
const aadOf = (c: FieldContext): Buffer =>
  Buffer.from(['keyplane field v1', c.namespace, c.kind, c.id, c.field].join('\0'));

export class StoreKeys {
  // ECMAScript private fields: never enumerated (a test failure or a log printing the object
  // shows nothing of them).
  readonly #fieldKey: KeyObject;
  readonly #macKey: PreparedHmacSha256;
  readonly #auditKey: PreparedHmacSha256;

  constructor(dataKey: Uint8Array, storeId: string) {
    const field = derive(dataKey, storeId, 'keyplane field encryption v1');
    this.#fieldKey = createSecretKey(field);
    field.fill(0);
    this.#macKey = prepared(derive(dataKey, storeId, 'keyplane record mac v1'));
    this.#auditKey = prepared(derive(dataKey, storeId, 'keyplane audit hmac v1'));
  }

  encryptField(context: FieldContext, plaintext: Uint8Array): string {
    return aesGcmEncrypt(this.#fieldKey, plaintext, aadOf(context)).toString('base64url');
  }

  /** DecryptionFailedError when the ciphertext was changed or belongs to another field. */
  decryptField(context: FieldContext, sealed: string): Buffer {
    return aesGcmDecrypt(this.#fieldKey, Buffer.from(sealed, 'base64url'), aadOf(context));
  }

  /** HMAC-SHA256 (hex) of the canonical encoding of a record's columns. */
  mac(parts: readonly (string | number)[]): string {
    return this.#macKey.hex(JSON.stringify(parts));
  }

  checkMac(parts: readonly (string | number)[], mac: string): boolean {
    const expected = Buffer.from(this.mac(parts), 'hex');
    const given = Buffer.from(mac, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** `hmac-sha256:<hex>` of a secret input, for audit entries. */
  auditHmac(value: Uint8Array | string): string {
    return `hmac-sha256:${this.#auditKey.hex(value)}`;
  }

  /** Zeroes the derived key bytes this object holds (the KeyObject is dropped). */
  dispose(): void {
    this.#macKey.dispose();
    this.#auditKey.dispose();
  }
}
