// No secret reaches the synthesized JSON: every secret prop of every backend is offered as a
// literal (refused, message checked) and as a sensitive variable (accepted); then the whole
// synthesized configuration is searched for each secret value used.
import { Testing } from 'cdktf';
import {
  AwsKmsConnection,
  AzureKeyVaultConnection,
  Key,
  ManagedKey,
  ManagedKeyBackend,
  isConstructValidationError,
} from '@keyplane/cdktf';
import type { SecretVariable } from '@keyplane/cdktf';
import { newStack, secret } from './support/stack';

const SECRETS = {
  pin: 'hsm-pin-7c1f',
  accessKey: 'AKIAEXAMPLE7C1F',
  secretKey: 'aws-secret-7c1f',
  clientSecret: 'azure-secret-7c1f',
};

type Secrets = Record<keyof typeof SECRETS, SecretVariable>;

const BACKENDS = (s: Partial<Secrets>) => [
  ManagedKeyBackend.pkcs11({
    library: '/usr/lib/softhsm/libsofthsm2.so',
    tokenLabel: 't',
    keyLabel: 'k',
    mechanism: '0x1041',
    pin: s.pin as SecretVariable,
  }),
  ManagedKeyBackend.awsKms({
    keyType: 'RSA',
    kmsKey: 'alias/k',
    ...(s.accessKey === undefined ? {} : { accessKey: s.accessKey }),
    ...(s.secretKey === undefined ? {} : { secretKey: s.secretKey }),
  }),
  ManagedKeyBackend.azureKeyVault({
    tenantId: 't',
    vaultName: 'v',
    keyName: 'k',
    keyType: 'RSA-HSM',
    ...(s.clientSecret === undefined ? {} : { clientSecret: s.clientSecret }),
  }),
];

it('synthesized JSON and refusals never contain a secret', () => {
  const stack = newStack();
  const literal = (name: keyof typeof SECRETS) => ({
    [name]: SECRETS[name] as unknown as SecretVariable,
  });
  const messages: string[] = [];
  for (const name of Object.keys(SECRETS) as (keyof typeof SECRETS)[]) {
    for (const [i, backend] of BACKENDS(literal(name)).entries()) {
      try {
        new ManagedKey(stack, `literal-${name}-${String(i)}`, { name: `l${String(i)}`, backend });
      } catch (e) {
        if (!isConstructValidationError(e)) throw e;
        messages.push(e.message);
      }
    }
  }
  // pin is required (every pkcs11 attempt without a variable is refused); the other three
  // literals are refused by the backend that takes them.
  expect(messages.length).toBe(4 + 3);

  const variables: Secrets = {
    pin: secret(stack, 'pin'),
    accessKey: secret(stack, 'access_key'),
    secretKey: secret(stack, 'secret_key'),
    clientSecret: secret(stack, 'client_secret'),
  };
  for (const [i, backend] of BACKENDS(variables).entries())
    new ManagedKey(stack, `k${String(i)}`, { name: `k${String(i)}`, backend });

  // Distributions reach the clouds through connections holding the same secrets.
  const key = new Key(stack, 'central', { name: 'central', type: 'rsa-2048' });
  const aws = new AwsKmsConnection(stack, 'aws', {
    name: 'aws',
    region: 'us-east-1',
    accessKey: variables.accessKey,
    secretKey: variables.secretKey,
  });
  const azure = new AzureKeyVaultConnection(stack, 'azure', {
    name: 'azure',
    vaultName: 'payments-kv',
    clientId: 'c',
    tenantId: 't',
    clientSecret: variables.clientSecret,
  });
  key.distributeTo(aws, { purpose: ['sign', 'verify'] });
  key.distributeTo(azure, { purpose: ['sign', 'verify'] });

  const synthesized = Testing.synth(stack);
  expect(synthesized).toContain('${var.client_secret}');
  expect(synthesized).toContain('keyplane_key_distribution');
  for (const value of Object.values(SECRETS)) {
    expect(synthesized).not.toContain(value);
    for (const m of messages) expect(m).not.toContain(value);
  }
});
