/**
 * Best-effort wiping of plaintext key bytes. JavaScript cannot guarantee no copy survives (the
 * GC may have moved a buffer, strings are immutable), so Keyplane keeps secrets in OpenSSL-owned
 * `KeyObject`s and only materialises bytes for the moment they are wrapped, then zeroes them here.
 */
export function zeroize(...buffers: (Uint8Array | undefined)[]): void {
  for (const b of buffers) b?.fill(0);
}

/** Runs `fn` with `secret`, zeroing it afterwards whatever happens. */
export function withSecret<T>(secret: Buffer, fn: (secret: Buffer) => T): T {
  try {
    return fn(secret);
  } finally {
    zeroize(secret);
  }
}
