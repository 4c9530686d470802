// checkDistributionTarget / refuseDistributionTarget (@keyplane/engine/lifecycle-rules): every rule
// the engine's distribute enforces on key type × origin × connection × purpose × protection, as
// diagnostics with the code, the field and the allowed values — the function the provider's plan
// runs too. Expected allowed sets are written out from the clouds' BYOK docs (cited in
// algorithms/clouds.ts), not derived from the tables under test.
import {
  checkDistributionTarget,
  refuseDistributionTarget,
  type DistributionTarget,
} from '@keyplane/engine/lifecycle-rules';
import { isKeyplaneError } from '@keyplane/engine/errors';

const RSA = ['rsa-2048', 'rsa-3072', 'rsa-4096'];
const ECDSA = ['ecdsa-p256', 'ecdsa-p384', 'ecdsa-p521'];
const CLOUDS = ['awskms', 'azurekeyvault', 'gcpckms'];

const target = (t: Partial<DistributionTarget>): DistributionTarget => ({
  keyType: 'rsa-2048',
  provider: 'gcpckms',
  purposes: ['sign', 'verify'],
  protection: 'hsm',
  ...t,
});

const check = (t: Partial<DistributionTarget>) => checkDistributionTarget(target(t));
const fields = (t: Partial<DistributionTarget>) => check(t).map((d) => [d.code, d.field]);

describe('checkDistributionTarget', () => {
  it('finds nothing wrong with a target every rule accepts', () => {
    expect(check({})).toEqual([]);
    expect(check({ provider: 'awskms', keyType: 'aes256-gcm96', purposes: ['encrypt'] })).toEqual(
      [],
    );
    expect(check({ provider: 'pkcs11', keyType: 'aes256-gcm96', purposes: ['wrap'] })).toEqual([]);
    expect(check({ origin: 'hsm:token', provider: 'awskms' })).toEqual([]);
  });

  it('key type × cloud: the type the cloud does not import, with the types it does', () => {
    expect(check({ provider: 'awskms', keyType: 'ed25519' })).toEqual([
      {
        code: 'ERR_UNSUPPORTED_KEY_TYPE',
        field: 'type',
        allowed: ['aes256-gcm96', ...RSA, ...ECDSA],
        message:
          "type 'ed25519' is not supported by awskms; allowed: aes256-gcm96, rsa-2048, rsa-3072, rsa-4096, ecdsa-p256, ecdsa-p384, ecdsa-p521",
      },
    ]);
    expect(check({ keyType: 'ecdsa-p521' })[0]).toMatchObject({
      code: 'ERR_UNSUPPORTED_KEY_TYPE',
      field: 'type',
      allowed: ['aes256-gcm96', ...RSA, 'ecdsa-p256', 'ecdsa-p384', 'ed25519'],
    });
  });

  it('Azure: Key Vault imports RSA only, Managed HSM also EC and AES; an unknown service takes either', () => {
    const ec = { provider: 'azurekeyvault', keyType: 'ecdsa-p256' } as const;
    expect(check({ ...ec, azureService: 'vault' })).toEqual([
      {
        code: 'ERR_UNSUPPORTED_KEY_TYPE',
        field: 'type',
        allowed: RSA,
        message:
          "type 'ecdsa-p256' is not supported by azurekeyvault (vault); allowed: rsa-2048, rsa-3072, rsa-4096 (Azure managed-hsm accepts it)",
      },
    ]);
    expect(check({ ...ec, azureService: 'managed-hsm' })).toEqual([]);
    expect(check(ec)).toEqual([]);
    const aes = { provider: 'azurekeyvault', keyType: 'aes256-gcm96', purposes: ['wrap'] } as const;
    expect(fields({ ...aes, azureService: 'vault' })).toEqual([
      ['ERR_UNSUPPORTED_KEY_TYPE', 'type'],
    ]);
    expect(check({ ...aes, azureService: 'managed-hsm' })).toEqual([]);
    // EC keys are HSM-only in Azure: software protection is the RSA (non-HSM) key of a vault.
    expect(check({ ...ec, azureService: 'managed-hsm', protection: 'software' })).toEqual([
      expect.objectContaining({
        code: 'ERR_UNSUPPORTED_PROTECTION',
        field: 'protection',
        allowed: ['hsm'],
      }),
    ]);
  });

  it('purpose: outside the row, or mixing usages AWS and GCP keep apart', () => {
    // `allowed` lists what the message lists: the purposes for one outside the row, the
    // purpose sets for a mix.
    expect(check({ keyType: 'aes256-gcm96', purposes: ['wrap'] })).toEqual([
      {
        code: 'ERR_UNSUPPORTED_PURPOSE',
        field: 'purpose',
        allowed: ['encrypt', 'decrypt'],
        message:
          "purpose 'wrap' is not supported for aes256-gcm96 on gcpckms; allowed: encrypt, decrypt",
      },
    ]);
    expect(check({ provider: 'awskms', purposes: ['encrypt', 'sign'] })).toEqual([
      {
        code: 'ERR_UNSUPPORTED_PURPOSE',
        field: 'purpose',
        allowed: ['{encrypt, decrypt}', '{sign, verify}'],
        message:
          'purpose [encrypt, sign] mixes usages awskms keeps apart for rsa-2048; choose within one of: {encrypt, decrypt} or {sign, verify}',
      },
    ]);
    expect(fields({ purposes: [] })).toEqual([['ERR_UNSUPPORTED_PURPOSE', 'purpose']]);
  });

  it('protection: AWS KMS keys are HSM-held, so software is refused', () => {
    expect(check({ provider: 'awskms', protection: 'software' })).toEqual([
      expect.objectContaining({
        code: 'ERR_UNSUPPORTED_PROTECTION',
        field: 'protection',
        allowed: ['hsm'],
      }),
    ]);
    expect(check({ protection: 'software' })).toEqual([]);
  });

  it('PKCS#11: no Ed25519, HSM protection only, EC keys sign only', () => {
    const pkcs11 = { provider: 'pkcs11' } as const;
    expect(check({ ...pkcs11, keyType: 'ed25519' })).toEqual([
      expect.objectContaining({
        code: 'ERR_UNSUPPORTED_KEY_TYPE',
        field: 'type',
        allowed: ['aes256-gcm96', ...RSA, ...ECDSA],
      }),
    ]);
    expect(check({ ...pkcs11, protection: 'software' })).toEqual([
      expect.objectContaining({ field: 'protection', allowed: ['hsm'] }),
    ]);
    expect(check({ ...pkcs11, keyType: 'ecdsa-p384', purposes: ['encrypt'] })).toEqual([
      expect.objectContaining({
        code: 'ERR_UNSUPPORTED_PURPOSE',
        field: 'purpose',
        allowed: ['sign', 'verify'],
      }),
    ]);
  });

  it('HSM-origin keys: only the clouds the token can wrap for, HSM-protected', () => {
    const hsm = { origin: 'hsm:token' } as const;
    expect(check({ ...hsm, provider: 'pkcs11' })).toEqual([
      {
        code: 'ERR_UNSUPPORTED_TARGET',
        field: 'kms',
        allowed: CLOUDS,
        message:
          "provider 'pkcs11' is not supported for HSM-origin keys (hsm:token); allowed: awskms, azurekeyvault, gcpckms",
      },
    ]);
    // GCP imports software-protected keys, but a token's key stays HSM-protected.
    expect(check({ ...hsm, protection: 'software' })).toEqual([
      expect.objectContaining({
        code: 'ERR_UNSUPPORTED_PROTECTION',
        field: 'protection',
        allowed: ['hsm'],
      }),
    ]);
    // AWS refuses software for every key: said once, not once per rule.
    expect(fields({ ...hsm, provider: 'awskms', protection: 'software' })).toEqual([
      ['ERR_UNSUPPORTED_PROTECTION', 'protection'],
    ]);
  });

  it('reports independent problems together, each on its field', () => {
    expect(
      fields({
        origin: 'hsm:token',
        provider: 'pkcs11',
        keyType: 'ecdsa-p256',
        purposes: ['wrap'],
      }),
    ).toEqual([
      ['ERR_UNSUPPORTED_PURPOSE', 'purpose'],
      ['ERR_UNSUPPORTED_TARGET', 'kms'],
    ]);
  });
});

