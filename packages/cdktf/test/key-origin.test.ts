// Key.origin: an HSM-origin key synthesizes keyplane_key.origin = the pkcs11 connection's id; a
// non-pkcs11 connection and a key type no token can originate are refused at synth by the
// engine's own rules; the policy Aspect judges the origin as `hsm`.
import { Testing } from 'cdktf';
import { AwsKmsConnection, Key, KeyPolicy, Pkcs11Connection } from '@keyplane/cdktf';
import { key as l1 } from '@keyplane/cdktf/gen';
import { newStack, refusal, secret } from './support/stack';

const hsmIn = (stack: ReturnType<typeof newStack>) =>
  new Pkcs11Connection(stack, 'hsm', {
    name: 'hsm',
    tokenLabel: 'keyplane',
    library: '/usr/lib/softhsm/libsofthsm2.so',
    pin: secret(stack, 'pin'),
  });

describe('Key origin', () => {
  it('synthesizes origin as a reference to the pkcs11 connection', () => {
    const stack = newStack();
    new Key(stack, 'born', { name: 'born', type: 'rsa-3072', origin: hsmIn(stack) });
    const synthesized = Testing.synth(stack);
    const json = JSON.parse(synthesized) as {
      resource: { keyplane_key: Record<string, { origin?: string }> };
    };
    const [key] = Object.values(json.resource.keyplane_key);
    expect(key?.origin).toMatch(/^\$\{keyplane_kms\.[A-Za-z0-9_]+\.id\}$/);
    expect(synthesized).toHaveResourceWithProperties(l1.Key, { name: 'born', type: 'rsa-3072' });
  });

  it('refuses a non-pkcs11 origin and an ed25519 key in a token, creating nothing', () => {
    const stack = newStack();
    const aws = new AwsKmsConnection(stack, 'aws', { name: 'aws', region: 'us-east-1' });
    const viaAws = refusal(
      () => new Key(stack, 'k1', { name: 'k1', type: 'rsa-2048', origin: aws }),
    );
    expect(viaAws.problems).toEqual([
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT', prop: 'origin' }),
    ]);
    const edwards = refusal(
      () => new Key(stack, 'k2', { name: 'k2', type: 'ed25519', origin: hsmIn(stack) }),
    );
    expect(edwards.problems).toEqual([
      expect.objectContaining({
        code: 'ERR_UNSUPPORTED_KEY_TYPE',
        prop: 'type',
        allowed: expect.not.arrayContaining(['ed25519']) as unknown,
      }),
    ]);
    expect(stack.node.tryFindChild('k1')).toBeUndefined();
    expect(stack.node.tryFindChild('k2')).toBeUndefined();
  });

  it("KeyPolicy judges an HSM-origin key as origin 'hsm'", () => {
    const stack = newStack();
    KeyPolicy.enforce(stack, { version: 1, rules: { allowed_origins: ['software'] } });
    new Key(stack, 'born', { name: 'born', type: 'rsa-3072', origin: hsmIn(stack) });
    const e = refusal(() => Testing.synth(stack));
    expect(e.problems.map((p) => p.prop)).toEqual(['origin']);
  });
});
