// ManagedKey: typed props per backend, synthesized to keyplane_managed_key, every refusal at synth
// naming the construct path and the prop (engine validator, the one the provider runs at plan).
import { TerraformVariable, Testing } from 'cdktf';
import { ManagedKey, ManagedKeyBackend, SigningKey } from '@keyplane/cdktf';
import { managedKey, signingKey } from '@keyplane/cdktf/gen';
import { newStack, secret } from './support/stack';

const HSM = {
  library: '/usr/lib/softhsm/libsofthsm2.so',
  tokenLabel: 'keyplane',
  keyLabel: 'signer',
  mechanism: '0x1041',
};

describe('ManagedKey', () => {
  it('synthesizes a PKCS#11 managed key with the PIN as a write-only variable reference', () => {
    const stack = newStack();
    const pin = secret(stack, 'hsm_pin');
    new ManagedKey(stack, 'hsm', {
      name: 'hsm-signer',
      usages: ['sign'],
      backend: ManagedKeyBackend.pkcs11({ ...HSM, pin, keyBits: 3072 }),
    });
    const synthesized = Testing.synth(stack);
    expect(synthesized).toHaveResourceWithProperties(managedKey.ManagedKey, {
      name: 'hsm-signer',
      type: 'pkcs11',
      library: HSM.library,
      token_label: 'keyplane',
      key_label: 'signer',
      mechanism: '0x1041',
      key_bits: 3072,
      usages: ['sign'],
      pin_wo: '${var.hsm_pin}',
      pin_wo_version: 1,
    });
  });

  it('synthesizes AWS, Azure and GCP managed keys with their own parameters', () => {
    const stack = newStack();
    new ManagedKey(stack, 'aws', {
      name: 'aws-signer',
      backend: ManagedKeyBackend.awsKms({
        keyType: 'RSA',
        kmsKey: 'alias/signer',
        region: 'eu-west-1',
        accessKey: secret(stack, 'aws_access_key'),
        secretKey: secret(stack, 'aws_secret_key'),
        secretKeyVersion: 3,
      }),
    });
    new ManagedKey(stack, 'azure', {
      name: 'azure-signer',
      backend: ManagedKeyBackend.azureKeyVault({
        tenantId: 't-1',
        clientId: 'c-1',
        clientSecret: secret(stack, 'azure_client_secret'),
        vaultName: 'payments',
        keyName: 'signer',
        keyType: 'RSA-HSM',
        resource: 'managedhsm.azure.net',
      }),
    });
    new ManagedKey(stack, 'gcp', {
      name: 'gcp-signer',
      backend: ManagedKeyBackend.gcpCloudKms({
        project: 'p-1',
        region: 'europe-west1',
        keyRing: 'ring',
        cryptoKey: 'signer',
        algorithm: 'EC_SIGN_P256_SHA256',
        credentials: '/etc/keyplane/gcp.json',
      }),
    });
    const synthesized = Testing.synth(stack);
    expect(synthesized).toHaveResourceWithProperties(managedKey.ManagedKey, {
      type: 'awskms',
      key_type: 'RSA',
      kms_key: 'alias/signer',
      region: 'eu-west-1',
      access_key_wo: '${var.aws_access_key}',
      secret_key_wo: '${var.aws_secret_key}',
      secret_key_wo_version: 3,
    });
    expect(synthesized).toHaveResourceWithProperties(managedKey.ManagedKey, {
      type: 'azurekeyvault',
      tenant_id: 't-1',
      vault_name: 'payments',
      resource: 'managedhsm.azure.net',
      client_secret_wo: '${var.azure_client_secret}',
    });
    expect(synthesized).toHaveResourceWithProperties(managedKey.ManagedKey, {
      type: 'gcpckms',
      key_ring: 'ring',
      algorithm: 'EC_SIGN_P256_SHA256',
      credentials: '/etc/keyplane/gcp.json',
    });
  });

  it('takes references it cannot check at synth (a vault name from another resource)', () => {
    const stack = newStack();
    const vault = new TerraformVariable(stack, 'vault', { type: 'string' });
    new ManagedKey(stack, 'azure', {
      name: 'azure-signer',
      backend: ManagedKeyBackend.azureKeyVault({
        tenantId: 't-1',
        vaultName: vault.stringValue,
        keyName: 'signer',
        keyType: 'RSA-HSM',
      }),
    });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(managedKey.ManagedKey, {
      vault_name: '${var.vault}',
    });
  });

  it('SigningKey signs through a managed key, referenced so it is created after it', () => {
    const stack = newStack();
    const key = new ManagedKey(stack, 'hsm', {
      name: 'hsm-signer',
      backend: ManagedKeyBackend.pkcs11({ ...HSM, pin: secret(stack, 'pin') }),
    });
    const imported = ManagedKey.fromName(stack, 'legacy', 'legacy-signer');
    new SigningKey(stack, 'releases', {
      name: 'releases',
      managedKey: key,
      allowedManagedKeys: [imported],
    });
    const synthesized = Testing.synth(stack);
    expect(synthesized).toHaveResourceWithProperties(signingKey.SigningKey, {
      name: 'releases',
      allowed_managed_keys: ['legacy-signer'],
    });
    const json = JSON.parse(synthesized) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    const [managedKeyId] = Object.keys(json.resource.keyplane_managed_key ?? {});
    expect(Object.values(json.resource.keyplane_signing_key ?? {})[0]?.managed_key).toBe(
      `\${keyplane_managed_key.${managedKeyId ?? ''}.id}`,
    );
  });
});
