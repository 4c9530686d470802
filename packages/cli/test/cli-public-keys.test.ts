/**
 * Issue 8, item 12: `managed-key read` and `signing-key read` show each version's public key
 * (PEM + `sha256:` SPKI fingerprint), so a `keyplane sign` signature verifies with openssl
 * alone — checked here with the openssl CLI, not with Keyplane. Item 9: sign / verify stream
 * their input to the hash (a file over 2 GiB, stdin with `--input -`).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { truncateSync, writeFileSync } from 'node:fs';
import { createSoftHsmToken, type SoftHsmToken } from '@keyplane/emulators';
import { cliSandbox, type CliSandbox } from './support/cli';

describe('public keys in managed-key read / signing-key read (SoftHSM2)', () => {
  let token: SoftHsmToken;
  let sandbox: CliSandbox;
  let env: Record<string, string>;
  const run = async (...args: string[]) => {
    const r = await sandbox.runAsync(args, { env });
    expect({
      args,
      status: r.status,
      stderr: r.stderr.replace(/^warning: the passphrase.*\n/, ''),
    }).toEqual({
      args,
      status: 0,
      stderr: '',
    });
    return r.stdout;
  };
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: sandbox.path('') });

  beforeAll(async () => {
    token = await createSoftHsmToken({ label: 'pubkeys', pin: '1234' });
    sandbox = cliSandbox();
    env = {
      KEYPLANE_STORE: sandbox.path('keyplane.db'),
      KEYPLANE_SEAL_PASSPHRASE: 'public key test passphrase',
      SOFTHSM2_CONF: token.conf,
    };
  });
  afterAll(async () => {
    sandbox.dispose();
    await token.dispose();
  });

  it('shows PEM + fingerprint that openssl accepts and that verifies a keyplane signature', async () => {
    await run(
      'managed-key',
      'create',
      'pkcs11',
      'hsm1',
      `library=${token.module}`,
      `token_label=${token.label}`,
      'pin=1234',
      'key_label=hsm1',
      'mechanism=0x1041',
      'curve=P256',
      'allow_generate_key=true',
      'any_mount=true',
    );
    // Before the key exists: no public key, and read does not generate one.
    const before = JSON.parse(await run('managed-key', 'read', 'hsm1', '--json')) as {
      public_keys: unknown[];
    };
    expect(before.public_keys).toEqual([]);
    await run('managed-key', 'test-sign', 'hsm1');

    const read = JSON.parse(await run('managed-key', 'read', 'hsm1', '--json')) as {
      public_keys: { version: string; public_key_pem: string; fingerprint: string }[];
    };
    expect(read.public_keys).toHaveLength(1);
    const [current] = read.public_keys;
    writeFileSync(sandbox.path('pub.pem'), current?.public_key_pem ?? '');
    const der = openssl('pkey', '-pubin', '-in', 'pub.pem', '-outform', 'DER');
    expect(current?.fingerprint).toBe(`sha256:${createHash('sha256').update(der).digest('hex')}`);
    expect(openssl('pkey', '-pubin', '-in', 'pub.pem', '-noout', '-text').toString()).toContain(
      'NIST CURVE: P-256',
    );
    const text = await run('managed-key', 'read', 'hsm1');
    expect(text).toContain(
      `Public key of version ${current?.version ?? ''} (${current?.fingerprint ?? ''}):\n-----BEGIN PUBLIC KEY-----`,
    );

    await run('signing-key', 'create', 's-hsm', '--managed-key', 'hsm1');
    writeFileSync(sandbox.path('data.txt'), 'release 3.0.0\n');
    const signature = (await run('sign', '--key', 's-hsm', '--input', 'data.txt')).trim();
    expect(signature).toMatch(/^keyplane:v1:/);
    writeFileSync(sandbox.path('sig.der'), Buffer.from(signature.split(':')[2] ?? '', 'base64'));

    const signingKey = await run('signing-key', 'read', 's-hsm');
    const pem = /-----BEGIN PUBLIC KEY-----\n[^-]+-----END PUBLIC KEY-----/.exec(signingKey)?.[0];
    expect(signingKey).toContain(`Public key of v1 (${current?.fingerprint ?? ''}):`);
    writeFileSync(sandbox.path('v1.pem'), `${pem ?? ''}\n`);
    expect(
      openssl(
        'dgst',
        '-sha256',
        '-verify',
        'v1.pem',
        '-signature',
        'sig.der',
        'data.txt',
      ).toString(),
    ).toBe('Verified OK\n');
  }, 120_000);

  it('signs a sparse file over 2 GiB and stdin by streaming them to the hash; openssl verifies', async () => {
    // Sparse: no disk used; a whole-file read fails at 2 GiB (ERR_FS_FILE_TOO_LARGE).
    writeFileSync(sandbox.path('big.bin'), '');
    truncateSync(sandbox.path('big.bin'), 2 ** 31 + 4096);
    const big = (await run('sign', '--key', 's-hsm', '--input', 'big.bin')).trim();
    writeFileSync(sandbox.path('big.sig'), Buffer.from(big.split(':')[2] ?? '', 'base64'));
    expect(
      openssl(
        'dgst',
        '-sha256',
        '-verify',
        'v1.pem',
        '-signature',
        'big.sig',
        'big.bin',
      ).toString(),
    ).toBe('Verified OK\n');
    await run('verify', '--key', 's-hsm', '--input', 'big.bin', '--signature', big);

    const fromStdin = await sandbox.runAsync(['sign', '--key', 's-hsm', '--input', '-'], {
      env,
      input: 'release 3.0.0\n',
    });
    expect(fromStdin.status).toBe(0);
    const signature = fromStdin.stdout.trim();
    writeFileSync(sandbox.path('stdin.sig'), Buffer.from(signature.split(':')[2] ?? '', 'base64'));
    expect(
      openssl(
        'dgst',
        '-sha256',
        '-verify',
        'v1.pem',
        '-signature',
        'stdin.sig',
        'data.txt',
      ).toString(),
    ).toBe('Verified OK\n');
    const verified = await sandbox.runAsync(
      ['verify', '--key', 's-hsm', '--input', '-', '--signature', signature],
      { env, input: 'release 3.0.0\n' },
    );
    expect(verified).toMatchObject({ status: 0, stdout: 'valid: true\n' });
    const tampered = await sandbox.runAsync(
      ['verify', '--key', 's-hsm', '--input', '-', '--signature', signature],
      { env, input: 'release 3.0.1\n' },
    );
    expect(tampered.status).toBe(1);

    const missing = await sandbox.runAsync(['sign', '--key', 's-hsm', '--input', 'nope.bin'], {
      env,
    });
    expect(missing).toMatchObject({
      status: 1,
      stderr: expect.stringMatching(
        /^error: --input nope.bin: no such file or directory/,
      ) as unknown,
    });
  }, 180_000);
});
