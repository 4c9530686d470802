/**
 * Versioned output strings, Vault Transit style: `keyplane:v<N>:<base64>`. `vault:v<N>:` is
 * accepted on input so signatures made by Vault Transit over the same managed key verify
 * during a migration.
 *
 * @module
 */
// Imported, not the global: Node defines the global `Buffer` as an accessor, a getter call on
// every use in a hot path (formatVersioned runs once per sign). Renamed so that the types here
// (and the API report) keep naming the global Buffer type, which is the same.
import { Buffer as NodeBuffer } from 'node:buffer';
import { InvalidSignatureEncodingError } from '../errors';

const PATTERN = /^(keyplane|vault):v([1-9][0-9]{0,9}):([A-Za-z0-9+/]+={0,2})$/;

export function formatVersioned(version: number, bytes: Uint8Array): string {
  // Backends return Buffers: encoded as they are. Other bytes through a view, not a copy
  // (Buffer.from(bytes) would copy them first).
  const view = NodeBuffer.isBuffer(bytes)
    ? bytes
    : NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return `keyplane:v${String(version)}:${view.toString('base64')}`;
}

export interface VersionedValue {
  readonly prefix: 'keyplane' | 'vault';
  readonly version: number;
  readonly bytes: Buffer;
}

export function parseVersioned(value: string, field = 'signature'): VersionedValue {
  const m = PATTERN.exec(value.trim());
  if (m?.[1] === undefined || m[2] === undefined || m[3] === undefined) {
    throw new InvalidSignatureEncodingError(
      `${field} must look like keyplane:v<N>:<base64> (or vault:v<N>:<base64>)`,
      { field, allowed: ['keyplane:v<N>:<base64>', 'vault:v<N>:<base64>'] },
    );
  }
  return {
    prefix: m[1] as 'keyplane' | 'vault',
    version: Number(m[2]),
    bytes: NodeBuffer.from(m[3], 'base64'),
  };
}
