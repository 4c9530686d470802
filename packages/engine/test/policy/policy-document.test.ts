/**
 * Loading policy documents (every problem with its path and allowed values) and namespace
 * precedence (exact > more literal characters > later entry; null removes a rule).
 */
import {
  PolicyDocumentError,
  evaluatePolicy,
  parsePolicy,
  parsePolicyJson,
  validatePolicyDocument,
  type KeyIntent,
  type PolicyDocument,
} from '@keyplane/engine';
import { expectKeyplaneError } from '../crypto-helpers/expect-error';

const problemsOf = (doc: unknown) => validatePolicyDocument(doc).map((p) => [p.path, p.message]);

describe('document validation', () => {
  test('a minimal document', () => {
    expect(validatePolicyDocument({ version: 1 })).toEqual([]);
    expect(parsePolicy({ version: 1 }).rulesFor('root')).toEqual({
      namespace: 'root',
      overrides: [],
      rules: [],
    });
  });

  test.each([
    [null, [['policy', 'policy must be a JSON object, got null']]],
    [[], [['policy', 'policy must be a JSON object, got array']]],
    [{}, [['version', 'version is required; supported: 1']]],
    [{ version: 2 }, [['version', "version '2' is not supported; allowed: 1"]]],
    [{ version: '1' }, [['version', 'version \'"1"\' is not supported; allowed: 1']]],
    [
      { version: 1, rule: {} },
      [
        [
          'rule',
          'rule is not a known policy field; allowed: $schema, version, description, rules, namespaces',
        ],
      ],
    ],
    [{ version: 1, description: 3 }, [['description', 'description must be a string, got number']]],
    [{ version: 1, rules: [] }, [['rules', 'rules must be an object of rules, got array']]],
  ])('%j', (doc, expected) => {
    expect(problemsOf(doc)).toEqual(expected);
  });

  test('unknown rule names list the rules', () => {
    const [p] = validatePolicyDocument({ version: 1, rules: { allowed_key_type: ['rsa-2048'] } });
    expect(p?.path).toBe('rules.allowed_key_type');
    expect(p?.message).toMatch(
      /^rules\.allowed_key_type is not a known rule; allowed: allowed_key_types, min_rsa_bits, /,
    );
    expect(p?.allowed).toContain('denied_managed_key_flags');
  });

  test('each value kind names its path and allowed values', () => {
    expect(
      problemsOf({
        version: 1,
        rules: {
          allowed_key_types: ['rsa-2048', 'rsa-1024', 'rsa-2048', 7],
          min_rsa_bits: 2048.5,
          allowed_curves: 'P-256',
          require_rotation_period: 'yes',
          max_rotation_period: '0h',
          allowed_key_collections: { aws: ['eu-*'], awskms: ['eu-**'] },
          allowed_purposes: { gcpckms: ['sign', 'mac'] },
          denied_managed_key_flags: ['usages'],
        },
      }),
    ).toEqual([
      [
        'rules.allowed_key_types[1]',
        "rules.allowed_key_types[1] 'rsa-1024' is not supported; allowed: aes256-gcm96, rsa-2048, rsa-3072, rsa-4096, ecdsa-p256, ecdsa-p384, ecdsa-p521, ed25519",
      ],
      [
        'rules.allowed_key_types[2]',
        'rules.allowed_key_types[2] repeats an earlier entry ("rsa-2048")',
      ],
      [
        'rules.allowed_key_types[3]',
        'rules.allowed_key_types[3] must be one of: aes256-gcm96, rsa-2048, rsa-3072, rsa-4096, ecdsa-p256, ecdsa-p384, ecdsa-p521, ed25519; got number',
      ],
      ['rules.min_rsa_bits', 'rules.min_rsa_bits must be a whole number, got number'],
      ['rules.allowed_curves', 'rules.allowed_curves must be an array, got string'],
      [
        'rules.require_rotation_period',
        'rules.require_rotation_period must be true or false, got string',
      ],
      ['rules.max_rotation_period', "rules.max_rotation_period must be longer than zero, got '0h'"],
      [
        'rules.allowed_key_collections.aws',
        'rules.allowed_key_collections.aws is not a known provider; allowed: pkcs11, awskms, azurekeyvault, gcpckms',
      ],
      [
        'rules.allowed_key_collections.awskms[0]',
        "rules.allowed_key_collections.awskms[0] 'eu-**' is not a name pattern: '/'-separated non-empty segments, '*' inside a segment, '**' only as a whole segment",
      ],
      [
        'rules.allowed_purposes.gcpckms[1]',
        "rules.allowed_purposes.gcpckms[1] 'mac' is not supported; allowed: encrypt, decrypt, sign, verify, wrap, unwrap",
      ],
      [
        'rules.denied_managed_key_flags[0]',
        "rules.denied_managed_key_flags[0] 'usages' is not supported; allowed: allow_generate_key, allow_replace_key, allow_store_key, any_mount",
      ],
    ]);
  });

  test('durations and integers', () => {
    expect(problemsOf({ version: 1, rules: { max_rotation_period: '90' } })).toEqual([
      [
        'rules.max_rotation_period',
        "rules.max_rotation_period '90' is not a duration; write <number><unit>… with units d, h, m, s (e.g. 2160h, 90d, 1h30m)",
      ],
    ]);
    expect(problemsOf({ version: 1, rules: { min_rsa_bits: 0 } })).toEqual([
      ['rules.min_rsa_bits', 'rules.min_rsa_bits must be at least 1, got 0'],
    ]);
  });

  test('namespace overrides', () => {
    expect(
      problemsOf({
        version: 1,
        namespaces: [
          { match: 'prod/**', rules: { min_rsa_bits: 3072 } },
          { match: 'prod//x', rules: {} },
          { rules: {} },
          { match: 'a' },
          { match: 'b', rules: {}, priority: 1 },
          'c',
        ],
      }),
    ).toEqual([
      [
        'namespaces[1].match',
        "namespaces[1].match 'prod//x' is not a name pattern: '/'-separated non-empty segments, '*' inside a segment, '**' only as a whole segment",
      ],
      ['namespaces[2].match', 'namespaces[2].match must be a name pattern string, got undefined'],
      ['namespaces[3].rules', 'namespaces[3].rules is required'],
      [
        'namespaces[4].priority',
        'namespaces[4].priority is not a known field; allowed: match, description, rules',
      ],
      ['namespaces[5]', 'namespaces[5] must be an object with "match" and "rules", got string'],
    ]);
    expect(problemsOf({ version: 1, namespaces: {} })).toEqual([
      ['namespaces', 'namespaces must be an array of namespace overrides, got object'],
    ]);
  });

  test('parsePolicy throws ERR_INVALID_ARGUMENT carrying every problem', () => {
    const e = expectKeyplaneError(
      () => parsePolicy({ version: 1, rules: { allowed_protections: ['hms'], min_rsa_bits: -1 } }),
      'ERR_INVALID_ARGUMENT',
      "invalid policy document (2 problems): rules.min_rsa_bits must be at least 1, got -1; rules.allowed_protections[0] 'hms' is not supported; allowed: hsm, software",
    );
    expect(e).toBeInstanceOf(PolicyDocumentError);
    expect(e instanceof PolicyDocumentError ? e.problems : []).toHaveLength(2);
    expect(e.field).toBe('rules.min_rsa_bits');
  });

  test('parsePolicyJson reports syntax errors the same way', () => {
    const e = expectKeyplaneError(() => parsePolicyJson('{"version": 1,'), 'ERR_INVALID_ARGUMENT');
    expect(e.message).toMatch(/^invalid policy document: policy is not valid JSON: /);
    expect(parsePolicyJson('{"version": 1}').document).toEqual({ version: 1 });
  });

  test('the policy keeps its own copy of the document', () => {
    const doc = { version: 1 as const, rules: { allowed_key_types: ['rsa-4096' as const] } };
    const policy = parsePolicy(doc);
    (doc.rules.allowed_key_types as string[]).push('rsa-2048');
    expect(policy.document.rules?.allowed_key_types).toEqual(['rsa-4096']);
    expect(evaluatePolicy(policy, { kind: 'key', name: 'k', type: 'rsa-2048' })).toHaveLength(1);
  });
});

