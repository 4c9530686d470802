/**
 * Every key rule, accepted and refused, on every intent kind it applies to: key types, RSA size,
 * curves, origin, rotation and deletion protection — the stable code, the intent field, the rule's
 * path in the document, the value and the allowed values.
 */
import type { PolicyRules } from '@keyplane/engine';
import { distribution, key, kms, managed, refusals, violations } from './support';

describe('an empty policy allows everything', () => {
  test.each([key(), distribution(), kms(), managed('awskms', { kms_key: 'k', key_type: 'RSA' })])(
    '%o',
    (intent) => {
      expect(violations({}, intent)).toEqual([]);
    },
  );
});

describe('allowed_key_types', () => {
  const rules: PolicyRules = { allowed_key_types: ['rsa-3072', 'rsa-4096', 'ecdsa-p256'] };

  test('key create: exact violation', () => {
    expect(violations(rules, key({ type: 'rsa-2048' }))).toEqual([
      {
        code: 'POLICY_KEY_TYPE_NOT_ALLOWED',
        field: 'type',
        rule: 'rules.allowed_key_types',
        namespace: 'root',
        value: 'rsa-2048',
        allowed: ['rsa-3072', 'rsa-4096', 'ecdsa-p256'],
        message:
          "type 'rsa-2048' is not an allowed key type in namespace 'root' (policy rule rules.allowed_key_types); allowed: rsa-3072, rsa-4096, ecdsa-p256",
      },
    ]);
    expect(violations(rules, key({ type: 'rsa-3072' }))).toEqual([]);
  });

  test('key update does not re-judge the immutable type (a banned key can still be retired)', () => {
    expect(violations(rules, key({ type: 'rsa-2048', operation: 'update' }))).toEqual([]);
  });

  test('distribution', () => {
    expect(refusals(rules, distribution({ key_type: 'ed25519' }))).toEqual([
      ['POLICY_KEY_TYPE_NOT_ALLOWED', 'key_type', 'ed25519'],
    ]);
    expect(refusals(rules, distribution({ key_type: 'ecdsa-p256' }))).toEqual([]);
  });

  test('managed key: key_bits, curve, GCP algorithm and a known key_type, each in its own words', () => {
    const v = violations(
      rules,
      managed('pkcs11', { key_bits: '2048', curve: 'p384', mechanism: '0x0001' }),
    );
    expect(v.map((x) => [x.field, x.value, x.allowed])).toEqual([
      ['parameters.key_bits', '2048', ['3072', '4096']],
      ['parameters.curve', 'P384', ['P256']],
    ]);
    const gcp = violations(
      rules,
      managed('gcpckms', { algorithm: 'EC_SIGN_P384_SHA384', crypto_key: 'c', key_ring: 'r' }),
    );
    expect(gcp.map((x) => [x.field, x.value])).toEqual([
      ['parameters.algorithm', 'EC_SIGN_P384_SHA384'],
    ]);
    expect(gcp[0]?.allowed).toContain('EC_SIGN_P256_SHA256');
    expect(gcp[0]?.allowed).toContain('RSA_SIGN_PSS_4096_SHA512');
    expect(gcp[0]?.allowed).not.toContain('RSA_SIGN_PSS_2048_SHA256');
    expect(
      refusals(rules, managed('azurekeyvault', { key_bits: 4096 }, { key_type: 'rsa-2048' })),
    ).toEqual([['POLICY_KEY_TYPE_NOT_ALLOWED', 'key_type', 'rsa-2048']]);
    expect(refusals(rules, managed('awskms', { key_bits: 3072, kms_key: 'k' }))).toEqual([]);
  });
});

describe('min_rsa_bits', () => {
  const rules: PolicyRules = { min_rsa_bits: 3072 };

  test('key create', () => {
    const [v, ...rest] = violations(rules, key({ type: 'rsa-2048' }));
    expect(rest).toEqual([]);
    expect(v?.code).toBe('POLICY_RSA_KEY_TOO_SMALL');
    expect(v?.allowed).toEqual(['rsa-3072', 'rsa-4096']);
    expect(v?.message).toBe(
      "type 'rsa-2048' is a 2048-bit RSA key; the minimum is 3072 bits in namespace 'root' (policy rule rules.min_rsa_bits); allowed: rsa-3072, rsa-4096",
    );
    expect(violations(rules, key({ type: 'rsa-3072' }))).toEqual([]);
  });

  test('does not concern other families', () => {
    for (const type of ['ecdsa-p256', 'aes256-gcm96', 'ed25519']) {
      expect(violations(rules, key({ type }))).toEqual([]);
    }
  });

  test('distribution and managed key', () => {
    expect(refusals(rules, distribution({ key_type: 'rsa-2048' }))).toEqual([
      ['POLICY_RSA_KEY_TOO_SMALL', 'key_type', 'rsa-2048'],
    ]);
    const v = violations(rules, managed('awskms', { key_bits: 2048, kms_key: 'k' }));
    expect(v.map((x) => [x.code, x.field, x.allowed])).toEqual([
      ['POLICY_RSA_KEY_TOO_SMALL', 'parameters.key_bits', ['3072', '4096']],
    ]);
    const gcp = violations(
      rules,
      managed('gcpckms', { algorithm: 'RSA_SIGN_PKCS1_2048_SHA256', crypto_key: 'c' }),
    );
    expect(gcp.map((x) => x.field)).toEqual(['parameters.algorithm']);
    expect(gcp[0]?.allowed).toEqual([
      'RSA_SIGN_PKCS1_3072_SHA256',
      'RSA_SIGN_PKCS1_4096_SHA256',
      'RSA_SIGN_PKCS1_4096_SHA512',
      'RSA_SIGN_PSS_3072_SHA256',
      'RSA_SIGN_PSS_4096_SHA256',
      'RSA_SIGN_PSS_4096_SHA512',
    ]);
  });
});

