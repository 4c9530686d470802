/**
 * keyplane_managed_key's parameter attributes, generated from the engine's parameter table
 * (`@keyplane/engine/managed-parameters`: every generic and backend parameter of Vault's
 * /sys/managed-keys API, its kind, description, allowed values, default and whether it is sensitive). This is the one place the table is
 * read: the resource file only sees {@link PARAMETER_ATTRIBUTES} and the lookups below.
 *
 * Parameters are flat, as in `/sys/managed-keys/:type/:name`; a name several backends share
 * (`key_bits`, `curve`, `endpoint`, `region`) is one attribute, checked against the `type` of the
 * resource. Secret parameters are write-only: `pin_wo` + `pin_wo_version` (bump the version to
 * send a new value), so a PIN or client secret never reaches plan or state.
 *
 * @module
 */
import {
  BACKEND_PARAMETERS,
  GENERIC_PARAMETERS,
  type ParameterSpec,
} from '@keyplane/engine/managed-parameters';
import type { Attribute } from '../framework/schema';
import { types, type CtyType } from '../protocol/cty/types';
import { CtyNumber } from '../protocol/cty/number';
import type { CtyValue } from '../protocol/cty/values';

export const MANAGED_KEY_TYPES = Object.keys(BACKEND_PARAMETERS) as readonly ManagedKeyType[];
export type ManagedKeyType = keyof typeof BACKEND_PARAMETERS;

/**
 * The engine table's description; where backends describe a shared name differently
 * (`insecure`, `key_bits`), each type's wording, prefixed by the type.
 */
function summary(p: ParameterAttribute): string {
  const texts = Object.entries(p.specs).map(([type, spec]) => [type, spec.description] as const);
  const distinct = [...new Set(texts.map(([, text]) => text))];
  if (distinct.length === 1) return distinct[0] ?? '';
  return texts.map(([type, text]) => `\`${type}\`: ${text}`).join(' ');
}

export interface ParameterAttribute {
  /** The engine's parameter name. */
  readonly parameter: string;
  /** The attribute carrying it (`pin_wo` for the secret `pin`). */
  readonly attribute: string;
  /** Backend types accepting it (all for generic parameters). */
  readonly types: readonly ManagedKeyType[];
  readonly secret: boolean;
  readonly generic: boolean;
  readonly specs: Readonly<Partial<Record<ManagedKeyType, ParameterSpec>>>;
}

const KIND_TYPES: Readonly<Record<ParameterSpec['kind'], CtyType>> = {
  string: types.string,
  boolean: types.bool,
  integer: types.number,
  usages: types.set(types.string),
};

function collect(): ParameterAttribute[] {
  const byName = new Map<
    string,
    { types: ManagedKeyType[]; specs: Record<string, ParameterSpec> }
  >();
  const add = (name: string, type: ManagedKeyType, spec: ParameterSpec) => {
    const row = byName.get(name) ?? { types: [], specs: {} };
    row.types.push(type);
    row.specs[type] = spec;
    byName.set(name, row);
  };
  for (const type of MANAGED_KEY_TYPES) {
    for (const [name, spec] of Object.entries(GENERIC_PARAMETERS)) add(name, type, spec);
    for (const [name, spec] of Object.entries(BACKEND_PARAMETERS[type])) add(name, type, spec);
  }
  return [...byName.entries()].map(([name, row]) => {
    const secret = Object.values(row.specs).some((s) => s.sensitive);
    return {
      parameter: name,
      attribute: secret ? `${name}_wo` : name,
      types: row.types,
      secret,
      generic: Object.prototype.hasOwnProperty.call(GENERIC_PARAMETERS, name),
      specs: row.specs,
    };
  });
}

export const PARAMETERS: readonly ParameterAttribute[] = collect();

const byAttribute = new Map(PARAMETERS.map((p) => [p.attribute, p]));
const byParameter = new Map(PARAMETERS.map((p) => [p.parameter, p]));

export const parameterByAttribute = (name: string) => byAttribute.get(name);
export const parameterByName = (name: string) => byParameter.get(name);

/** The attribute the engine's `field` refers to (`pin` → `pin_wo`). */
export function attributeForField(field: string): string | undefined {
  if (field === 'name' || field === 'type') return field;
  return byParameter.get(field)?.attribute;
}

/** Default of a parameter for one backend type, as a cty value (undefined: none). */
export function defaultFor(p: ParameterAttribute, type: ManagedKeyType): CtyValue | undefined {
  const d = p.specs[type]?.default;
  if (d === undefined) return undefined;
  if (Array.isArray(d)) return [...(d as readonly string[])].sort();
  if (typeof d === 'number') return CtyNumber.of(d);
  return d;
}

function describe(p: ParameterAttribute): string {
  const where = p.generic ? 'All types.' : `Types: ${p.types.map((t) => `\`${t}\``).join(', ')}.`;
  const allowed = [
    ...new Set(Object.values(p.specs).flatMap((s) => (s.allowed === undefined ? [] : s.allowed))),
  ];
  const defaults = Object.entries(p.specs)
    .filter(([, s]) => s.default !== undefined)
    .map(([t, s]) => `${JSON.stringify(s.default)}${p.generic ? '' : ` (${t})`}`);
  const uniqueDefaults = [...new Set(defaults)];
  return [
    summary(p),
    where,
    allowed.length === 0 ? '' : `Allowed: ${allowed.map((a) => `\`${a}\``).join(', ')}.`,
    uniqueDefaults.length === 0 ? '' : `Default: ${uniqueDefaults.join(', ')}.`,
    Object.values(p.specs).some((s) => s.keyplane) ? 'Keyplane addition.' : '',
    p.secret ? `Sealed in the store. Bump \`${p.parameter}_wo_version\` to send a new value.` : '',
  ]
    .filter((s) => s !== '')
    .join(' ');
}

/** The attributes for every parameter (+ `*_wo_version` for secrets). */
export const PARAMETER_ATTRIBUTES: Readonly<Record<string, Attribute>> = Object.fromEntries(
  PARAMETERS.flatMap((p): [string, Attribute][] => {
    const kind = Object.values(p.specs)[0]?.kind ?? 'string';
    const hasDefault = Object.values(p.specs).some((s) => s.default !== undefined);
    if (p.secret) {
      return [
        [
          p.attribute,
          { type: types.string, optional: true, writeOnly: true, description: describe(p) },
        ],
        [
          `${p.parameter}_wo_version`,
          {
            type: types.number,
            optional: true,
            description: `Any change sends \`${p.attribute}\` again (write-only values are not compared).`,
          },
        ],
      ];
    }
    return [
      [
        p.attribute,
        {
          type: KIND_TYPES[kind],
          optional: true,
          // Defaults depend on the type: planned by the resource, so optional + computed.
          ...(hasDefault ? { computed: true } : {}),
          description: describe(p),
        },
      ],
    ];
  }),
);
