/**
 * HMAC-SHA256 under one key, many times (the store's record MAC and audit HMAC): the key's two
 * padded blocks are prepared once and each MAC is two one-shot hashes, as RFC 2104 §2 defines
 * it: H(K ⊕ opad ‖ H(K ⊕ ipad ‖ text)). `createHmac` pads the key again and builds a stream
 * object per call, which for the short inputs of audit entries (a message or digest to sign)
 * cost more than the hashing itself (bench/callgrind.ts). Long inputs go to `createHmac`, which
 * streams them instead of copying them behind the key block.
 *
 * @module
 */
import { createHmac, hash } from 'node:crypto';

/** SHA-256's block size in bytes (RFC 6234 §4.1 / FIPS 180-4). */
const BLOCK = 64;
/** Longer inputs are not copied behind the key block. */
const ONE_SHOT_MAX = 4096;

export class PreparedHmacSha256 {
  readonly #key: Buffer;
  readonly #inner: Buffer;
  readonly #outer: Buffer;

  constructor(key: Uint8Array) {
    // RFC 2104 §2: a key longer than the block is hashed first; shorter ones are zero-padded.
    this.#key = Buffer.from(key.length > BLOCK ? hash('sha256', key, 'buffer') : key);
    this.#inner = Buffer.alloc(BLOCK, 0x36);
    this.#outer = Buffer.alloc(BLOCK, 0x5c);
    for (let i = 0; i < this.#key.length; i++) {
      const k = this.#key[i] ?? 0;
      this.#inner[i] = 0x36 ^ k;
      this.#outer[i] = 0x5c ^ k;
    }
  }

  /** HMAC-SHA256 of `data` (a string as UTF-8, like `Hmac.update`), hex. */
  hex(data: Uint8Array | string): string {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (bytes.length > ONE_SHOT_MAX) {
      return createHmac('sha256', this.#key).update(bytes).digest('hex');
    }
    const inner = hash('sha256', Buffer.concat([this.#inner, bytes]), 'buffer');
    return hash('sha256', Buffer.concat([this.#outer, inner]), 'hex');
  }

  /** Zeroes the key and its padded blocks. */
  dispose(): void {
    this.#key.fill(0);
    this.#inner.fill(0);
    this.#outer.fill(0);
  }
}
