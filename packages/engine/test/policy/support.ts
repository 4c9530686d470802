/**
 * Builders shared by the policy rule tests: a policy of just some rules, and one complete,
 * allowed intent of each kind to vary one field at a time.
 */
import {
  evaluatePolicy,
  parsePolicy,
  type DistributionIntent,
  type KeyIntent,
  type KmsConnectionIntent,
  type ManagedKeyIntent,
  type PolicyIntent,
  type PolicyRules,
} from '@keyplane/engine';

export const withRules = (rules: PolicyRules) => parsePolicy({ version: 1, rules });
export const violations = (rules: PolicyRules, intent: PolicyIntent) =>
  evaluatePolicy(withRules(rules), intent);
/** [code, field, value] of each violation: the parts callers branch on. */
export const refusals = (rules: PolicyRules, intent: PolicyIntent) =>
  violations(rules, intent).map((v) => [v.code, v.field, v.value]);

export const key = (extra: Partial<KeyIntent> = {}): KeyIntent => ({
  kind: 'key',
  name: 'payments',
  type: 'rsa-4096',
  rotation_period: '2160h',
  ...extra,
});
export const distribution = (extra: Partial<DistributionIntent> = {}): DistributionIntent => ({
  kind: 'distribution',
  key: 'payments',
  key_type: 'rsa-4096',
  kms: 'aws-eu',
  provider: 'awskms',
  key_collection: 'eu-west-1',
  purpose: ['sign', 'verify'],
  protection: 'hsm',
  ...extra,
});
export const kms = (extra: Partial<KmsConnectionIntent> = {}): KmsConnectionIntent => ({
  kind: 'kms',
  name: 'aws-eu',
  provider: 'awskms',
  key_collection: 'eu-west-1',
  ...extra,
});
export const managed = (
  type: string,
  parameters: Record<string, unknown>,
  extra: Partial<ManagedKeyIntent> = {},
): ManagedKeyIntent => ({ kind: 'managed_key', name: 'signer', type, parameters, ...extra });
