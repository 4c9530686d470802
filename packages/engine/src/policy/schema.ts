/**
 * The policy document's JSON Schema (draft 2020-12), built from the rule table so it always says
 * what the loader does. Published as `@keyplane/engine/schema/keyplane-policy.schema.json`
 * (regenerate with `npm run schema -w @keyplane/engine`; a test fails when the file is stale).
 *
 * @module
 */
import { NAME_PATTERN } from './patterns';
import { POLICY_VERSIONS } from './document';
import { POLICY_RULE_NAMES, RULES } from './rules';
import type { JsonSchema } from './value-kinds';

/** A rule value may be `null`: in an override, that removes the rule. */
function nullable(schema: JsonSchema): JsonSchema {
  return { ...schema, type: [schema.type, 'null'] };
}

/** The JSON Schema of a policy document. */
export function policyJsonSchema(): JsonSchema {
  const rules = Object.fromEntries(
    POLICY_RULE_NAMES.map((name) => [
      name,
      {
        description: `${RULES[name].description} (violation: ${RULES[name].code})`,
        ...nullable(RULES[name].schema),
      },
    ]),
  );
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Keyplane key policy',
    description:
      'Org key policy evaluated at CDKTF synth, Terraform plan and engine apply. Base rules apply to every namespace; namespace overrides replace rule values, least specific first (exact name > more literal characters > later entry); null removes a rule.',
    type: 'object',
    required: ['version'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      version: { description: 'Document format version.', enum: POLICY_VERSIONS },
      description: { type: 'string' },
      rules: { $ref: '#/$defs/rules' },
      namespaces: { type: 'array', items: { $ref: '#/$defs/namespace' } },
    },
    $defs: {
      rules: { type: 'object', additionalProperties: false, properties: rules },
      namespace: {
        type: 'object',
        required: ['match', 'rules'],
        additionalProperties: false,
        properties: {
          match: {
            description:
              "Namespace pattern: '*' within a segment, '**' for any number of segments.",
            type: 'string',
            pattern: NAME_PATTERN,
          },
          description: { type: 'string' },
          rules: { $ref: '#/$defs/rules' },
        },
      },
    },
  };
}
