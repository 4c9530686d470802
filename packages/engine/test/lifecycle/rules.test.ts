// The pure lifecycle checks of @keyplane/engine/lifecycle-rules: the key's name in each cloud
// and each provider's key_collection form, refused typed with the field before any cloud call.
import { BACKEND_TYPES, checkKeyCollection, cloudKeyName } from '@keyplane/engine/lifecycle-rules';
import { isKeyplaneError } from '@keyplane/engine/errors';

function refusal(check: () => unknown): {
  code: string;
  message: string;
  field: string | undefined;
} {
  try {
    check();
  } catch (e) {
    if (!isKeyplaneError(e)) throw e;
    return { code: e.code, message: e.message, field: e.diagnostics[0]?.field };
  }
  throw new Error('expected a refusal');
}

describe('cloudKeyName', () => {
  it('derives the name the engine gives the key in each cloud', () => {
    const names = Object.fromEntries(BACKEND_TYPES.map((p) => [p, cloudKeyName(p, 'pay-2026')]));
    expect(names).toEqual({
      awskms: 'alias/pay-2026',
      azurekeyvault: 'pay-2026',
      gcpckms: 'pay-2026',
      pkcs11: 'pay-2026',
    });
  });

  it("refuses a name the cloud's rule does not take, naming the rule", () => {
    expect(refusal(() => cloudKeyName('azurekeyvault', 'my_key'))).toEqual({
      code: 'ERR_INVALID_ARGUMENT',
      field: 'key',
      message:
        "key 'my_key' gives the azurekeyvault key name 'my_key', which is not an Azure Key Vault key name (1-127 letters, digits, -)",
    });
    expect(cloudKeyName('gcpckms', 'my_key')).toBe('my_key');
    expect(refusal(() => cloudKeyName('awskms', 'aws/ebs')).message).toContain("not 'alias/aws/'");
    expect(refusal(() => cloudKeyName('gcpckms', 'k'.repeat(64))).field).toBe('key');
    expect(refusal(() => cloudKeyName('vault', 'k'))).toEqual(
      expect.objectContaining({ code: 'ERR_UNSUPPORTED_TARGET', field: 'provider' }),
    );
  });
});

describe('checkKeyCollection', () => {
  it.each([
    ['awskms', 'eu-west-1'],
    ['azurekeyvault', 'payments-kv'],
    ['gcpckms', 'projects/p/locations/global/keyRings/r'],
    ['pkcs11', 'keyplane'],
  ])('takes %s %s', (provider, collection) => {
    expect(() => {
      checkKeyCollection(provider, collection);
    }).not.toThrow();
  });

  it.each([
    ['awskms', 'Europe', 'an AWS region'],
    ['azurekeyvault', 'kv', 'a vault or Managed HSM name'],
    ['gcpckms', 'my-ring', 'projects/<p>/locations/<l>/keyRings/<r>'],
    ['pkcs11', 'x'.repeat(33), 'a token label'],
  ])('refuses %s %s naming the form', (provider, collection, form) => {
    const e = refusal(() => {
      checkKeyCollection(provider, collection, 'region');
    });
    expect(e).toEqual(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT', field: 'region' }));
    expect(e.message).toContain(form);
  });
});
