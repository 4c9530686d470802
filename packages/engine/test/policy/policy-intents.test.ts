/**
 * Enforcement through the engine's typed error (ERR_POLICY_VIOLATION with every violation), and
 * intents the engine cannot read: JSON shape errors (parseIntent) and unknown values, which are
 * input errors with the engine's usual codes, never policy violations.
 */
import {
  PolicyViolationError,
  enforcePolicy,
  evaluatePolicy,
  isKeyplaneError,
  parseIntent,
  parsePolicy,
  type KeyIntent,
} from '@keyplane/engine';
import { expectKeyplaneError } from '../crypto-helpers/expect-error';

describe('enforcement', () => {
  const policy = parsePolicy({
    version: 1,
    rules: { allowed_key_types: ['ecdsa-p256'], require_deletion_protection: true },
  });
  const intent: KeyIntent = {
    kind: 'key',
    name: 'payments',
    type: 'rsa-2048',
    deletion_allowed: true,
  };

  test('ERR_POLICY_VIOLATION carries every violation', () => {
    const e = expectKeyplaneError(
      () => {
        enforcePolicy(policy, intent);
      },
      'ERR_POLICY_VIOLATION',
      "policy refuses key 'payments': type 'rsa-2048' is not an allowed key type in namespace 'root' (policy rule rules.allowed_key_types); allowed: ecdsa-p256; deletion_allowed 'true' is not allowed: deletion protection is required in namespace 'root' (policy rule rules.require_deletion_protection); allowed: false",
    );
    expect(e).toBeInstanceOf(PolicyViolationError);
    expect(isKeyplaneError(e)).toBe(true);
    expect(e.field).toBe('type');
    expect(e.allowed).toEqual(['ecdsa-p256']);
    expect((e instanceof PolicyViolationError ? e.violations : []).map((v) => v.code)).toEqual([
      'POLICY_KEY_TYPE_NOT_ALLOWED',
      'POLICY_DELETION_PROTECTION_REQUIRED',
    ]);
  });

  test('allowed intents and no policy pass', () => {
    expect(() => {
      enforcePolicy(policy, { ...intent, type: 'ecdsa-p256', deletion_allowed: false });
    }).not.toThrow();
    expect(() => {
      enforcePolicy(undefined, intent);
    }).not.toThrow();
  });

  test('subjects per intent kind', () => {
    const strict = parsePolicy({
      version: 1,
      rules: { allowed_providers: [], allowed_managed_key_backends: [] },
    });
    const message = (fn: () => void) => expectKeyplaneError(fn, 'ERR_POLICY_VIOLATION').message;
    expect(
      message(() => {
        enforcePolicy(strict, {
          kind: 'kms',
          name: 'aws-eu',
          provider: 'awskms',
          key_collection: 'eu-west-1',
        });
      }),
    ).toMatch(/^policy refuses KMS connection 'aws-eu': provider 'awskms' .*; allowed: none$/);
    expect(
      message(() => {
        enforcePolicy(strict, {
          kind: 'distribution',
          key: 'k',
          key_type: 'rsa-2048',
          kms: 'aws-eu',
          provider: 'awskms',
          key_collection: 'eu-west-1',
          purpose: ['sign'],
          protection: 'hsm',
        });
      }),
    ).toMatch(/^policy refuses distribution of key 'k' to KMS 'aws-eu': /);
    expect(
      message(() => {
        enforcePolicy(strict, { kind: 'managed_key', name: 'm', type: 'pkcs11', parameters: {} });
      }),
    ).toMatch(/^policy refuses managed key 'm': type 'pkcs11' /);
  });
});

