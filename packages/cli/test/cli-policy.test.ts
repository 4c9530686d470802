/**
 * `keyplane policy check` through the real executable: the README's example policy, the rules
 * in force for a namespace, intents allowed and refused (human and --json), invalid documents,
 * and the exit-code rule — 0 valid and allowed, 1 invalid or refused (report on stdout, nothing
 * on stderr), 2 a wrong command line or an --intent file the engine cannot read. The command
 * loads the pure policy modules only: no cloud SDK, no store, no managed-key registry.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { cliSandbox, type CliSandbox } from './support/cli';

const ROOT = resolve(__dirname, '../../..');
let sandbox: CliSandbox;
const keyplane = (...args: string[]) => sandbox.run('policy', 'check', ...args);
const write = (name: string, value: unknown) => {
  writeFileSync(sandbox.path(name), typeof value === 'string' ? value : JSON.stringify(value));
  return sandbox.path(name);
};

let policy: string;
beforeAll(() => {
  sandbox = cliSandbox();
  const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Key policy'));
  policy = write('policy.json', /```json\n([\s\S]*?)```/.exec(section)?.[1] ?? '');
});
afterAll(() => {
  sandbox.dispose();
});

const refusedKey = { kind: 'key', namespace: 'prod/payments', name: 'pay', type: 'rsa-2048' };
const allowedKms = { kind: 'kms', name: 'aws-eu', provider: 'awskms', key_collection: 'eu-west-1' };
const allowedKey = {
  kind: 'key',
  namespace: 'prod/payments',
  name: 'pay',
  type: 'rsa-4096',
  origin: 'hsm:prod-hsm',
  rotation_period: '720h',
};

describe('valid policy', () => {
  test("the README's example", () => {
    expect(keyplane(policy)).toEqual({
      status: 0,
      stdout: `${policy}: valid policy (version 1; 10 base rules; 3 namespace overrides)\n`,
      stderr: '',
    });
  });

  test('--namespace shows each rule in force and where it was set', () => {
    const r = keyplane(policy, '--namespace', 'prod/payments');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      "rules in force in namespace 'prod/payments' (overrides: namespaces[0], namespaces[1]):",
    );
    expect(r.stdout).toMatch(
      / {2}max_rotation_period +"720h" {2}\(namespaces\[0\]\.rules\.max_rotation_period\)\n/,
    );
    expect(r.stdout).toMatch(/ {2}min_rsa_bits +3072 {2}\(rules\.min_rsa_bits\)\n/);
    const sandboxRules = keyplane(policy, '--namespace', 'sandbox/me', '--json');
    const report = JSON.parse(sandboxRules.stdout) as {
      namespace: { overrides: string[]; rules: { rule: string }[] };
    };
    expect(report.namespace.overrides).toEqual(['namespaces[2]']);
    expect(report.namespace.rules.map((x) => x.rule)).not.toContain('min_rsa_bits');
  });
});

describe('--intent', () => {
  test('refused intents: exit 1, every violation on stdout, nothing on stderr', () => {
    const r = keyplane(policy, '--intent', write('intents.json', [refusedKey, allowedKms]));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n').slice(1)).toEqual([
      "intent[0] key 'pay' in namespace 'prod/payments': refused (4 violations)",
      "  POLICY_KEY_TYPE_NOT_ALLOWED: type 'rsa-2048' is not an allowed key type in namespace 'prod/payments' (policy rule rules.allowed_key_types); allowed: aes256-gcm96, rsa-3072, rsa-4096, ecdsa-p256, ecdsa-p384",
      "  POLICY_RSA_KEY_TOO_SMALL: type 'rsa-2048' is a 2048-bit RSA key; the minimum is 3072 bits in namespace 'prod/payments' (policy rule rules.min_rsa_bits); allowed: rsa-3072, rsa-4096",
      "  POLICY_ORIGIN_NOT_ALLOWED: origin 'software' is not an allowed key origin in namespace 'prod/payments' (policy rule namespaces[0].rules.allowed_origins); allowed: hsm",
      "  POLICY_ROTATION_PERIOD_REQUIRED: rotation_period is not set; a rotation period is required in namespace 'prod/payments' (policy rule rules.require_rotation_period)",
      "intent[1] KMS connection 'aws-eu' in namespace 'root': allowed",
      '2 intents: 1 allowed, 1 refused',
      '',
    ]);
  });

  test('--json report', () => {
    const r = keyplane(
      policy,
      '--intent',
      write('intents.json', [refusedKey, allowedKms]),
      '--json',
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as {
      valid: boolean;
      intents: {
        index: number;
        allowed: boolean;
        violations: { code: string; field: string; rule: string }[];
      }[];
    };
    expect(report.valid).toBe(true);
    expect(report.intents.map((i) => [i.index, i.allowed])).toEqual([
      [0, false],
      [1, true],
    ]);
    expect(report.intents[0]?.violations[2]).toMatchObject({
      code: 'POLICY_ORIGIN_NOT_ALLOWED',
      field: 'origin',
      rule: 'namespaces[0].rules.allowed_origins',
    });
  });

  test('allowed intents (one object or an array): exit 0', () => {
    const one = keyplane(policy, '--intent', write('one.json', allowedKey));
    expect(one).toMatchObject({ status: 0, stderr: '' });
    expect(one.stdout).toContain(
      "intent[0] key 'pay' in namespace 'prod/payments': allowed\n1 intent: 1 allowed, 0 refused",
    );
    expect(keyplane(policy, '--intent', write('two.json', [allowedKey, allowedKms])).status).toBe(
      0,
    );
  });

  test.each([
    ['not JSON', '[{', /^error: --intent .*bad\.json is not valid JSON: /],
    [
      'not an intent',
      [{ kind: 'secret' }],
      /intent\[0\]\.kind 'secret' is not supported; allowed: key, distribution, kms, managed_key/,
    ],
    [
      'a misspelt field',
      [{ ...allowedKey, rotation_perod: '1h' }],
      /intent\[0\] field 'rotation_perod' is not supported in a key intent/,
    ],
    [
      'an unknown key type',
      [allowedKms, { ...allowedKey, type: 'rsa-1024' }],
      /intent\[1\] \(key 'pay'\): type 'rsa-1024' is not supported; allowed: /,
    ],
    [
      'a malformed duration',
      [{ ...allowedKey, rotation_period: '30' }],
      /rotation_period '30' is not a duration/,
    ],
  ])('an --intent file with %s is a usage error (exit 2)', (_what, content, message) => {
    const r = keyplane(policy, '--intent', write('bad.json', content));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });
});

describe('invalid policy', () => {
  test('every problem on stdout, exit 1', () => {
    const bad = write('bad-policy.json', {
      version: 1,
      rules: { min_rsa_bits: '3072', allowed_curves: ['P256'] },
      namespaces: [{ match: 'prod/', rules: {} }],
    });
    expect(keyplane(bad)).toEqual({
      status: 1,
      stdout: [
        `${bad}: invalid policy (3 problems)`,
        '  rules.min_rsa_bits must be a whole number, got string',
        "  rules.allowed_curves[0] 'P256' is not supported; allowed: P-256, P-384, P-521, Ed25519",
        "  namespaces[0].match 'prod/' is not a name pattern: '/'-separated non-empty segments, '*' inside a segment, '**' only as a whole segment",
        '',
      ].join('\n'),
      stderr: '',
    });
    const json = keyplane(bad, '--json');
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as { valid: boolean; problems: { path: string }[] };
    expect(report.valid).toBe(false);
    expect(report.problems.map((p) => p.path)).toEqual([
      'rules.min_rsa_bits',
      'rules.allowed_curves[0]',
      'namespaces[0].match',
    ]);
  });

  test('not JSON, or an unsupported version', () => {
    const r = keyplane(write('junk.json', 'version: 1'));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /junk\.json: invalid policy \(1 problem\)\n {2}.*policy is not valid JSON: /,
    );
    expect(keyplane(write('v2.json', { version: 2 })).stdout).toContain(
      "version '2' is not supported; allowed: 1",
    );
  });

  test('the intents are not evaluated against an invalid policy', () => {
    const r = keyplane(write('v2.json', { version: 2 }), '--intent', write('ok.json', allowedKms));
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain('intent[0]');
  });
});

describe('command line', () => {
  test('a missing file is a failure (exit 1) naming it', () => {
    expect(keyplane(sandbox.path('missing.json'))).toEqual({
      status: 1,
      stdout: '',
      stderr: `error: ${sandbox.path('missing.json')}: no such file or directory\n`,
    });
  });

  test.each([[[]], [['--frobnicate']], [['a.json', 'b.json']], [['--intent']]])(
    '%j is a usage error (exit 2)',
    (args) => {
      const r = keyplane(...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^error: .*\nRun 'keyplane policy check --help' for usage\.\n$/);
    },
  );

  test('listed in the top-level help; its own help documents the intents file', () => {
    expect(sandbox.run('--help').stdout).toMatch(
      /\n {2}policy check +Validate a key policy document/,
    );
    const help = keyplane('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: keyplane policy check <file> [options]');
    expect(help.stdout).toContain('kinds: key, distribution, kms, managed_key');
  });

  test('loads the pure policy modules only: no cloud SDK, store or registry', () => {
    const out = sandbox.path('modules.json');
    const r = spawnSync(
      process.execPath,
      [
        '--require',
        resolve(__dirname, 'support/record-modules.cjs'),
        resolve(__dirname, '../bin/keyplane.js'),
        'policy',
        'check',
        policy,
      ],
      { encoding: 'utf8', env: { ...process.env, KEYPLANE_TEST_MODULES_OUT: out } },
    );
    expect(r.status).toBe(0);
    const modules = (JSON.parse(readFileSync(out, 'utf8')) as string[]).map((m) =>
      m
        .slice(ROOT.length + 1)
        .split(sep)
        .join('/'),
    );
    expect(modules.filter((m) => m.includes('node_modules/'))).toEqual([]);
    expect(modules).toContain('packages/engine/dist/policy/index.js');
    expect(modules).not.toContain('packages/engine/dist/index.js');
    expect(
      modules.filter((m) =>
        /engine\/dist\/(backends\/(aws|azure|pkcs11)|seal|byok|managed\/(managed|registry))/.test(
          m,
        ),
      ),
    ).toEqual([]);
  });
});