describe('refuseDistributionTarget', () => {
  function refusal(t: Partial<DistributionTarget>) {
    try {
      refuseDistributionTarget(target(t));
    } catch (e) {
      if (!isKeyplaneError(e)) throw e;
      return e;
    }
    throw new Error('expected a refusal');
  }

  it('passes what checkDistributionTarget accepts', () => {
    expect(() => {
      refuseDistributionTarget(target({}));
    }).not.toThrow();
  });

  it('throws the one problem as its own typed error', () => {
    const e = refusal({ provider: 'awskms', keyType: 'ed25519' });
    expect(e).toMatchObject({ code: 'ERR_UNSUPPORTED_KEY_TYPE', field: 'type' });
    expect(e.diagnostics).toEqual(check({ provider: 'awskms', keyType: 'ed25519' }));
  });

  it('throws several as the first one’s class, every problem in diagnostics', () => {
    const bad = {
      origin: 'hsm:token',
      provider: 'pkcs11',
      keyType: 'ecdsa-p256',
      purposes: ['wrap'],
    } as const;
    const e = refusal(bad);
    expect(e).toMatchObject({ code: 'ERR_UNSUPPORTED_PURPOSE', field: 'purpose' });
    expect(e.message).toMatch(/^2 problems with the ecdsa-p256 key's distribution to pkcs11: /);
    expect(e.diagnostics).toEqual(check(bad));
  });
});
