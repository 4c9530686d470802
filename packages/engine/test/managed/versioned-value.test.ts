/**
 * `keyplane:v<N>:<base64>` strings: a Buffer is encoded as it is, other bytes through a view of
 * exactly their range (a subarray of a larger buffer must not leak its neighbours), and both
 * parse back to the same bytes.
 */
import { formatVersioned, parseVersioned } from '@keyplane/engine';

describe('formatVersioned / parseVersioned', () => {
  const whole = Uint8Array.from({ length: 32 }, (_, i) => i);

  it.each([
    ['a Buffer', Buffer.from(whole)],
    ['a Buffer slice of a larger one', Buffer.from(whole).subarray(5, 20)],
    ['a Uint8Array', new Uint8Array(whole)],
    ['a Uint8Array subarray at an offset', whole.subarray(3, 11)],
  ])('encodes %s by its own bytes only', (_, bytes) => {
    const text = formatVersioned(7, bytes);
    expect(text).toBe(`keyplane:v7:${Buffer.from(Array.from(bytes)).toString('base64')}`);
    const parsed = parseVersioned(text);
    expect(parsed.version).toBe(7);
    expect([...parsed.bytes]).toEqual([...bytes]);
  });
});