describe('allowed_curves', () => {
  const rules: PolicyRules = { allowed_curves: ['P-256', 'Ed25519'] };

  test('key create', () => {
    const [v] = violations(rules, key({ type: 'ecdsa-p384' }));
    expect(v?.code).toBe('POLICY_CURVE_NOT_ALLOWED');
    expect(v?.message).toBe(
      "type 'ecdsa-p384' uses curve P-384, which is not allowed in namespace 'root' (policy rule rules.allowed_curves); allowed: ecdsa-p256, ed25519",
    );
    for (const type of ['ecdsa-p256', 'ed25519', 'rsa-2048', 'aes256-gcm96']) {
      expect(violations(rules, key({ type }))).toEqual([]);
    }
    expect(refusals({ allowed_curves: ['P-256'] }, key({ type: 'ed25519' }))).toEqual([
      ['POLICY_CURVE_NOT_ALLOWED', 'type', 'ed25519'],
    ]);
  });

  test('distribution and managed key', () => {
    expect(refusals(rules, distribution({ key_type: 'ecdsa-p521' }))).toEqual([
      ['POLICY_CURVE_NOT_ALLOWED', 'key_type', 'ecdsa-p521'],
    ]);
    const v = violations(rules, managed('awskms', { curve: 'P521', kms_key: 'k' }));
    expect(v.map((x) => [x.field, x.value, x.allowed])).toEqual([
      ['parameters.curve', 'P521', ['P256']],
    ]);
  });
});

describe('allowed_origins', () => {
  const rules: PolicyRules = { allowed_origins: ['hsm'] };

  test('key create', () => {
    expect(violations(rules, key())).toEqual([
      expect.objectContaining({
        code: 'POLICY_ORIGIN_NOT_ALLOWED',
        field: 'origin',
        value: 'software',
        allowed: ['hsm'],
      }),
    ]);
    expect(violations(rules, key({ origin: 'hsm:token-1' }))).toEqual([]);
    expect(refusals({ allowed_origins: ['software'] }, key({ origin: 'hsm:t' }))).toEqual([
      ['POLICY_ORIGIN_NOT_ALLOWED', 'origin', 'hsm'],
    ]);
  });

  test('key update: the origin is immutable and not re-judged', () => {
    expect(violations(rules, key({ operation: 'update' }))).toEqual([]);
  });
});

describe('require_rotation_period', () => {
  const rules: PolicyRules = { require_rotation_period: true };

  test('unset, zero and set', () => {
    const unset = violations(rules, key({ rotation_period: undefined }));
    expect(unset).toEqual([
      {
        code: 'POLICY_ROTATION_PERIOD_REQUIRED',
        field: 'rotation_period',
        rule: 'rules.require_rotation_period',
        namespace: 'root',
        message:
          "rotation_period is not set; a rotation period is required in namespace 'root' (policy rule rules.require_rotation_period)",
      },
    ]);
    expect(refusals(rules, key({ rotation_period: '0h' }))).toEqual([
      ['POLICY_ROTATION_PERIOD_REQUIRED', 'rotation_period', '0h'],
    ]);
    expect(violations(rules, key({ rotation_period: '1h' }))).toEqual([]);
  });

  test('applies on update too (removing rotation is refused)', () => {
    expect(refusals(rules, key({ operation: 'update', rotation_period: undefined }))).toEqual([
      ['POLICY_ROTATION_PERIOD_REQUIRED', 'rotation_period', undefined],
    ]);
  });

  test('false constrains nothing', () => {
    expect(
      violations({ require_rotation_period: false }, key({ rotation_period: undefined })),
    ).toEqual([]);
  });
});

describe('max_rotation_period', () => {
  const rules: PolicyRules = { max_rotation_period: '90d' };

  test('longer is refused, equal and shorter accepted, in any unit', () => {
    const [v] = violations(rules, key({ rotation_period: '2161h' }));
    expect(v).toMatchObject({
      code: 'POLICY_ROTATION_PERIOD_TOO_LONG',
      field: 'rotation_period',
      value: '2161h',
      allowed: ['≤ 90d'],
    });
    expect(v?.message).toBe(
      "rotation_period '2161h' is longer than the maximum rotation period 90d in namespace 'root' (policy rule rules.max_rotation_period); allowed: ≤ 90d",
    );
    expect(violations(rules, key({ rotation_period: '2160h' }))).toEqual([]);
    expect(violations(rules, key({ rotation_period: '30d12h' }))).toEqual([]);
    expect(refusals(rules, key({ operation: 'update', rotation_period: '91d' }))).toEqual([
      ['POLICY_ROTATION_PERIOD_TOO_LONG', 'rotation_period', '91d'],
    ]);
  });

  test('an unset period is require_rotation_period business, not this rule', () => {
    expect(violations(rules, key({ rotation_period: undefined }))).toEqual([]);
  });
});

describe('require_deletion_protection', () => {
  const rules: PolicyRules = { require_deletion_protection: true };

  test('create and update', () => {
    expect(refusals(rules, key({ deletion_allowed: true }))).toEqual([
      ['POLICY_DELETION_PROTECTION_REQUIRED', 'deletion_allowed', 'true'],
    ]);
    expect(
      refusals(rules, key({ operation: 'update', deletion_allowed: true })).map((r) => r[0]),
    ).toEqual(['POLICY_DELETION_PROTECTION_REQUIRED']);
    expect(violations(rules, key({ deletion_allowed: false }))).toEqual([]);
    expect(violations(rules, key())).toEqual([]);
  });
});
