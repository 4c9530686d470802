/**
 * Every placement and managed-key rule, accepted and refused: providers, key collections,
 * protections, purposes, managed-key backends, usages and flags — and that rules judge only the
 * intents they concern.
 */
import type { PolicyRules } from '@keyplane/engine';
import { distribution, kms, managed, refusals, violations } from './support';

describe('allowed_providers', () => {
  const rules: PolicyRules = { allowed_providers: ['gcpckms', 'pkcs11'] };

  test('KMS connection and distribution', () => {
    expect(violations(rules, kms())).toEqual([
      expect.objectContaining({
        code: 'POLICY_PROVIDER_NOT_ALLOWED',
        field: 'provider',
        value: 'awskms',
        allowed: ['gcpckms', 'pkcs11'],
      }),
    ]);
    expect(refusals(rules, distribution())).toEqual([
      ['POLICY_PROVIDER_NOT_ALLOWED', 'provider', 'awskms'],
    ]);
    expect(violations(rules, kms({ provider: 'pkcs11', key_collection: 'token' }))).toEqual([]);
    expect(refusals({ allowed_providers: [] }, kms())[0]?.[0]).toBe('POLICY_PROVIDER_NOT_ALLOWED');
  });
});

describe('allowed_key_collections', () => {
  const rules: PolicyRules = {
    allowed_key_collections: {
      awskms: ['eu-*'],
      gcpckms: ['projects/acme-prod/locations/*/keyRings/*'],
      azurekeyvault: ['kv-prod-*'],
      pkcs11: ['Keyplane Prod'],
    },
  };

  test('KMS connection and distribution', () => {
    expect(violations(rules, kms({ key_collection: 'us-east-1' }))).toEqual([
      expect.objectContaining({
        code: 'POLICY_KEY_COLLECTION_NOT_ALLOWED',
        field: 'key_collection',
        value: 'us-east-1',
        rule: 'rules.allowed_key_collections',
        allowed: ['eu-*'],
      }),
    ]);
    expect(violations(rules, kms())).toEqual([]);
    expect(refusals(rules, distribution({ key_collection: 'us-east-1' }))).toEqual([
      ['POLICY_KEY_COLLECTION_NOT_ALLOWED', 'key_collection', 'us-east-1'],
    ]);
    const ring = 'projects/acme-prod/locations/europe-west1/keyRings/main';
    expect(violations(rules, kms({ provider: 'gcpckms', key_collection: ring }))).toEqual([]);
    expect(
      refusals(rules, kms({ provider: 'gcpckms', key_collection: ring.replace('prod', 'dev') }))
        .length,
    ).toBe(1);
  });

  test('a provider not listed is not constrained', () => {
    expect(violations({ allowed_key_collections: { gcpckms: ['x'] } }, kms())).toEqual([]);
  });

  test('managed keys: where each backend keeps the key', () => {
    expect(refusals(rules, managed('awskms', { kms_key: 'k' }))).toEqual([
      // The region parameter defaults to us-east-1, as the managed key would use.
      ['POLICY_KEY_COLLECTION_NOT_ALLOWED', 'parameters.region', 'us-east-1'],
    ]);
    expect(violations(rules, managed('awskms', { kms_key: 'k', region: 'eu-west-1' }))).toEqual([]);
    expect(refusals(rules, managed('azurekeyvault', { vault_name: 'kv-dev-1' }))).toEqual([
      ['POLICY_KEY_COLLECTION_NOT_ALLOWED', 'parameters.vault_name', 'kv-dev-1'],
    ]);
    const gcp = { project: 'acme-prod', region: 'europe-west1', key_ring: 'main', crypto_key: 'c' };
    expect(violations(rules, managed('gcpckms', gcp))).toEqual([]);
    expect(refusals(rules, managed('gcpckms', { ...gcp, project: 'acme-dev' }))).toEqual([
      [
        'POLICY_KEY_COLLECTION_NOT_ALLOWED',
        'parameters.key_ring',
        'projects/acme-dev/locations/europe-west1/keyRings/main',
      ],
    ]);
    expect(violations(rules, managed('pkcs11', { token_label: 'Keyplane Prod' }))).toEqual([]);
  });

  test('fails closed when the intent does not say where the key lives', () => {
    const [v] = violations(rules, managed('pkcs11', { slot: '0' }));
    expect(v).toMatchObject({
      code: 'POLICY_KEY_COLLECTION_NOT_ALLOWED',
      field: 'parameters.token_label',
      allowed: ['Keyplane Prod'],
    });
    expect(v?.value).toBeUndefined();
    expect(refusals(rules, managed('gcpckms', { key_ring: 'main' }))[0]?.[1]).toBe(
      'parameters.key_ring',
    );
  });
});

