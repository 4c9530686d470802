// One test per refusal: each names the construct path, the prop and the allowed values, and
// nothing is added to the tree (the check runs before the construct exists).
import { TerraformVariable } from 'cdktf';
import { ManagedKey, ManagedKeyBackend } from '@keyplane/cdktf';
import type { Pkcs11ManagedKeyProps, SecretVariable } from '@keyplane/cdktf';
import { newStack, refusal, secret } from './support/stack';

const HSM = {
  library: '/usr/lib/softhsm/libsofthsm2.so',
  tokenLabel: 'keyplane',
  keyLabel: 'signer',
  mechanism: '0x1041',
};

/** Overrides of the valid HSM props; `undefined` removes one. */
type Overrides = { [K in keyof Pkcs11ManagedKeyProps]?: Pkcs11ManagedKeyProps[K] | undefined };

function refusedPkcs11(props: (stack: ReturnType<typeof newStack>) => Overrides) {
  const stack = newStack();
  const error = refusal(
    () =>
      new ManagedKey(stack, 'hsm', {
        name: 'hsm-signer',
        backend: ManagedKeyBackend.pkcs11({
          ...HSM,
          pin: secret(stack, 'pin'),
          ...props(stack),
        } as Pkcs11ManagedKeyProps),
      }),
  );
  expect(stack.node.tryFindChild('hsm')).toBeUndefined();
  expect(error.code).toBe('ERR_CONSTRUCT_VALIDATION');
  expect(error.constructPath).toBe('keys/hsm');
  return error;
}

describe('ManagedKey refusals', () => {
  it('fails on a value outside the allowed set, listing them', () => {
    const e = refusedPkcs11(() => ({ mechanism: '0x9999' }));
    expect(e.problems).toEqual([
      expect.objectContaining({
        code: 'ERR_INVALID_ARGUMENT',
        prop: 'backend.mechanism',
        allowed: ['0x1041', '0x000D', '0x0009', '0x0001'],
      }),
    ]);
    expect(e.message).toMatch(
      /^keys\/hsm: backend\.mechanism: mechanism '0x9999' is not supported; allowed: /,
    );
  });

  it('fails on a missing required parameter group', () => {
    const e = refusedPkcs11(() => ({ keyLabel: undefined }));
    expect(e.problems).toEqual([
      expect.objectContaining({
        code: 'ERR_MISSING_PARAMETER',
        prop: 'backend.keyLabel',
        allowed: ['key_label', 'key_id'],
      }),
    ]);
    expect(e.message).toContain('pkcs11 managed keys need key_label or key_id');
  });

  it('fails on a spelling the provider would refuse at plan (case of an enumerated value)', () => {
    const stack = newStack();
    const e = refusal(
      () =>
        new ManagedKey(stack, 'aws', {
          name: 'aws-signer',
          backend: ManagedKeyBackend.awsKms({ keyType: 'rsa', kmsKey: 'alias/k' }),
        }),
    );
    expect(e.problems).toEqual([
      expect.objectContaining({ prop: 'backend.keyType', allowed: ['RSA', 'ECDSA'] }),
    ]);
    expect(e.message).toContain("key_type 'rsa' must be written 'RSA'");
  });

  it('fails on a relative library path', () => {
    const e = refusedPkcs11(() => ({ library: 'lib/softhsm2.so' }));
    expect(e.problems.map((p) => p.prop)).toEqual(['backend.library']);
    expect(e.message).toContain('library must be an absolute path');
  });

  it('fails on a prop the backend does not take, listing those it does', () => {
    const e = refusedPkcs11(() => ({ vaultName: 'payments' }) as Overrides);
    expect(e.problems[0]?.prop).toBe('backend.vaultName');
    expect(e.problems[0]?.allowed).toContain('tokenLabel');
    expect(e.problems[0]?.allowed).toContain('pinVersion');
  });

  it('fails on an unknown usage', () => {
    const stack = newStack();
    const e = refusal(
      () =>
        new ManagedKey(stack, 'hsm', {
          name: 'hsm-signer',
          usages: ['sing'],
          backend: ManagedKeyBackend.pkcs11({ ...HSM, pin: secret(stack, 'pin') }),
        }),
    );
    expect(e.problems).toEqual([expect.objectContaining({ prop: 'usages' })]);
    expect(e.problems[0]?.allowed).toContain('sign');
  });

  it('fails on plain http:// to a non-loopback host (cross-parameter rule)', () => {
    const stack = newStack();
    const e = refusal(
      () =>
        new ManagedKey(stack, 'azure', {
          name: 'azure-signer',
          backend: ManagedKeyBackend.azureKeyVault({
            tenantId: 't',
            vaultName: 'v',
            keyName: 'k',
            keyType: 'RSA-HSM',
            endpoint: 'http://vault.example.com',
          }),
        }),
    );
    expect(e.problems).toEqual([expect.objectContaining({ prop: 'backend.endpoint' })]);
    expect(e.message).toContain('plain http:// to a non-loopback host');
  });

  it('fails on a literal secret without echoing it', () => {
    const e = refusedPkcs11(() => ({ pin: 'pin-1234' as unknown as SecretVariable }));
    expect(e.problems.map((p) => p.prop)).toEqual(['backend.pin']);
    expect(e.message).toContain('must be a TerraformVariable with sensitive: true');
    expect(e.message).not.toContain('pin-1234');
  });

  it('fails on a secret variable that is not sensitive', () => {
    const e = refusedPkcs11((stack) => ({ pin: new TerraformVariable(stack, 'plain_pin', {}) }));
    expect(e.message).toContain("the variable 'plain_pin' is not sensitive");
  });

  it('fails on a sensitive variable with a default (the default is written into the JSON)', () => {
    const e = refusedPkcs11((stack) => ({
      pin: new TerraformVariable(stack, 'pin_default', { sensitive: true, default: 'pin-5678' }),
    }));
    expect(e.message).toContain("the variable 'pin_default' has a default");
    expect(e.message).not.toContain('pin-5678');
  });

  it('reports every problem at once', () => {
    const e = refusedPkcs11(() => ({ mechanism: 'bad', library: 'rel', keyLabel: undefined }));
    expect(e.problems.map((p) => p.prop).sort()).toEqual([
      'backend.keyLabel',
      'backend.library',
      'backend.mechanism',
    ]);
    expect(e.message).toMatch(/^keys\/hsm: 3 problems:\n {2}- /);
  });

  it('fails on a blank name', () => {
    const stack = newStack();
    const e = refusal(
      () =>
        new ManagedKey(stack, 'hsm', {
          name: '',
          backend: ManagedKeyBackend.pkcs11({ ...HSM, pin: secret(stack, 'pin') }),
        }),
    );
    expect(e.message).toBe('keys/hsm: name: must not be empty');
  });

  it('fromName fails on an empty name', () => {
    const stack = newStack();
    const e = refusal(() => ManagedKey.fromName(stack, 'legacy', ' '));
    expect(e.message).toBe('keys/legacy: managedKeyName: must not be empty');
  });
});
