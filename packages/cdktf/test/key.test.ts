// Key: keyplane_key with rotation props, the rotate() trigger, latest public key/fingerprint
// outputs, Key.fromName; refusals from the engine's own checks at synth; the policy Aspect.
import { TerraformOutput, Testing } from 'cdktf';
import { Key, KeyPolicy } from '@keyplane/cdktf';
import type { KeyProps } from '@keyplane/cdktf';
import { key as l1 } from '@keyplane/cdktf/gen';
import { newStack, refusal } from './support/stack';

interface Synthesized {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output: Record<string, { value: string }>;
}

describe('Key', () => {
  it('synthesizes keyplane_key with rotation, trigger and latest-version outputs', () => {
    const stack = newStack();
    const key = new Key(stack, 'payments', {
      name: 'payments',
      type: 'rsa-3072',
      rotationPeriod: '2160h',
      deletionAllowed: true,
    });
    key.rotate('2026-12-02');
    new TerraformOutput(stack, 'fingerprint', { value: key.fingerprint });
    new TerraformOutput(stack, 'v1', { value: key.publicKeyPemOf(1) });
    const synthesized = Testing.synth(stack);
    expect(synthesized).toHaveResourceWithProperties(l1.Key, {
      name: 'payments',
      type: 'rsa-3072',
      rotation_period: '2160h',
      deletion_allowed: true,
      rotate_trigger: '2026-12-02',
    });
    const json = JSON.parse(synthesized) as Synthesized;
    const [id] = Object.keys(json.resource.keyplane_key ?? {});
    const ref = `keyplane_key.${id ?? ''}`;
    expect(json.output.fingerprint?.value).toBe(
      `\${${ref}.versions[${ref}.latest_version].fingerprint}`,
    );
    expect(json.output.v1?.value).toBe(`\${${ref}.versions[1].public_key_pem}`);
  });

  it('fromName refers to a key by name', () => {
    const stack = newStack();
    expect(Key.fromName(stack, 'shared', 'shared-key').keyName).toBe('shared-key');
  });

  const refused = (props: Partial<KeyProps>) => {
    const stack = newStack();
    const e = refusal(() => new Key(stack, 'k', { name: 'k', type: 'aes256-gcm96', ...props }));
    expect(stack.node.tryFindChild('k')).toBeUndefined();
    expect(e.constructPath).toBe('keys/k');
    return e;
  };

  it('fails on a name the clouds cannot take (the engine rule: letters, digits, -)', () => {
    const e = refused({ name: 'payments_key' });
    expect(e.problems).toEqual([
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT', prop: 'name' }),
    ]);
    expect(e.message).toContain("'payments_key' must be letters, digits or '-'");
  });

  it('fails on an unknown key type, listing the types', () => {
    const e = refused({ type: 'rsa-1024' as KeyProps['type'] });
    expect(e.problems).toEqual([
      expect.objectContaining({ code: 'ERR_UNSUPPORTED_KEY_TYPE', prop: 'type' }),
    ]);
    expect(e.problems[0]?.allowed).toContain('rsa-4096');
    expect(e.message).toContain("type 'rsa-1024' is not supported");
  });

  it('fails on a malformed rotation period', () => {
    const e = refused({ rotationPeriod: '3 months' });
    expect(e.problems.map((p) => p.prop)).toEqual(['rotationPeriod']);
    expect(e.message).toContain('rotation_period');
  });

  it('fails on a negative min enabled version', () => {
    const e = refused({ minEnabledVersion: -1 });
    expect(e.problems.map((p) => p.prop)).toEqual(['minEnabledVersion']);
  });

  it('reports every problem at once', () => {
    const e = refused({ type: 'des' as KeyProps['type'], rotationPeriod: 'soon' });
    expect(e.problems.map((p) => p.prop)).toEqual(['type', 'rotationPeriod']);
  });

  it('fails on an empty rotate() trigger', () => {
    const stack = newStack();
    const key = new Key(stack, 'k', { name: 'k', type: 'ed25519' });
    expect(
      refusal(() => {
        key.rotate('');
      }).message,
    ).toBe('keys/k: rotate(trigger): must not be empty');
  });

  it('KeyPolicy refuses a key type and rotation period the policy does not allow', () => {
    const stack = newStack();
    KeyPolicy.enforce(stack, {
      version: 1,
      rules: { allowed_key_types: ['rsa-4096'], max_rotation_period: '90d' },
    });
    new Key(stack, 'k', { name: 'k', type: 'rsa-2048', rotationPeriod: '8760h' });
    const e = refusal(() => Testing.synth(stack));
    expect(e.problems.map((p) => [p.code, p.prop])).toEqual([
      ['POLICY_KEY_TYPE_NOT_ALLOWED', 'type'],
      ['POLICY_ROTATION_PERIOD_TOO_LONG', 'rotationPeriod'],
    ]);
  });
});
