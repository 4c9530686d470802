// KeyDistribution and Key.distributeTo: keyplane_key_distribution by reference to the key and
// the connection, cloud id outputs; one refusal per rule of the engine's pure checks (key type ×
// origin × provider × purpose × protection, the cloud's key naming) at synth; imports as
// targets; the policy Aspect on distributions.
import { TerraformOutput, Testing, type TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  AwsKmsConnection,
  AzureKeyVaultConnection,
  GcpKmsConnection,
  Key,
  KeyDistribution,
  KeyPolicy,
  Pkcs11Connection,
  kmsConnectionFromName,
} from '@keyplane/cdktf';
import type { KeyDistributionOptions, KeyProps } from '@keyplane/cdktf';
import { keyDistribution as l1 } from '@keyplane/cdktf/gen';
import { newStack, refusal, secret } from './support/stack';

interface Synthesized {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output: Record<string, { value: string }>;
}

const aws = (stack: TerraformStack) =>
  new AwsKmsConnection(stack, 'aws', { name: 'aws', region: 'eu-west-1' });
const azure = (stack: TerraformStack, service?: 'vault' | 'managed-hsm') =>
  new AzureKeyVaultConnection(stack, 'azure', {
    name: 'azure',
    vaultName: 'payments-vault',
    ...(service === undefined ? {} : { service }),
  });
const gcp = (stack: TerraformStack) =>
  new GcpKmsConnection(stack, 'gcp', {
    name: 'gcp',
    keyRing: 'projects/p/locations/global/keyRings/r',
  });

describe('KeyDistribution', () => {
  it('synthesizes keyplane_key_distribution by reference, with cloud id outputs', () => {
    const stack = newStack();
    const key = new Key(stack, 'payments', { name: 'payments', type: 'rsa-3072' });
    const toAws = key.distributeTo(aws(stack), { purpose: ['encrypt', 'decrypt'] });
    const toGcp = key.distributeTo(gcp(stack), { purpose: ['sign'], protection: 'software' });
    new TerraformOutput(stack, 'aws_name', { value: toAws.kmsKeyName });
    new TerraformOutput(stack, 'aws_latest', { value: toAws.cloudIdOf(key.latestVersion) });
    new TerraformOutput(stack, 'gcp_v1', { value: toGcp.cloudIdOf(1) });
    const synthesized = Testing.synth(stack);
    expect(synthesized).toHaveResourceWithProperties(l1.KeyDistribution, {
      key: `\${${key.resource.terraformResourceType}.${key.resource.friendlyUniqueId}.id}`,
      kms: expect.stringMatching(/^\$\{keyplane_kms\.aws_[0-9A-F]+\.id\}$/) as string,
      purpose: ['encrypt', 'decrypt'],
      protection: 'hsm',
    });
    const json = JSON.parse(synthesized) as Synthesized;
    const distributions = json.resource.keyplane_key_distribution ?? {};
    expect(Object.keys(distributions)).toHaveLength(2);
    expect(Object.values(distributions).map((d) => d.protection)).toEqual(['hsm', 'software']);
    const [awsId, gcpId] = Object.keys(distributions);
    const keyRef = `keyplane_key.${Object.keys(json.resource.keyplane_key ?? {})[0] ?? ''}`;
    expect(json.output.aws_name?.value).toBe(
      `\${keyplane_key_distribution.${awsId ?? ''}.kms_key_name}`,
    );
    expect(json.output.aws_latest?.value).toBe(
      `\${keyplane_key_distribution.${awsId ?? ''}.versions[${keyRef}.latest_version].cloud_id}`,
    );
    expect(json.output.gcp_v1?.value).toBe(
      `\${keyplane_key_distribution.${gcpId ?? ''}.versions[1].cloud_id}`,
    );
  });

  it('takes imported keys and connections as targets', () => {
    const stack = newStack();
    const key = Key.fromName(stack, 'shared', 'shared-key', { type: 'ecdsa-p256' });
    const kms = AwsKmsConnection.fromName(stack, 'prod', 'prod-aws', 'us-east-1');
    new KeyDistribution(stack, 'dist', { key, kms, purpose: ['sign', 'verify'] });
    const untyped = Key.fromName(stack, 'legacy', 'legacy-key');
    new KeyDistribution(stack, 'legacy-dist', { key: untyped, kms, purpose: ['encrypt'] });
    const synthesized = Testing.synth(stack);
    expect(synthesized).toHaveResourceWithProperties(l1.KeyDistribution, {
      key: 'shared-key',
      kms: 'prod-aws',
      purpose: ['sign', 'verify'],
    });
    expect(synthesized).toHaveResourceWithProperties(l1.KeyDistribution, { key: 'legacy-key' });
    // Still refused at synth when the imported key's type says the cloud cannot take it.
    const e = refusal(() => new KeyDistribution(stack, 'bad', { key, kms, purpose: ['encrypt'] }));
    expect(e.constructPath).toBe('keys/bad');
    expect(e.problems).toEqual([
      expect.objectContaining({ code: 'ERR_UNSUPPORTED_PURPOSE', prop: 'purpose' }),
    ]);
  });

  it('refuses a second distribution of one key to one connection', () => {
    const stack = newStack();
    const key = new Key(stack, 'k', { name: 'k', type: 'aes256-gcm96' });
    const kms = aws(stack);
    key.distributeTo(kms, { purpose: ['encrypt', 'decrypt'] });
    const e = refusal(() => key.distributeTo(kms, { purpose: ['encrypt'] }));
    expect(e.problems).toEqual([
      expect.objectContaining({ code: 'ERR_ALREADY_EXISTS', prop: 'distributeTo(kms)' }),
    ]);
    // Another connection with the same construct id (another scope) is another distribution.
    const other = new AwsKmsConnection(new Construct(stack, 'eu'), 'aws', {
      name: 'aws-eu',
      region: 'eu-west-1',
    });
    const second = key.distributeTo(other, { purpose: ['encrypt'] });
    expect(second.kms).toBe(other);
    expect(second.node.id).toMatch(/^aws-[0-9a-f]{8}$/);
  });
});

