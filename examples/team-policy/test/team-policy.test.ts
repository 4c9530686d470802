/**
 * The security team's library as an app team meets it, at synth (cdktf Testing): the payments
 * stack synthesizes a compliant key (rsa-3072, monthly rotation, no deletion) distributed to AWS
 * with HSM protection; each way of breaking the Acme policy fails `synth` with the construct
 * path, the prop, the policy's code and the allowed values — before any plan.
 */
import { TerraformStack, Testing } from 'cdktf';
import type {} from 'cdktf/lib/testing/adapters/jest';
import { Key } from '@keyplane/cdktf';
import { key as keyL1, keyDistribution } from '@keyplane/cdktf/gen';
import { refusal } from '../../../packages/cdktf/test/support/stack';
import { applyAcmeKeyPolicy, CompliantKey } from '../src/acme-keys';
import { PaymentsStack, type PaymentsStackProps } from '../src/payments-stack';

Testing.setupJest();

const payments = (props?: PaymentsStackProps) =>
  new PaymentsStack(Testing.app(), 'payments', props);

it('the payments stack synthesizes a compliant key, distributed to AWS with HSM protection', () => {
  const json = Testing.synth(payments());
  expect(json).toHaveResourceWithProperties(keyL1.Key, {
    name: 'payments-signing',
    type: 'rsa-3072',
    rotation_period: '720h',
    deletion_allowed: false,
  });
  expect(json).toHaveResourceWithProperties(keyDistribution.KeyDistribution, {
    purpose: ['sign', 'verify'],
    protection: 'hsm',
  });
});

it('a region outside the EU fails synth on the connection', () => {
  const e = refusal(() => Testing.synth(payments({ region: 'us-east-1' })));
  expect(e.constructPath).toBe('payments/Aws');
  expect(e.problems).toEqual([
    expect.objectContaining({ code: 'POLICY_KEY_COLLECTION_NOT_ALLOWED', allowed: ['eu-*'] }),
  ]);
});

it('an app key of its own that ignores the policy fails synth, every problem at once', () => {
  const stack = payments();
  new Key(stack, 'Legacy', { name: 'legacy', type: 'rsa-2048', deletionAllowed: true });
  const e = refusal(() => Testing.synth(stack));
  expect(e.constructPath).toBe('payments/Legacy');
  expect(e.problems.map((p) => [p.code, p.prop]).sort()).toEqual([
    ['POLICY_DELETION_PROTECTION_REQUIRED', 'deletionAllowed'],
    ['POLICY_KEY_TYPE_NOT_ALLOWED', 'type'],
    ['POLICY_ROTATION_PERIOD_REQUIRED', 'rotationPeriod'],
    ['POLICY_RSA_KEY_TOO_SMALL', 'type'],
  ]);
  expect(e.problems.find((p) => p.code === 'POLICY_KEY_TYPE_NOT_ALLOWED')?.allowed).toEqual([
    'rsa-3072',
    'rsa-4096',
    'ecdsa-p256',
    'ecdsa-p384',
  ]);
});

it('a CompliantKey rotated quarterly is fine in sandbox but too slow for prod', () => {
  const inNamespace = (namespace: string) => {
    const stack = new TerraformStack(Testing.app(), 'app');
    applyAcmeKeyPolicy(stack, { namespace });
    new CompliantKey(stack, 'Signing', { name: 'app-signing', rotationPeriod: '2160h' });
    return stack;
  };
  expect(() => Testing.synth(inNamespace('sandbox/app'))).not.toThrow();
  const e = refusal(() => Testing.synth(inNamespace('prod/app')));
  expect(e.constructPath).toBe('app/Signing/Key');
  expect(e.problems).toEqual([
    expect.objectContaining({ code: 'POLICY_ROTATION_PERIOD_TOO_LONG', prop: 'rotationPeriod' }),
  ]);
});
