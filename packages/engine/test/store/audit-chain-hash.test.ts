/**
 * The audit chain's hash input, built as text (audit/entry.ts canonicalJson + chainHash), is
 * byte for byte the form stored chains were hashed with: JSON.stringify of the fields with a
 * key-sorted copy of the details. Cross-checked with the openssl CLI on a hand-written input.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { JsonValue } from '@keyplane/engine';
import { canonicalJson, entryHash, isoTime } from '@keyplane/engine/internal';

/** The sorted copy stored chains were hashed with (the engine's implementation before). */
function sortedCopy(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return (value as readonly JsonValue[]).map(sortedCopy);
  if (value !== null && typeof value === 'object') {
    const obj = value as { readonly [key: string]: JsonValue };
    return Object.fromEntries(
      Object.keys(obj)
        .sort()
        .map((k) => [k, sortedCopy(obj[k] ?? null)]),
    );
  }
  return value;
}

const openssl = (text: string): string =>
  execFileSync('openssl', ['dgst', '-sha256', '-r'], { input: text }).toString().split(' ')[0] ??
  '';

it('hashes the entry text every stored chain was hashed with (openssl dgst -sha256)', () => {
  const entry = {
    seq: 7,
    time: '2026-12-03T10:00:00.000Z',
    namespace: 'team-a/payments',
    actor: 'alice',
    operation: 'sign',
    target: 'signing_key/release',
    outcome: 'ok' as const,
    errorCode: null,
    details: { version: 2, input: 'hmac-sha256:ab', '10': 'x', '2': ['b', { z: 1, a: 'é' }] },
    prevHash: 'f'.repeat(64),
  };
  const text =
    '[7,"2026-12-03T10:00:00.000Z","team-a/payments","alice","sign","signing_key/release","ok",null,' +
    '{"2":["b",{"a":"é","z":1}],"10":"x","input":"hmac-sha256:ab","version":2},' +
    `"${'f'.repeat(64)}"]`;
  expect(entryHash(entry)).toBe(openssl(text));
});

it('writes canonical JSON exactly as JSON.stringify of the sorted copy', () => {
  const values: JsonValue[] = [
    {},
    [],
    { b: 1, a: [3, { d: null, c: true }] },
    // Array-index keys come first, numerically; "01" and 2^32 − 1 are not index keys.
    { '10': 1, '9': 2, '01': 3, '4294967295': 4, '4294967294': 5, a: 6, '': 7 },
    { ü: 'ß', A: 'a', '\u2028': 'line\nbreak', '"': '\\' },
    { nested: { '3': { y: [], x: {} }, '1': [[{ b: 0, a: -1.5e-7 }]] } },
    // JSON.parse of hand-written JSON may carry any key, __proto__ included.
    JSON.parse('{"__proto__": {"b": 1, "a": 2}, "constructor": "x"}') as JsonValue,
    'text',
    12.5,
    false,
    null,
  ];
  for (const value of values) {
    expect(canonicalJson(value)).toBe(JSON.stringify(sortedCopy(value)));
  }
  // Missing values are null, in objects and arrays alike.
  const holes = { a: undefined, b: [1, undefined] } as unknown as JsonValue;
  expect(canonicalJson(holes)).toBe(JSON.stringify(sortedCopy(holes)));
  expect(canonicalJson(holes)).toBe('{"a":null,"b":[1,null]}');
});

it('hashes edited rows (any prev_hash text, nested details) as the stored form did', () => {
  const base = {
    seq: 3,
    time: 'not a time "quoted"',
    namespace: 'root',
    actor: 'mallory\n',
    operation: 'sign',
    target: 'signing_key/s',
    outcome: 'error' as const,
    errorCode: 'ERR_X',
  };
  for (const prevHash of ['0'.repeat(64), 'F'.repeat(64), 'x"y\\', '']) {
    for (const details of [{}, { b: 1, a: 'z' }, { n: { y: [1, { q: null }], x: 2 }, '7': true }]) {
      const entry = { ...base, prevHash, details };
      const stored = JSON.stringify([
        entry.seq,
        entry.time,
        entry.namespace,
        entry.actor,
        entry.operation,
        entry.target,
        entry.outcome,
        entry.errorCode,
        sortedCopy(details),
        prevHash,
      ]);
      expect(entryHash(entry)).toBe(createHash('sha256').update(stored).digest('hex'));
    }
  }
});

it('formats entry times exactly as Date.prototype.toISOString', () => {
  const start = Date.UTC(2026, 11, 3, 10, 59, 59, 990);
  const times = [0, 999, 1000, -1, -1001, start, 253402300799999, 253402300800000, -62198755200000];
  for (let i = 0; i < 30; i++) times.push(start + i * 7);
  for (const ms of times) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
});