describe('KeyDistribution refusals (the engine checks at synth)', () => {
  const refused = (
    type: KeyProps['type'],
    target: (stack: TerraformStack) => Parameters<Key['distributeTo']>[0],
    options: KeyDistributionOptions,
  ) => {
    const stack = newStack();
    const key = new Key(stack, 'k', { name: 'k', type });
    const kms = target(stack);
    const e = refusal(() => key.distributeTo(kms, options));
    expect(e.constructPath).toBe(`keys/k/${kms.node.id}`);
    expect(key.node.tryFindChild(kms.node.id)).toBeUndefined();
    expect(e.problems).toHaveLength(1);
    return e.problems[0];
  };

  it('ecdsa-p256 to Azure Key Vault: lists the types it takes and points at Managed HSM', () => {
    const problem = refused('ecdsa-p256', (s) => azure(s), { purpose: ['sign'] });
    expect(problem).toEqual(
      expect.objectContaining({
        code: 'ERR_UNSUPPORTED_KEY_TYPE',
        prop: 'key',
        allowed: ['rsa-2048', 'rsa-3072', 'rsa-4096'],
      }),
    );
    expect(problem?.message).toContain("'ecdsa-p256'");
    expect(problem?.message).toContain('managed-hsm accepts it');
  });

  it('ecdsa-p256 to Azure Managed HSM synthesizes', () => {
    const stack = newStack();
    const key = new Key(stack, 'k', { name: 'k', type: 'ecdsa-p256' });
    key.distributeTo(azure(stack, 'managed-hsm'), { purpose: ['sign', 'verify'] });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(l1.KeyDistribution, {
      purpose: ['sign', 'verify'],
    });
  });

  it('ed25519 to AWS KMS: not importable there', () => {
    expect(refused('ed25519', aws, { purpose: ['sign'] })).toEqual(
      expect.objectContaining({ code: 'ERR_UNSUPPORTED_KEY_TYPE', prop: 'key' }),
    );
  });

  it('software protection on AWS KMS: hsm only', () => {
    expect(refused('aes256-gcm96', aws, { purpose: ['encrypt'], protection: 'software' })).toEqual(
      expect.objectContaining({
        code: 'ERR_UNSUPPORTED_PROTECTION',
        prop: 'protection',
        allowed: ['hsm'],
      }),
    );
  });

  it('RSA encryption and signing in one AWS key: the cloud keeps them apart', () => {
    const problem = refused('rsa-2048', aws, { purpose: ['encrypt', 'sign'] });
    expect(problem).toEqual(
      expect.objectContaining({ code: 'ERR_UNSUPPORTED_PURPOSE', prop: 'purpose' }),
    );
    expect(problem?.message).toContain('{encrypt, decrypt} or {sign, verify}');
  });

  it('a purpose the key type cannot have (sign with AES on GCP)', () => {
    expect(refused('aes256-gcm96', gcp, { purpose: ['sign'] })).toEqual(
      expect.objectContaining({
        code: 'ERR_UNSUPPORTED_PURPOSE',
        prop: 'purpose',
        allowed: ['encrypt', 'decrypt'],
      }),
    );
  });

  it('no purpose at all', () => {
    expect(refused('aes256-gcm96', gcp, { purpose: [] })).toEqual(
      expect.objectContaining({ code: 'ERR_UNSUPPORTED_PURPOSE', prop: 'purpose' }),
    );
  });

  it('ed25519 to a PKCS#11 token: the engine’s PKCS#11 row', () => {
    const token = (s: TerraformStack) =>
      new Pkcs11Connection(s, 'token', { name: 'token', tokenLabel: 't', pin: secret(s, 'pin') });
    expect(refused('ed25519', token, { purpose: ['sign'] })).toEqual(
      expect.objectContaining({ code: 'ERR_UNSUPPORTED_KEY_TYPE', prop: 'key' }),
    );
  });

  it('a key its token generates: only to the clouds the token wraps for, HSM-protected', () => {
    const stack = newStack();
    const token = new Pkcs11Connection(stack, 'token', {
      name: 'token',
      tokenLabel: 't',
      pin: secret(stack, 'pin'),
    });
    const key = new Key(stack, 'k', { name: 'k', type: 'rsa-2048', origin: token });
    expect(refusal(() => key.distributeTo(token, { purpose: ['sign'] })).problems).toEqual([
      expect.objectContaining({
        code: 'ERR_UNSUPPORTED_TARGET',
        prop: 'kms',
        allowed: ['awskms', 'azurekeyvault', 'gcpckms'],
      }),
    ]);
    // GCP imports software-protected keys, but not a token's key.
    const soft = refusal(() =>
      key.distributeTo(gcp(stack), { purpose: ['sign'], protection: 'software' }),
    );
    expect(soft.problems).toEqual([
      expect.objectContaining({
        code: 'ERR_UNSUPPORTED_PROTECTION',
        prop: 'protection',
        allowed: ['hsm'],
      }),
    ]);
    expect(soft.message).toContain('HSM-origin');
  });

  it('an imported key whose name the cloud refuses (Azure key names have no _)', () => {
    const stack = newStack();
    const key = Key.fromName(stack, 'old', 'old_key', { type: 'rsa-2048' });
    const kms = kmsConnectionFromName(stack, 'vault', {
      name: 'vault',
      type: 'azurekeyvault',
      keyCollection: 'payments-vault',
    });
    const e = refusal(() => new KeyDistribution(stack, 'd', { key, kms, purpose: ['sign'] }));
    expect(e.problems).toEqual([
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT', prop: 'key' }),
    ]);
    expect(e.message).toContain('Azure Key Vault key name');
  });
});