describe('allowed_protections', () => {
  test('distribution', () => {
    const rules: PolicyRules = { allowed_protections: ['hsm'] };
    expect(refusals(rules, distribution({ protection: 'software', provider: 'gcpckms' }))).toEqual([
      ['POLICY_PROTECTION_NOT_ALLOWED', 'protection', 'software'],
    ]);
    expect(violations(rules, distribution())).toEqual([]);
  });
});

describe('allowed_purposes', () => {
  const rules: PolicyRules = { allowed_purposes: { azurekeyvault: ['sign', 'verify'] } };

  test('per provider, each purpose with its index', () => {
    const azure = distribution({
      provider: 'azurekeyvault',
      key_collection: 'kv',
      purpose: ['sign', 'encrypt', 'verify', 'wrap'],
    });
    expect(violations(rules, azure).map((v) => [v.code, v.field, v.value, v.allowed])).toEqual([
      ['POLICY_PURPOSE_NOT_ALLOWED', 'purpose[1]', 'encrypt', ['sign', 'verify']],
      ['POLICY_PURPOSE_NOT_ALLOWED', 'purpose[3]', 'wrap', ['sign', 'verify']],
    ]);
    expect(violations(rules, { ...azure, purpose: ['verify'] })).toEqual([]);
    expect(violations(rules, distribution({ purpose: ['encrypt', 'decrypt'] }))).toEqual([]);
  });
});

describe('managed key rules', () => {
  test('allowed_managed_key_backends', () => {
    const rules: PolicyRules = { allowed_managed_key_backends: ['pkcs11'] };
    expect(refusals(rules, managed('awskms', { kms_key: 'k' }))).toEqual([
      ['POLICY_MANAGED_KEY_BACKEND_NOT_ALLOWED', 'type', 'awskms'],
    ]);
    expect(violations(rules, managed('pkcs11', { key_label: 'x' }))).toEqual([]);
    // Not a rule on KMS connections: those have allowed_providers.
    expect(violations(rules, kms())).toEqual([]);
  });

  test('allowed_managed_key_usages, including the default usages', () => {
    const rules: PolicyRules = { allowed_managed_key_usages: ['sign', 'verify'] };
    expect(refusals(rules, managed('pkcs11', { usages: 'sign,encrypt,verify,random' }))).toEqual([
      ['POLICY_MANAGED_KEY_USAGE_NOT_ALLOWED', 'parameters.usages[1]', 'encrypt'],
      ['POLICY_MANAGED_KEY_USAGE_NOT_ALLOWED', 'parameters.usages[3]', 'random'],
    ]);
    expect(violations(rules, managed('pkcs11', {}))).toEqual([]);
    expect(refusals({ allowed_managed_key_usages: ['mac'] }, managed('pkcs11', {}))).toEqual([
      ['POLICY_MANAGED_KEY_USAGE_NOT_ALLOWED', 'parameters.usages[0]', 'sign'],
      ['POLICY_MANAGED_KEY_USAGE_NOT_ALLOWED', 'parameters.usages[1]', 'verify'],
    ]);
  });

  test('denied_managed_key_flags, Vault-style string or boolean', () => {
    const rules: PolicyRules = { denied_managed_key_flags: ['allow_store_key', 'any_mount'] };
    expect(
      violations(
        rules,
        managed('pkcs11', { allow_store_key: 'true', any_mount: true, allow_generate_key: true }),
      ).map((v) => [v.code, v.field, v.value, v.allowed]),
    ).toEqual([
      ['POLICY_MANAGED_KEY_FLAG_DENIED', 'parameters.allow_store_key', 'true', ['false']],
      ['POLICY_MANAGED_KEY_FLAG_DENIED', 'parameters.any_mount', 'true', ['false']],
    ]);
    expect(violations(rules, managed('pkcs11', { allow_store_key: 'false' }))).toEqual([]);
  });
});

describe('rules only judge the intents they concern', () => {
  const everything: PolicyRules = {
    allowed_origins: ['hsm'],
    require_rotation_period: true,
    require_deletion_protection: true,
    allowed_protections: ['software'],
    allowed_managed_key_backends: [],
    allowed_managed_key_usages: [],
  };
  test('a KMS connection is only judged by provider and key collection rules', () => {
    expect(violations(everything, kms())).toEqual([]);
  });
  test('a distribution is not judged by key lifecycle rules', () => {
    expect(refusals(everything, distribution()).map((r) => r[0])).toEqual([
      'POLICY_PROTECTION_NOT_ALLOWED',
    ]);
  });
});
