/**
 * The one exit-code rule, through the real executable, for every command: 2 when the command
 * line is wrong — including a `--flag`, `<argument>` or `name=value` the engine refuses — and 1
 * when a well-formed command failed. Plus what usage errors must never do (echo a value that
 * may be a secret) and `--json` error objects. The managed key lives on a private SoftHSM2
 * token, so engine refusals that need a real key (PSS on ECDSA) come from the real backend.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { createSoftHsmToken, type SoftHsmToken } from '@keyplane/emulators';
import { COMMANDS } from '../src/registry';
import { cliSandbox, type CliSandbox, type Run } from './support/cli';

let sandbox: CliSandbox;
let token: SoftHsmToken;
let env: Record<string, string>;
const run = (args: readonly string[], input?: string): Promise<Run> =>
  sandbox.runAsync(args, { env, ...(input === undefined ? {} : { input }) });

const hsmParams = (label: string): string[] => [
  `library=${token.module}`,
  `token_label=${token.label}`,
  'pin=-',
  `key_label=${label}`,
];

beforeAll(async () => {
  sandbox = cliSandbox();
  token = await createSoftHsmToken({ label: 'kp-exit-codes', pin: '1234' });
  env = {
    ...token.env,
    KEYPLANE_STORE: sandbox.path('keyplane.db'),
    KEYPLANE_SEAL_PASSPHRASE: 'exit code test passphrase',
  };
  writeFileSync(sandbox.path('data.txt'), 'release 1.0\n');
  const init = await run(['store', 'init']);
  expect(init).toMatchObject({
    status: 0,
    stderr: expect.stringContaining('passphrase seal is for development only') as string,
  });
  const key = await run(['key', 'generate', '--type', 'ecdsa-p256', '--out', 'ec.pem']);
  expect(key).toMatchObject({ status: 0, stderr: '' });
  const create = await run(
    [
      'managed-key',
      'create',
      'pkcs11',
      'hsm1',
      ...hsmParams('hsm1'),
      'mechanism=0x1041',
      'curve=P256',
      'allow_generate_key=true',
      'any_mount=true',
    ],
    `${token.pin}\n`,
  );
  expect(create).toMatchObject({ status: 0, stderr: '' });
  expect(await run(['signing-key', 'create', 's1', '--managed-key', 'hsm1'])).toMatchObject({
    status: 0,
    stderr: '',
  });
});
afterAll(async () => {
  sandbox.dispose();
  await token.dispose();
});

/** [command words, the rest of the command line, stderr must contain]. */
// prettier-ignore
const USAGE_ERRORS: readonly (readonly [string, readonly string[], string])[] = [
  ['key generate', ['--type', 'rsa-1024', '--out', 'x.pem'], "--type 'rsa-1024' is not valid"],
  ['kms create', ['k1', 'provider=oracle', 'key_collection=x'], "provider 'oracle' is not supported; allowed: pkcs11, awskms"],
  ['kms read', ['a', 'extra'], 'unexpected argument at position 2'],
  ['kms list', ['--json', '--json'], '--json given more than once'],
  ['kms update', ['k1', 'bogus=1'], 'unknown parameter bogus; allowed: provider, key_collection, credentials'],
  ['kms delete', [], 'missing required argument <name>'],
  ['kms distribute', ['a'], 'missing required argument <key>'],
  ['kms distributions', ['--bogus'], "Unknown option '--bogus'"],
  ['kms read-key', ['a'], 'missing required argument <key>'],
  ['kms undistribute', ['a', 'b', 'c'], 'unexpected argument at position 3'],
  ['key create', ['k1', 'type=rsa-1024'], "type 'rsa-1024' is not supported"],
  ['key read', [], 'missing required argument <name>'],
  ['key list', ['x'], 'unexpected argument at position 1'],
  ['key rotate', [], 'missing required argument <name> (or --due)'],
  ['key update', ['k1', 'deletion_allowed=yes'], 'deletion_allowed must be true or false'],
  ['key delete', ['--bogus'], "Unknown option '--bogus'"],
  ['key reconcile', ['--repair', '--repair', 'k'], '--repair given more than once'],
  ['byok wrap', ['--target', 'aws', '--kid', 'https://v.vault.azure.net/keys/k/1', '--wrapping-key', 'data.txt', '--key', 'ec.pem', '--out', 'o.bin'], 'error: --kid: kid is only used for target azure, not aws [ERR_INVALID_ARGUMENT]'],
  ['dev up', ['--aws-port', '99999'], "--aws-port '99999' is not a port"],
  ['dev status', ['--state-dir', 'a', '--state-dir', 'b'], '--state-dir given more than once'],
  ['dev env', ['--bogus'], "Unknown option '--bogus'"],
  ['dev down', ['extra'], 'unexpected argument at position 1'],
  ['managed-key create', ['awskms', 'k1', 'kms_key=alias/k1', 'key_type=RSA', 'bogus=1'], "parameter 'bogus' is not supported for awskms managed keys"],
  ['managed-key create', ['pkcs11', 'k2', 'library=/usr/lib/x.so', 'token_label=t', 'pin=1', 'key_label=k2', 'mechanism=0x9999'], "mechanism '0x9999' is not supported; allowed: 0x1041"],
  ['managed-key create', ['awskms', 'k3', 'kms_key=alias/k3', 'key_type=RSA', 'allow_generate_key=yes'], "allow_generate_key must be true or false, got 'yes'"],
  ['managed-key create', ['awskms', 'k4', 'key_type=RSA'], 'awskms managed keys need kms_key'],
  ['managed-key create', ['oracle', 'k5'], "type 'oracle' is not supported as a managed key type"],
  ['managed-key update', ['hsm1', 'curve=P999'], "curve 'P999' is not supported"],
  ['managed-key read', ['hsm1', '--type', 'oracle'], "--type 'oracle' is not valid"],
  ['managed-key list', ['--type', 'oracle'], "--type 'oracle' is not valid"],
  ['managed-key delete', ['hsm1', '--type', 'awskms', '--type', 'pkcs11'], '--type given more than once'],
  ['managed-key test-sign', ['hsm1', '--pss'], 'error: --pss: managed key \'hsm1\' is ecdsa-p256: use_pss=true is for RSA keys only'],
  ['signing-key create', ['Bad Name', '--managed-key', 'hsm1'], "name 'Bad Name' must be lowercase"],
  ['signing-key read', ['s1', 'extra'], 'unexpected argument at position 2'],
  ['signing-key list', ['--json', '--json'], '--json given more than once'],
  ['signing-key rotate', [], 'missing required argument <name>'],
  ['signing-key delete', ['--bogus'], "Unknown option '--bogus'"],
  ['policy check', ['data.txt', '--intent', 'data.txt'], 'error: --intent data.txt is not valid JSON: '],
  ['sign', ['--key', 's1', '--pss', '--input', 'data.txt'], 'error: --pss: managed key'],
  ['provider install', ['--dir', 'a', '--dir', 'b'], '--dir given more than once'],
  ['verify', ['--key', 's1', '--input', 'data.txt', '--signature', 'not-a-signature'], 'error: --signature: signature must look like keyplane:v<N>:<base64>'],
  ['store init', ['--seal', 'vault'], "--seal 'vault' is not valid"],
  ['store status', ['extra'], 'unexpected argument at position 1'],
  ['store rewrap', [], 'missing required option --seal'],
  ['store import-registry', [], 'missing required argument <file>'],
  ['audit verify', ['--bogus'], "Unknown option '--bogus'"],
  ['audit tail', ['--lines', 'x'], '--lines must be a non-negative integer'],
];

