// KMS connections: one typed class per provider over keyplane_kms; credentials in the write-only
// map (secrets only as sensitive variables); Azure from an azurerm KeyVault by reference; the
// policy Aspect on allowed_providers.
import { Testing } from 'cdktf';
import {
  AwsKmsConnection,
  AzureKeyVaultConnection,
  GcpKmsConnection,
  KeyPolicy,
  Pkcs11Connection,
} from '@keyplane/cdktf';
import type { SecretVariable } from '@keyplane/cdktf';
import { kms } from '@keyplane/cdktf/gen';
import { FLAVOR } from './support/flavor';
import { newStack, refusal, secret } from './support/stack';

describe('KmsConnection', () => {
  it('synthesizes each provider with its key collection, options and write-only credentials', () => {
    const stack = newStack();
    new AwsKmsConnection(stack, 'aws', {
      name: 'aws-eu',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:4599',
      accessKey: secret(stack, 'aws_access_key'),
      secretKey: secret(stack, 'aws_secret_key'),
      credentialsVersion: 2,
    });
    new AzureKeyVaultConnection(stack, 'azure', {
      name: 'azure-payments',
      vaultName: 'payments',
      resource: 'managedhsm.azure.net',
      tenantId: 'tenant-1',
      clientSecret: secret(stack, 'azure_secret'),
    });
    new GcpKmsConnection(stack, 'gcp', {
      name: 'gcp-eu',
      keyRing: 'projects/p/locations/europe-west1/keyRings/r',
    });
    new Pkcs11Connection(stack, 'hsm', {
      name: 'hsm',
      tokenLabel: 'keyplane',
      library: '/usr/lib/softhsm/libsofthsm2.so',
      pin: secret(stack, 'pin'),
    });
    const synthesized = Testing.synth(stack);
    expect(synthesized).toHaveResourceWithProperties(kms.Kms, {
      name: 'aws-eu',
      type: 'awskms',
      key_collection: 'eu-west-1',
      endpoint: 'http://127.0.0.1:4599',
      credentials_wo: { access_key: '${var.aws_access_key}', secret_key: '${var.aws_secret_key}' },
      credentials_wo_version: 2,
    });
    expect(synthesized).toHaveResourceWithProperties(kms.Kms, {
      type: 'azurekeyvault',
      key_collection: 'payments',
      options: { resource: 'managedhsm.azure.net' },
      credentials_wo: { tenant_id: 'tenant-1', client_secret: '${var.azure_secret}' },
      credentials_wo_version: 1,
    });
    expect(synthesized).toHaveResourceWithProperties(kms.Kms, {
      type: 'gcpckms',
      key_collection: 'projects/p/locations/europe-west1/keyRings/r',
    });
    expect(synthesized).toHaveResourceWithProperties(kms.Kms, {
      type: 'pkcs11',
      key_collection: 'keyplane',
      options: { library: '/usr/lib/softhsm/libsofthsm2.so' },
      credentials_wo: { pin: '${var.pin}' },
    });
    const gcp = Object.values(
      (JSON.parse(synthesized) as { resource: { keyplane_kms: Record<string, object> } }).resource
        .keyplane_kms,
    ).find((r) => 'key_collection' in r && String(r.key_collection).startsWith('projects/'));
    expect(gcp).not.toHaveProperty('credentials_wo');
  });

  it('fails on a literal secret credential without echoing it, creating nothing', () => {
    const stack = newStack();
    const e = refusal(
      () =>
        new Pkcs11Connection(stack, 'hsm', {
          name: 'hsm',
          tokenLabel: 'keyplane',
          pin: '1234-secret' as unknown as SecretVariable,
        }),
    );
    expect(stack.node.tryFindChild('hsm')).toBeUndefined();
    expect(e.problems.map((p) => p.prop)).toEqual(['pin']);
    expect(e.message).not.toContain('1234-secret');
  });

  it('fails on an empty key collection', () => {
    const stack = newStack();
    const e = refusal(() => new AwsKmsConnection(stack, 'aws', { name: 'aws', region: ' ' }));
    expect(e.message).toBe('keys/aws: region: must not be empty');
  });

  it('fails on a key collection not in the provider form, naming the prop and the form', () => {
    const stack = newStack();
    const gcp = refusal(
      () => new GcpKmsConnection(stack, 'gcp', { name: 'gcp', keyRing: 'my-ring' }),
    );
    expect(gcp.problems).toEqual([
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT', prop: 'keyRing' }),
    ]);
    expect(gcp.message).toContain('projects/<p>/locations/<l>/keyRings/<r>');
    const aws = refusal(() => new AwsKmsConnection(stack, 'aws', { name: 'aws', region: 'mars' }));
    expect(aws.message).toBe(
      "keys/aws: region: region 'mars' is not valid for awskms: expected an AWS region such as us-east-1",
    );
    expect(stack.node.children).toHaveLength(0);
  });

  it('fails on a name the engine refuses', () => {
    const stack = newStack();
    const e = refusal(
      () => new AwsKmsConnection(stack, 'aws', { name: 'aws eu', region: 'eu-west-1' }),
    );
    expect(e.problems).toEqual([
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT', prop: 'name' }),
    ]);
  });

  it('fromKeyVault fails on grantAccessTo without the vault id', () => {
    const stack = newStack();
    const e = refusal(() =>
      AzureKeyVaultConnection.fromKeyVault(
        stack,
        'azure',
        { name: 'payments-kv', vaultUri: 'https://payments-kv.vault.azure.net/' },
        { name: 'azure', grantAccessTo: { tenantId: 't', objectId: 'o' } },
      ),
    );
    expect(stack.node.tryFindChild('azure')).toBeUndefined();
    expect(e.problems.map((p) => p.prop)).toEqual(['vault.id']);
  });

  it('KeyPolicy refuses a provider the policy does not allow', () => {
    const stack = newStack();
    KeyPolicy.enforce(stack, { version: 1, rules: { allowed_providers: ['awskms'] } });
    new GcpKmsConnection(stack, 'gcp', {
      name: 'gcp-eu',
      keyRing: 'projects/p/locations/europe-west1/keyRings/r',
    });
    const e = refusal(() => Testing.synth(stack));
    expect(e.constructPath).toBe('keys/gcp');
    expect(e.problems).toEqual([expect.objectContaining({ prop: 'type', allowed: ['awskms'] })]);
  });

  // The azurerm bindings are built against cdktf; in a cdktn app they cannot synthesize (see
  // docs/cdktf-offline.md), so this one runs in the cdktf project only.
  (FLAVOR === 'cdktf' ? it : it.skip)(
    'AzureKeyVaultConnection.fromKeyVault takes an azurerm KeyVault by reference',
    async () => {
      const { KeyVault } = await import('@cdktf/provider-azurerm/lib/key-vault/index.js');
      const stack = newStack();
      const vault = new KeyVault(stack, 'vault', {
        name: 'payments-kv',
        location: 'westeurope',
        resourceGroupName: 'rg',
        skuName: 'premium',
        tenantId: 'tenant-1',
      });
      AzureKeyVaultConnection.fromKeyVault(stack, 'azure', vault, {
        name: 'azure-payments',
        grantAccessTo: { tenantId: 'tenant-1', objectId: 'sp-1' },
      });
      const synthesized = Testing.synth(stack);
      const json = JSON.parse(synthesized) as {
        resource: {
          keyplane_kms: Record<
            string,
            { key_collection: string; endpoint?: string; depends_on?: string[] }
          >;
          azurerm_key_vault_access_policy: Record<string, unknown>;
        };
      };
      const [policyId, policy] =
        Object.entries(json.resource.azurerm_key_vault_access_policy)[0] ?? [];
      expect(policy).toEqual({
        key_vault_id: '${azurerm_key_vault.vault.id}',
        tenant_id: 'tenant-1',
        object_id: 'sp-1',
        key_permissions: ['Create', 'Delete', 'Get', 'Import', 'Update'],
      });
      const connection = Object.entries(json.resource.keyplane_kms).find(([id]) =>
        id.startsWith('azure_'),
      )?.[1];
      expect(connection?.key_collection).toBe('${azurerm_key_vault.vault.name}');
      expect(connection?.endpoint).toBe('${azurerm_key_vault.vault.vault_uri}');
      expect(connection?.depends_on).toEqual([
        `\${azurerm_key_vault_access_policy.${policyId ?? ''}}`,
      ]);
    },
  );
});
