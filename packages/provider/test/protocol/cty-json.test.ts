/**
 * cty JSON (stored state, UpgradeResourceState): numbers stay exact, dynamic values carry
 * their type, unknown attributes are dropped and missing ones are null; and codec errors name
 * the attribute path.
 */
import {
  CtyNumber,
  DynamicVal,
  asObject,
  decodeJson,
  decodeMsgpack,
  encodeMsgpack,
  types,
} from 'terraform-provider-keyplane';

const stateType = types.object({
  id: types.string,
  size: types.number,
  tags: types.map(types.string),
  extra: types.dynamic,
  flags: types.set(types.bool),
});

it('decodes state JSON without losing digits', () => {
  const v = asObject(
    decodeJson(
      '{"id":"a","size":123456789012345678901234567890.5,"tags":{"k":"v"},"extra":{"value":[1,"x"],"type":["tuple",["number","string"]]},"flags":[true],"removed_attr":1}',
      stateType,
    ),
  );
  expect(v?.size).toEqual(CtyNumber.of('123456789012345678901234567890.5'));
  expect(v?.extra).toEqual(
    new DynamicVal(types.tuple([types.number, types.string]), [CtyNumber.of(1), 'x']),
  );
  expect(v && 'removed_attr' in v).toBe(false);
  expect(v?.flags).toEqual([true]);
});

it('fills attributes missing from old state with null', () => {
  const v = asObject(decodeJson('{"id":"a"}', stateType));
  expect({ ...v }).toEqual({ id: 'a', size: null, tags: null, extra: null, flags: null });
});

it('reports a type mismatch with the attribute path', () => {
  expect(() => decodeJson('{"id":"a","tags":{"k":[1]}}', stateType)).toThrow(
    'tags["k"]: string required in stored state',
  );
  expect(() =>
    decodeMsgpack(encodeMsgpack({ id: 'x' }, types.object({ id: types.string })), stateType),
  ).not.toThrow();
  expect(() => decodeMsgpack(Uint8Array.of(0x81, 0xa1, 0x7a, 0x01), stateType)).toThrow(
    'unsupported attribute "z"',
  );
  expect(() => encodeMsgpack({ id: 5 } as never, types.object({ id: types.string }))).toThrow(
    'id: value does not conform to string',
  );
});