describe('intent input errors are the engine errors, not violations', () => {
  const policy = parsePolicy({ version: 1 });
  const key = (extra: Partial<KeyIntent>): KeyIntent => ({
    kind: 'key',
    name: 'k',
    type: 'rsa-2048',
    ...extra,
  });

  test.each<[Partial<KeyIntent>, string, string]>([
    [{ type: 'rsa-1024' }, 'ERR_UNSUPPORTED_KEY_TYPE', 'type'],
    [{ rotation_period: '90' }, 'ERR_INVALID_ARGUMENT', 'rotation_period'],
    [{ origin: 'hsm:' }, 'ERR_INVALID_ARGUMENT', 'origin'],
    [{ operation: 'upsert' as 'update' }, 'ERR_INVALID_ARGUMENT', 'operation'],
    [{ min_enabled_version: -1 }, 'ERR_INVALID_ARGUMENT', 'min_enabled_version'],
    [{ namespace: '' }, 'ERR_INVALID_ARGUMENT', 'namespace'],
  ])('%j', (extra, code, field) => {
    const e = expectKeyplaneError(
      () => evaluatePolicy(policy, key(extra)),
      code as 'ERR_INVALID_ARGUMENT',
    );
    expect(e.field).toBe(field);
  });

  test('distribution and managed key values', () => {
    const d = {
      kind: 'distribution' as const,
      key: 'k',
      key_type: 'rsa-2048',
      kms: 'x',
      provider: 'awskms',
      key_collection: 'eu-west-1',
      purpose: ['sign'],
      protection: 'hsm',
    };
    expect(
      expectKeyplaneError(
        () => evaluatePolicy(policy, { ...d, provider: 'aws' }),
        'ERR_UNSUPPORTED_TARGET',
      ).allowed,
    ).toEqual(['pkcs11', 'awskms', 'azurekeyvault', 'gcpckms']);
    expect(
      expectKeyplaneError(
        () => evaluatePolicy(policy, { ...d, purpose: ['sign', 'mac'] }),
        'ERR_UNSUPPORTED_PURPOSE',
      ).field,
    ).toBe('purpose[1]');
    expectKeyplaneError(
      () => evaluatePolicy(policy, { ...d, protection: 'hms' }),
      'ERR_UNSUPPORTED_PROTECTION',
    );
    const m = { kind: 'managed_key' as const, name: 'm', type: 'pkcs11', parameters: {} };
    expectKeyplaneError(
      () => evaluatePolicy(policy, { ...m, type: 'vault' }),
      'ERR_UNSUPPORTED_TARGET',
    );
    expect(
      expectKeyplaneError(
        () => evaluatePolicy(policy, { ...m, parameters: { key_bits: 1024 } }),
        'ERR_INVALID_ARGUMENT',
      ).field,
    ).toBe('key_bits');
  });
});

describe('parseIntent (JSON intents)', () => {
  test('accepts each kind', () => {
    const k = { kind: 'key', name: 'k', type: 'rsa-4096', rotation_period: '2160h' };
    expect(parseIntent(k)).toBe(k);
    expect(
      parseIntent({ kind: 'kms', name: 'a', provider: 'awskms', key_collection: 'eu-west-1' }).kind,
    ).toBe('kms');
  });

  test.each([
    ['x', 'intent', 'intent must be an object with a "kind"'],
    [
      { kind: 'secret' },
      'intent.kind',
      "intent.kind 'secret' is not supported; allowed: key, distribution, kms, managed_key",
    ],
    [{ kind: 'key', type: 'rsa-2048' }, 'intent.name', 'intent.name is required for a key intent'],
    [
      { kind: 'key', name: 'k', type: 'rsa-2048', deletion_allowed: 'no' },
      'intent.deletion_allowed',
      'intent.deletion_allowed must be true or false',
    ],
    [
      { kind: 'key', name: 'k', type: 'rsa-2048', rotation_perod: '1h' },
      'intent.rotation_perod',
      /^intent field 'rotation_perod' is not supported in a key intent; allowed: kind, namespace, operation, name, /,
    ],
    [
      {
        kind: 'distribution',
        key: 'k',
        key_type: 't',
        kms: 'x',
        provider: 'p',
        key_collection: 'c',
        purpose: 'sign',
        protection: 'hsm',
      },
      'intent.purpose',
      'intent.purpose must be an array of strings',
    ],
    [
      { kind: 'managed_key', name: 'm', type: 'pkcs11', parameters: [] },
      'intent.parameters',
      'intent.parameters must be an object',
    ],
  ])('%j', (value, field, message) => {
    const e = expectKeyplaneError(() => parseIntent(value), 'ERR_INVALID_ARGUMENT', message);
    expect(e.field).toBe(field);
  });
});
