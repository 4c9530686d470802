/**
 * TEST INFRASTRUCTURE: `keyplane_echo`, a resource whose attributes cover every cty type, so a
 * real terraform plan makes Terraform itself encode values for us to capture (wire vectors)
 * and check our codec against. It plans as proposed and is never applied.
 */
import {
  types,
  type ProviderDefinition,
  type Resource,
  type Schema,
} from 'terraform-provider-keyplane';

export const echoSchema: Schema = {
  description: 'Echo.',
  attributes: {
    s: { type: types.string, optional: true, description: 's' },
    n: { type: types.number, optional: true, description: 'n' },
    b: { type: types.bool, optional: true, description: 'b' },
    l: { type: types.list(types.number), optional: true, description: 'l' },
    st: { type: types.set(types.string), optional: true, description: 'st' },
    m: { type: types.map(types.string), optional: true, description: 'm' },
    o: {
      type: types.object({ a: types.string, b: types.number }),
      optional: true,
      description: 'o',
    },
    t: { type: types.tuple([types.string, types.bool]), optional: true, description: 't' },
    d: { type: types.dynamic, optional: true, description: 'd' },
    c: { type: types.string, computed: true, description: 'c' },
  },
  blocks: {
    blk: {
      nesting: 'list',
      block: { attributes: { x: { type: types.string, optional: true, description: 'x' } } },
    },
  },
};

const echo: Resource = {
  typeName: 'keyplane_echo',
  schema: echoSchema,
  create: () => Promise.reject(new Error('keyplane_echo is plan-only')),
  read: () => Promise.resolve(),
  update: () => Promise.reject(new Error('keyplane_echo is plan-only')),
  delete: () => Promise.resolve(),
};

export function echoProvider(): ProviderDefinition<undefined> {
  return {
    typeName: 'keyplane',
    version: '0.0.0-echo',
    schema: { attributes: {} },
    configure: () => Promise.resolve(undefined),
    resources: [echo],
    dataSources: [],
    functions: [],
  };
}