describe('precedence', () => {
  const doc: PolicyDocument = {
    version: 1,
    rules: { min_rsa_bits: 2048, allowed_protections: ['hsm', 'software'] },
    namespaces: [
      // Listed most specific first on purpose: precedence must not depend on document order.
      { match: 'prod/payments', rules: { min_rsa_bits: 4096 } },
      { match: 'prod/pay*', rules: { min_rsa_bits: 3072, allowed_providers: ['awskms'] } },
      { match: 'prod/**', rules: { min_rsa_bits: 3072, allowed_protections: ['hsm'] } },
      { match: '**', rules: { require_rotation_period: true } },
      { match: 'sandbox/*', rules: { require_rotation_period: null, min_rsa_bits: null } },
      { match: 'prod/**', rules: { require_deletion_protection: true } },
    ],
  };
  const policy = parsePolicy(doc);
  const inForce = (ns: string) =>
    Object.fromEntries(policy.rulesFor(ns).rules.map((r) => [r.rule, [r.value, r.path]]));

  test('exact > more literal characters > fewer; base rules underneath', () => {
    expect(policy.rulesFor('prod/payments').overrides).toEqual([
      'namespaces[3]',
      'namespaces[2]',
      'namespaces[5]',
      'namespaces[1]',
      'namespaces[0]',
    ]);
    expect(inForce('prod/payments')).toEqual({
      min_rsa_bits: [4096, 'namespaces[0].rules.min_rsa_bits'],
      require_rotation_period: [true, 'namespaces[3].rules.require_rotation_period'],
      require_deletion_protection: [true, 'namespaces[5].rules.require_deletion_protection'],
      allowed_providers: [['awskms'], 'namespaces[1].rules.allowed_providers'],
      allowed_protections: [['hsm'], 'namespaces[2].rules.allowed_protections'],
    });
    expect(inForce('prod/payroll').min_rsa_bits).toEqual([
      3072,
      'namespaces[1].rules.min_rsa_bits',
    ]);
    expect(inForce('prod').min_rsa_bits).toEqual([3072, 'namespaces[2].rules.min_rsa_bits']);
    expect(inForce('team-a')).toEqual({
      min_rsa_bits: [2048, 'rules.min_rsa_bits'],
      require_rotation_period: [true, 'namespaces[3].rules.require_rotation_period'],
      allowed_protections: [['hsm', 'software'], 'rules.allowed_protections'],
    });
  });

  test('null removes a rule; equal precedence: the later entry wins', () => {
    expect(inForce('sandbox/x')).toEqual({
      allowed_protections: [['hsm', 'software'], 'rules.allowed_protections'],
    });
    const tie = parsePolicy({
      version: 1,
      namespaces: [
        { match: 'a/*', rules: { min_rsa_bits: 3072 } },
        { match: '*/b', rules: { min_rsa_bits: 4096 } },
      ],
    });
    expect(tie.rulesFor('a/b').rules).toEqual([
      { rule: 'min_rsa_bits', value: 4096, path: 'namespaces[1].rules.min_rsa_bits' },
    ]);
  });

  test('violations name the rule where the value in force was written', () => {
    const intent: KeyIntent = {
      kind: 'key',
      namespace: 'prod/payments',
      name: 'k',
      type: 'rsa-3072',
      rotation_period: '720h',
    };
    expect(evaluatePolicy(policy, intent).map((v) => v.rule)).toEqual([
      'namespaces[0].rules.min_rsa_bits',
    ]);
    expect(evaluatePolicy(policy, { ...intent, namespace: 'prod/eu' })).toEqual([]);
    expect(
      evaluatePolicy(policy, { ...intent, namespace: 'sandbox/x', rotation_period: undefined }),
    ).toEqual([]);
    expect(
      evaluatePolicy(policy, { ...intent, namespace: undefined, rotation_period: undefined }),
    ).toEqual([
      expect.objectContaining({ code: 'POLICY_ROTATION_PERIOD_REQUIRED', namespace: 'root' }),
    ]);
  });
});
