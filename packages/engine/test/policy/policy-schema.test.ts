/**
 * The published JSON Schema against the loader, checked by an independent validator (ajv, in
 * strict mode): for every rule, valid and invalid values, at top level and in a namespace
 * override, both must agree. The committed schema file must equal policyJsonSchema(), and the
 * README's example policy must be valid for both.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import {
  POLICY_RULE_NAMES,
  evaluatePolicy,
  parsePolicyJson,
  type PolicyIntent,
  policyJsonSchema,
  validatePolicyDocument,
  type PolicyRuleName,
} from '@keyplane/engine';

const ROOT = join(__dirname, '../../../..');
const SCHEMA_FILE = join(ROOT, 'packages/engine/schema/keyplane-policy.schema.json');
const committed = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;

const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
const validate = ajv.compile(committed);

/** For each rule: values both validators must accept, and values both must refuse. */
const SAMPLES: Readonly<Record<PolicyRuleName, { valid: unknown[]; invalid: unknown[] }>> = {
  allowed_key_types: {
    valid: [[], ['rsa-4096', 'ecdsa-p256', 'ed25519', 'aes256-gcm96'], null],
    invalid: [['rsa-1024'], ['rsa-4096', 'rsa-4096'], 'rsa-4096', [4096], {}],
  },
  min_rsa_bits: { valid: [1, 3072, null], invalid: [0, -2048, 3072.5, '3072', true] },
  allowed_curves: {
    valid: [['P-256', 'P-384', 'P-521', 'Ed25519']],
    invalid: [['P256'], ['secp256k1'], ['P-256', 'P-256']],
  },
  allowed_origins: { valid: [['software'], ['hsm']], invalid: [['hsm:token'], ['cloud']] },
  require_rotation_period: { valid: [true, false, null], invalid: ['true', 1] },
  max_rotation_period: {
    valid: ['2160h', '90d', '1h30m', '1s', '0d1h', '999999999d'],
    invalid: ['0h', '0d0h', '90', '1.5h', '1w', '2160H', '', 2160, '1h'.repeat(40)],
  },
  require_deletion_protection: { valid: [true, false], invalid: ['false', 0] },
  allowed_providers: {
    valid: [['awskms', 'azurekeyvault', 'gcpckms', 'pkcs11'], []],
    invalid: [['aws'], ['vault']],
  },
  allowed_key_collections: {
    valid: [
      {},
      { awskms: ['eu-*'], gcpckms: ['projects/acme/**', 'projects/*/locations/eu/keyRings/x'] },
      { pkcs11: ['Keyplane Token (prod)'], azurekeyvault: [] },
    ],
    invalid: [
      { aws: ['eu-*'] },
      { awskms: 'eu-*' },
      { awskms: ['eu-**'] },
      { awskms: [''] },
      { gcpckms: ['projects//x'] },
      { gcpckms: ['/projects'] },
      { awskms: ['a', 'a'] },
      ['eu-*'],
    ],
  },
  allowed_protections: { valid: [['hsm'], ['hsm', 'software']], invalid: [['hardware']] },
  allowed_purposes: {
    valid: [{ azurekeyvault: ['sign', 'verify'], awskms: ['encrypt', 'decrypt', 'wrap'] }],
    invalid: [{ azure: ['sign'] }, { awskms: ['mac'] }, { awskms: 'sign' }],
  },
  allowed_managed_key_backends: { valid: [['pkcs11']], invalid: [['hsm']] },
  allowed_managed_key_usages: {
    valid: [['sign', 'verify', 'mac', 'random']],
    invalid: [['signing'], ['sign', 'sign']],
  },
  denied_managed_key_flags: {
    valid: [['allow_store_key', 'any_mount', 'allow_generate_key', 'allow_replace_key']],
    invalid: [['usages'], ['allow_store']],
  },
};

function expectAgreement(doc: unknown, expectValid: boolean): void {
  const ours = validatePolicyDocument(doc);
  const theirs = validate(doc);
  const label = JSON.stringify(doc);
  expect({ label, ajv: theirs, ajvErrors: validate.errors?.length ?? 0 }).toEqual({
    label,
    ajv: expectValid,
    ajvErrors: expectValid ? 0 : (expect.any(Number) as number),
  });
  expect({ label, loader: ours.length === 0 }).toEqual({ label, loader: expectValid });
}

test('the committed schema file is exactly policyJsonSchema() (run `npm run schema -w @keyplane/engine` after a rule change)', () => {
  expect(committed).toEqual(policyJsonSchema());
});

test('every rule has samples', () => {
  expect(Object.keys(SAMPLES).sort()).toEqual([...POLICY_RULE_NAMES].sort());
});

