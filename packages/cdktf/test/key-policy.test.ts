// KeyPolicy.enforce: the engine's evaluatePolicy at synth, through an Aspect; a violation fails
// Testing.synth with the construct path, the prop and the allowed values.
import { Testing } from 'cdktf';
import { KeyPolicy, ManagedKey, ManagedKeyBackend } from '@keyplane/cdktf';
import { managedKey } from '@keyplane/cdktf/gen';
import { newStack, refusal, secret } from './support/stack';

const HSM = {
  library: '/usr/lib/softhsm/libsofthsm2.so',
  tokenLabel: 'keyplane',
  keyLabel: 'signer',
  mechanism: '0x000D',
};

function stackWith(policy: object, options: { anyMount?: boolean; keyBits?: number } = {}) {
  const stack = newStack();
  KeyPolicy.enforce(stack, { version: 1, ...policy }, { namespace: 'team-a' });
  new ManagedKey(stack, 'hsm', {
    name: 'hsm-signer',
    ...(options.anyMount === undefined ? {} : { anyMount: options.anyMount }),
    backend: ManagedKeyBackend.pkcs11({
      ...HSM,
      pin: secret(stack, 'pin'),
      ...(options.keyBits === undefined ? {} : { keyBits: options.keyBits }),
    }),
  });
  return stack;
}

describe('KeyPolicy', () => {
  it('lets a compliant stack synthesize', () => {
    const stack = stackWith({ rules: { allowed_managed_key_backends: ['pkcs11'] } });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(managedKey.ManagedKey, {
      type: 'pkcs11',
    });
  });

  it('fails on a backend the policy does not allow, naming path, prop and allowed values', () => {
    const stack = stackWith({ rules: { allowed_managed_key_backends: ['awskms', 'gcpckms'] } });
    const e = refusal(() => Testing.synth(stack));
    expect(e.constructPath).toBe('keys/hsm');
    expect(e.problems).toEqual([
      expect.objectContaining({
        code: 'POLICY_MANAGED_KEY_BACKEND_NOT_ALLOWED',
        prop: 'backend',
        allowed: ['awskms', 'gcpckms'],
      }),
    ]);
    expect(e.message).toContain("managed key 'hsm-signer'");
    expect(e.message).toContain("in namespace 'team-a'");
  });

  it('fails on a denied flag, naming the prop it was set in', () => {
    const stack = stackWith(
      { rules: { denied_managed_key_flags: ['any_mount'] } },
      { anyMount: true },
    );
    const e = refusal(() => Testing.synth(stack));
    expect(e.problems).toEqual([
      expect.objectContaining({ code: 'POLICY_MANAGED_KEY_FLAG_DENIED', prop: 'anyMount' }),
    ]);
  });

  it('fails on a backend parameter below the policy minimum', () => {
    const stack = stackWith({ rules: { min_rsa_bits: 3072 } }, { keyBits: 2048 });
    const e = refusal(() => Testing.synth(stack));
    expect(e.problems.map((p) => [p.code, p.prop])).toEqual([
      ['POLICY_RSA_KEY_TOO_SMALL', 'backend.keyBits'],
    ]);
  });

  it('refuses a malformed policy document at enforce, before synth', () => {
    const stack = newStack();
    expect(() =>
      KeyPolicy.enforce(stack, { version: 1, rules: { min_rsa_bits: 'big' } } as never),
    ).toThrow(/min_rsa_bits/);
  });
});
