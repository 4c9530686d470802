/**
 * Seed 000 through the `keyplane` executable against the Azure emulator: managed-key create
 * (client secret from stdin) → read (redacted) → test-sign (generates) → signing-key create →
 * sign --hash sha2-512 → verify (exit 0 valid / 1 invalid) → delete refused while in use.
 */
import { writeFileSync } from 'node:fs';
import { startAzureKeyVaultEmulator, type AzureKeyVaultEmulator } from '@keyplane/emulators';
import { cliSandbox, type CliSandbox } from './support/cli';

describe('keyplane managed-key / signing-key / sign / verify (seed 000 on the Azure emulator)', () => {
  let emulator: AzureKeyVaultEmulator;
  let sandbox: CliSandbox;
  let env: Record<string, string>;
  beforeAll(async () => {
    // Soft delete eventually consistent, as in the service.
    emulator = await startAzureKeyVaultEmulator({ port: 0, consistencyDelayMs: 250 });
    sandbox = cliSandbox();
    writeFileSync(sandbox.path('ca.pem'), emulator.caPem);
    writeFileSync(sandbox.path('data.txt'), 'This is a secret data\n');
    env = {
      KEYPLANE_STORE: sandbox.path('keyplane.db'),
      KEYPLANE_SEAL_PASSPHRASE: 'cli test passphrase',
      AWS_EC2_METADATA_DISABLED: 'true',
      METADATA_SERVER_DETECTION: 'none',
    };
  });
  afterAll(async () => {
    sandbox.dispose();
    await emulator.close();
  });

  it('runs the walkthrough end to end', async () => {
    const run = (args: string[], input?: string) =>
      sandbox.runAsync(args, { env, ...(input === undefined ? {} : { input }) });
    const create = await run(
      [
        'managed-key',
        'create',
        'azurekeyvault',
        'azure-managed-key',
        'allow_generate_key=true',
        'any_mount=true',
        'usages=sign,verify',
        'tenant_id=00000000-0000-0000-0000-000000000001',
        'client_id=keyplane-cli',
        'client_secret=-',
        'vault_name=hc-vault-managed-keys',
        'key_name=vault-managed-key',
        'key_bits=2048',
        'key_type=RSA-HSM',
        `endpoint=${emulator.url}`,
        `ca_file=${sandbox.path('ca.pem')}`,
      ],
      'cli-client-secret-value\n',
    );
    // The first command initializes the store: the passphrase seal says it is for development.
    expect(create).toMatchObject({
      status: 0,
      stderr:
        'warning: the passphrase seal is for development only; use a pkcs11, awskms, azurekeyvault or gcpckms seal for real keys\n',
    });
    expect(create.stdout).toContain(
      'Success! Managed key azure-managed-key (azurekeyvault) created.',
    );

    const read = await run(['managed-key', 'read', 'azure-managed-key']);
    expect(read.status).toBe(0);
    expect(read.stdout).toMatch(/client_secret\s+redacted/);
    expect(read.stdout).toMatch(/vault_name\s+hc-vault-managed-keys/);
    expect(read.stdout).not.toContain('cli-client-secret-value');

    const testSign = await run([
      'managed-key',
      'test-sign',
      'azure-managed-key',
      '--hash',
      'sha2-256',
      '--json',
    ]);
    expect(testSign.status).toBe(0);
    expect(JSON.parse(testSign.stdout)).toMatchObject({
      key_generated: true,
      hash_algorithm: 'sha2-256',
    });

    expect(
      (
        await run([
          'signing-key',
          'create',
          'signer-azure-key',
          '--managed-key',
          'azure-managed-key',
        ])
      ).status,
    ).toBe(0);
    const signed = await run([
      'sign',
      '--key',
      'signer-azure-key',
      '--hash',
      'sha2-512',
      '--input',
      'data.txt',
    ]);
    expect(signed.status).toBe(0);
    const signature = signed.stdout.trim();
    expect(signature).toMatch(/^keyplane:v1:[A-Za-z0-9+/]+=*$/);

    const ok = await run([
      'verify',
      '--key',
      'signer-azure-key',
      '--hash',
      'sha2-512',
      '--input',
      'data.txt',
      '--signature',
      signature.replace('keyplane:', 'vault:'),
    ]);
    expect(ok).toMatchObject({ status: 0, stdout: 'valid: true\n' });
    writeFileSync(sandbox.path('other.txt'), 'something else\n');
    const bad = await run([
      'verify',
      '--key',
      'signer-azure-key',
      '--hash',
      'sha2-512',
      '--input',
      'other.txt',
      '--signature',
      signature,
    ]);
    expect(bad).toMatchObject({ status: 1, stdout: 'valid: false\n' });

    // Every change and every sign/verify is in the hash-chained audit log; inputs only as HMACs.
    const tail = await run(['audit', 'tail', '--json', '--lines', '50']);
    expect(tail.status).toBe(0);
    const entries = tail.stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as { operation: string; outcome: string; details: Record<string, unknown> },
      );
    expect(entries.map((e) => `${e.operation}:${e.outcome}`)).toEqual(
      expect.arrayContaining([
        'managed-key.create:ok',
        'managed-key.test-sign:ok',
        'signing-key.create:ok',
        'sign:ok',
        'verify:ok',
      ]),
    );
    expect(entries.find((e) => e.operation === 'sign')?.details.input).toMatch(
      /^hmac-sha256:[0-9a-f]{64}$/,
    );
    expect(tail.stdout).not.toContain('This is a secret data');
    expect(tail.stdout).not.toContain('cli-client-secret-value');
    expect(await run(['audit', 'verify'])).toMatchObject({
      status: 0,
      stdout: expect.stringContaining('Audit log intact') as string,
    });
    const status = await run(['store', 'status', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({
      sealType: 'passphrase',
      counts: { root: { managed_key: 1, signing_key: 1 } },
    });

    const inUse = await run(['managed-key', 'delete', 'azure-managed-key']);
    expect(inUse.status).toBe(1);
    expect(inUse.stderr).toContain('[ERR_IN_USE]');
    const list = await run(['managed-key', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual({ keys: ['azure-managed-key'] });
  });

  it('gives usage errors (exit 2) for bad arguments, naming them', async () => {
    const run = (args: string[]) => sandbox.runAsync(args, { env });
    const noName = await run(['managed-key', 'create', 'pkcs11']);
    expect(noName.status).toBe(2);
    expect(noName.stderr).toContain('missing required argument <name>');
    const badHash = await run(['managed-key', 'test-sign', 'x', '--hash', 'md5']);
    expect(badHash.status).toBe(2);
    expect(badHash.stderr).toContain('allowed: sha1, sha2-224');
    const badParam = await run(['managed-key', 'create', 'awskms', 'k', 'kms_key']);
    expect(badParam.status).toBe(2);
    expect(badParam.stderr).toContain('expected name=value');
    const unknownParam = await run([
      'managed-key',
      'create',
      'awskms',
      'k',
      'kms_key=alias/k',
      'key_type=RSA',
      'colour=blue',
    ]);
    expect(unknownParam.status).toBe(2);
    expect(unknownParam.stderr).toContain(
      "parameter 'colour' is not supported for awskms managed keys; allowed:",
    );
  });
});