describe.each(POLICY_RULE_NAMES)('%s', (rule) => {
  // Wrapped: test.each would spread a bare array value into several arguments.
  const { valid, invalid } = SAMPLES[rule];
  test.each(valid.map((v) => [v]))('accepts %j (top level and in an override)', (value) => {
    expectAgreement({ version: 1, rules: { [rule]: value } }, true);
    expectAgreement(
      { version: 1, namespaces: [{ match: 'prod/**', rules: { [rule]: value } }] },
      true,
    );
  });
  test.each(invalid.map((v) => [v]))('refuses %j (top level and in an override)', (value) => {
    expectAgreement({ version: 1, rules: { [rule]: value } }, false);
    expectAgreement(
      { version: 1, namespaces: [{ match: 'team-*/x', rules: { [rule]: value } }] },
      false,
    );
  });
});

describe('document structure', () => {
  test.each([
    { version: 1 },
    { $schema: './keyplane-policy.schema.json', version: 1, description: 'org', rules: {} },
    { version: 1, namespaces: [] },
    { version: 1, namespaces: [{ match: '**', description: 'all', rules: {} }] },
    {
      version: 1,
      namespaces: [
        { match: 'a/**/b', rules: {} },
        { match: '*-prod', rules: {} },
      ],
    },
  ])('accepts %j', (doc) => {
    expectAgreement(doc, true);
  });

  test.each([
    null,
    [],
    'policy',
    {},
    { version: 2 },
    { version: '1' },
    { version: 1, extra: true },
    { version: 1, description: 1 },
    { version: 1, $schema: 1 },
    { version: 1, rules: [] },
    { version: 1, rules: { allowed_key_type: [] } },
    { version: 1, namespaces: {} },
    { version: 1, namespaces: ['prod'] },
    { version: 1, namespaces: [{ match: 'prod' }] },
    { version: 1, namespaces: [{ rules: {} }] },
    { version: 1, namespaces: [{ match: 'prod/', rules: {} }] },
    { version: 1, namespaces: [{ match: 'prod/***', rules: {} }] },
    { version: 1, namespaces: [{ match: 'prod', rules: {}, priority: 1 }] },
    { version: 1, namespaces: [{ match: 'prod', description: 2, rules: {} }] },
  ])('refuses %j', (doc) => {
    expectAgreement(doc, false);
  });
});

test("the README's example policy is valid for both", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Key policy'));
  const block = /```json\n([\s\S]*?)```/.exec(section)?.[1];
  expect(block).toBeDefined();
  expectAgreement(JSON.parse(block ?? ''), true);
});

test("the README's example behaves as the README says", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Key policy'));
  const policy = parsePolicyJson(/```json\n([\s\S]*?)```/.exec(section)?.[1] ?? '');
  const codes = (intent: PolicyIntent) => evaluatePolicy(policy, intent).map((v) => v.code);
  const key = { kind: 'key', name: 'pay', type: 'rsa-2048' } as const;
  expect(evaluatePolicy(policy, { ...key, namespace: 'prod/payments' })[0]).toMatchObject({
    code: 'POLICY_KEY_TYPE_NOT_ALLOWED',
    field: 'type',
    rule: 'rules.allowed_key_types',
    value: 'rsa-2048',
  });
  expect(codes({ ...key, namespace: 'prod/payments' })).toEqual([
    'POLICY_KEY_TYPE_NOT_ALLOWED',
    'POLICY_RSA_KEY_TOO_SMALL',
    'POLICY_ORIGIN_NOT_ALLOWED',
    'POLICY_ROTATION_PERIOD_REQUIRED',
  ]);
  expect(codes({ ...key, type: 'rsa-4096', namespace: 'sandbox/me' })).toEqual([]);
  expect(
    codes({
      ...key,
      type: 'rsa-4096',
      namespace: 'prod',
      rotation_period: '2160h',
      origin: 'hsm:t',
      deletion_allowed: true,
    }),
  ).toEqual(['POLICY_ROTATION_PERIOD_TOO_LONG', 'POLICY_DELETION_PROTECTION_REQUIRED']);
  const kms = {
    kind: 'kms',
    name: 'k',
    provider: 'gcpckms',
    key_collection: 'projects/acme-prod/locations/europe-west1/keyRings/main',
  } as const;
  expect(codes(kms)).toEqual([]);
  expect(codes({ ...kms, namespace: 'prod/payments' })).toEqual(['POLICY_PROVIDER_NOT_ALLOWED']);
  expect(
    codes({ ...kms, key_collection: 'projects/acme-prod/locations/us-east1/keyRings/main' }),
  ).toEqual(['POLICY_KEY_COLLECTION_NOT_ALLOWED']);
});

test('the README documents every rule and violation code', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Key policy'));
  const schema = policyJsonSchema() as {
    $defs: { rules: { properties: Record<string, { description: string }> } };
  };
  for (const rule of POLICY_RULE_NAMES) {
    expect(section).toContain(`\`${rule}\``);
    const code = /\(violation: (POLICY_[A-Z_]+)\)/.exec(
      schema.$defs.rules.properties[rule]?.description ?? '',
    )?.[1];
    expect(section).toContain(`\`${code ?? 'missing'}\``);
  }
});