describe('KeyPolicy on distributions', () => {
  it('fails synth on a provider the policy does not allow, naming the distribution', () => {
    const stack = newStack();
    KeyPolicy.enforce(stack, { version: 1, rules: { allowed_providers: ['gcpckms'] } });
    const key = new Key(stack, 'k', { name: 'k', type: 'aes256-gcm96' });
    key.distributeTo(gcp(stack), { purpose: ['encrypt'] });
    key.distributeTo(aws(stack), { purpose: ['encrypt'] });
    const e = refusal(() => Testing.synth(stack));
    expect(e.constructPath).toBe('keys/k/aws');
    expect(e.problems).toEqual([
      expect.objectContaining({
        code: 'POLICY_PROVIDER_NOT_ALLOWED',
        prop: 'kms',
        allowed: ['gcpckms'],
      }),
    ]);
  });

  it('judges protection and the imported key type', () => {
    const stack = newStack();
    KeyPolicy.enforce(stack, { version: 1, rules: { allowed_protections: ['hsm'] } });
    const key = Key.fromName(stack, 'shared', 'shared', { type: 'aes256-gcm96' });
    new KeyDistribution(stack, 'd', {
      key,
      kms: gcp(stack),
      purpose: ['encrypt'],
      protection: 'software',
    });
    const e = refusal(() => Testing.synth(stack));
    expect(e.problems).toEqual([
      expect.objectContaining({
        code: 'POLICY_PROTECTION_NOT_ALLOWED',
        prop: 'protection',
        allowed: ['hsm'],
      }),
    ]);
  });
});