/** Managed key names in the store, through the CLI. */
async function managedKeyNames(): Promise<string[]> {
  const r = await run(['managed-key', 'list', '--json']);
  return (JSON.parse(r.stdout) as { keys: string[] }).keys;
}

describe('exit code 2: the command line is wrong', () => {
  it('has a case for every registered command', () => {
    const covered = new Set(USAGE_ERRORS.map(([words]) => words));
    expect(COMMANDS.map((c) => c.path.join(' ')).filter((p) => !covered.has(p))).toEqual([]);
  });

  it.each(USAGE_ERRORS)('keyplane %s %j', async (words, rest, message) => {
    const r = await run([...words.split(' '), ...rest]);
    expect(r.stderr).toContain(message);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('leaves nothing behind after a refused create', async () => {
    expect(await managedKeyNames()).toEqual(['hsm1']);
    expect(existsSync(sandbox.path('x.pem'))).toBe(false);
  });
});

describe('exit code 1: a well-formed command failed', () => {
  it.each([
    [['managed-key', 'read', 'nope'], "managed key 'nope' does not exist [ERR_NOT_FOUND]"],
    [['sign', '--key', 'nope', '--input', 'data.txt'], "signing key 'nope' does not exist"],
    [['managed-key', 'delete', 'hsm1'], '[ERR_IN_USE]'],
  ])('keyplane %j', async (args, message) => {
    const r = await run(args);
    expect(r.stderr).toContain(message);
    expect(r.status).toBe(1);
  });

  it('an invalid signature exits 1 with only the verdict', async () => {
    const signed = await run(['sign', '--key', 's1', '--input', 'data.txt']);
    expect(signed.status).toBe(0);
    writeFileSync(sandbox.path('other.txt'), 'release 1.1\n');
    const r = await run([
      'verify',
      '--key',
      's1',
      '--input',
      'other.txt',
      '--signature',
      signed.stdout.trim(),
    ]);
    expect(r).toMatchObject({ status: 1, stdout: 'valid: false\n', stderr: '' });
  });
});

describe('name=value arguments', () => {
  it('never echoes an argument without "=" (it may be a secret)', async () => {
    const r = await run(['managed-key', 'create', 'pkcs11', 'k6', 'pin 9876', 'key_label=k6']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("expected name=value, got argument 3 without '='");
    expect(r.stderr).not.toContain('9876');
  });

  it('refuses a second parameter read from stdin instead of storing an empty one', async () => {
    const r = await run(
      [
        'managed-key',
        'create',
        'awskms',
        'k7',
        'kms_key=alias/k7',
        'key_type=RSA',
        'access_key=-',
        'secret_key=-',
      ],
      'AKIAEXAMPLE\n',
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      "only one parameter can be read from stdin ('-'), got access_key, secret_key",
    );
    expect(await managedKeyNames()).not.toContain('k7');
  });
});

describe('--json errors', () => {
  it('prints an engine refusal as one JSON object naming the parameter', async () => {
    const r = await run([
      'managed-key',
      'create',
      'pkcs11',
      'k8',
      ...hsmParams('k8').filter((p) => p !== 'pin=-'),
      'pin=1234',
      'mechanism=0x9999',
      '--json',
    ]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr)).toEqual({
      error: {
        code: 'ERR_INVALID_ARGUMENT',
        field: 'mechanism',
        message: "mechanism '0x9999' is not supported; allowed: 0x1041, 0x000D, 0x0009, 0x0001",
        allowed: ['0x1041', '0x000D', '0x0009', '0x0001'],
      },
    });
  });

  it('prints usage errors and failures as JSON too, naming the flag', async () => {
    const usage = await run(['managed-key', 'list', '--json', '--type', 'oracle']);
    expect(usage.status).toBe(2);
    expect(JSON.parse(usage.stderr)).toEqual({
      error: {
        code: 'ERR_USAGE',
        field: '--type',
        message: "--type 'oracle' is not valid; allowed: pkcs11, awskms, azurekeyvault, gcpckms",
      },
    });
    const missing = await run(['managed-key', 'read', 'nope', '--json']);
    expect(missing.status).toBe(1);
    expect(JSON.parse(missing.stderr)).toMatchObject({
      error: { code: 'ERR_NOT_FOUND', field: 'name' },
    });
  });
});
