/**
 * The cty msgpack codec against bytes Terraform 1.11.4 itself produced (test/vectors, captured
 * from real `terraform plan` runs by test/e2e/wire-vectors.test.ts): each decodes to the value
 * the HCL says, and re-encoding gives Terraform's exact bytes back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CtyNumber,
  DynamicVal,
  Unknown,
  asObject,
  decodeMsgpack,
  encodeMsgpack,
  impliedType,
  types,
  type CtyValue,
} from 'terraform-provider-keyplane';
import { echoSchema } from '../support/echo-provider';
import { WIRE_CASES } from '../support/wire-cases';

const vectors = (
  JSON.parse(readFileSync(join(__dirname, '..', 'vectors', 'terraform-1.11.4.json'), 'utf8')) as {
    cases: Record<string, string>;
  }
).cases;
const type = impliedType(echoSchema);
const n = (s: string) => CtyNumber.of(s);

function attr(name: string, attribute: string): CtyValue {
  const hex = vectors[name];
  if (hex === undefined) throw new Error(`no vector ${name}`);
  const obj = asObject(decodeMsgpack(Buffer.from(hex, 'hex'), type));
  return obj?.[attribute] ?? null;
}

it('has a vector for every case', () => {
  expect(Object.keys(vectors).sort()).toEqual(Object.keys(WIRE_CASES).sort());
});

it.each([
  ['int', '42'],
  ['negative', '-7'],
  ['float', '1.5'],
  ['decimal', '0.1'],
  ['big_int', '12345678901234567890'],
  ['past_2_53', '9007199254740993'],
  ['huge', `1${'0'.repeat(300)}`],
  ['two_pow_70', '1180591620717411303424'],
])('number %s decodes exactly to %s', (name, text) => {
  const v = attr(name, 'n');
  expect(v).toBeInstanceOf(CtyNumber);
  expect((v as CtyNumber).toString()).toBe(text);
});

it('decodes strings (NFC as Terraform sends them), bools and collections', () => {
  expect(attr('string_nfc', 's')).toBe('h\u00e9llo');
  expect(attr('bool', 'b')).toBe(true);
  expect(attr('list', 'l')).toEqual([n('1'), n('2.5'), n('3')]);
  expect(attr('set', 'st')).toEqual(['a', 'b']);
  expect({ ...asObject(attr('map', 'm')) }).toEqual({ a: 'z', k: 'v' });
  expect({ ...asObject(attr('object', 'o')) }).toEqual({ a: 'x', b: n('2') });
  expect(attr('tuple', 't')).toEqual(['x', true]);
});

it('decodes dynamic values with their concrete types', () => {
  const d = attr('dynamic_object', 'd');
  expect(d).toBeInstanceOf(DynamicVal);
  expect((d as DynamicVal).type).toEqual(
    types.object({ k: types.tuple([types.number, types.string]) }),
  );
  expect({ ...asObject((d as DynamicVal).value) }).toEqual({ k: [n('1'), 'two'] });
  expect(attr('dynamic_string', 'd')).toEqual(new DynamicVal('string', 'str'));
});

it('decodes nested blocks as a list of objects (never null), absent attributes as null', () => {
  const blocks = attr('blocks', 'blk') as CtyValue[];
  expect(blocks.map((b) => ({ ...asObject(b) }))).toEqual([{ x: 'one' }, { x: null }]);
  expect(attr('int', 'blk')).toEqual([]);
  expect(attr('int', 's')).toBeNull();
});

it('decodes unknowns with the refinements Terraform sends', () => {
  const plain = attr('unknown', 's');
  expect(plain).toBeInstanceOf(Unknown);
  expect((plain as Unknown).refinements).toEqual({ notNull: true });
  expect((attr('unknown_prefix', 's') as Unknown).refinements).toEqual({
    notNull: true,
    stringPrefix: 'beta-',
  });
  const list = attr('unknown_in_list', 'l') as CtyValue[];
  expect(list[0]).toEqual(n('1'));
  expect((list[1] as Unknown).refinements).toEqual({
    notNull: true,
    numberLower: { value: n('0'), inclusive: true },
  });
  const dyn = attr('unknown_dynamic', 'd') as DynamicVal;
  expect(dyn.type).toBe('string');
  expect(dyn.value).toBeInstanceOf(Unknown);
});

it.each(Object.keys(WIRE_CASES))('re-encodes %s to exactly the bytes terraform sent', (name) => {
  const bytes = Buffer.from(vectors[name] ?? '', 'hex');
  expect(Buffer.from(encodeMsgpack(decodeMsgpack(bytes, type), type)).toString('hex')).toBe(
    bytes.toString('hex'),
  );
});
