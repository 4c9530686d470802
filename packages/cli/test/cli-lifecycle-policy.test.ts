/**
 * The lifecycle commands (`key …`, `kms …`) enforce the org key policy named by `--policy` or
 * $KEYPLANE_POLICY — a JSON file or an inline document, the forms the provider takes — through
 * the real executable on a fresh SQLite store: a violation exits 1 naming the rule and creates
 * nothing; a broken policy document exits 2 before the store is touched; without a policy the
 * same commands succeed.
 */
import { writeFileSync } from 'node:fs';
import { cliSandbox, type CliSandbox, type Run } from './support/cli';

let sandbox: CliSandbox;
const env = { KEYPLANE_SEAL_PASSPHRASE: 'lifecycle policy passphrase' };
const keyplane = (args: string, extra: Record<string, string> = {}): Promise<Run> =>
  sandbox.runAsync(args.split(' '), { env: { ...env, ...extra } });

const rules = {
  min_rsa_bits: 3072,
  max_rotation_period: '720h',
  allowed_key_collections: { awskms: ['eu-*'] },
  allowed_purposes: { awskms: ['encrypt', 'decrypt'] },
};

beforeAll(() => {
  sandbox = cliSandbox();
  writeFileSync(sandbox.path('policy.json'), JSON.stringify({ version: 1, rules }));
  writeFileSync(sandbox.path('broken.json'), '{"version":1,"rules":{"min_rsa_bits":"many"}}');
});
afterAll(() => {
  sandbox.dispose();
});

/** Exit 1, one `error:` line naming the rule and ERR_POLICY_VIOLATION. */
/** A policy document the CLI cannot use: exit 2 (usage) with `message` on stderr. */
function expectBadDocument(run: Run, message: string): void {
  expect(run.status).toBe(2);
  expect(run.stderr).toContain(message);
}

function expectRefused(run: Run, rule: string): void {
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(new RegExp(`error: policy refuses .*\\(policy rule ${rule}\\)`));
  expect(run.stderr).toContain('[ERR_POLICY_VIOLATION]');
}

it('refuses key create / update, kms create and distribute that break the policy, exit 1 naming the rule', async () => {
  expectRefused(
    await keyplane('key create weak type=rsa-2048 --policy policy.json'),
    'rules.min_rsa_bits',
  );
  expectRefused(
    await keyplane('key create weak type=rsa-2048', { KEYPLANE_POLICY: 'policy.json' }),
    'rules.min_rsa_bits',
  );
  const json = await keyplane('key create weak type=rsa-2048 --policy policy.json --json');
  expect(json.status).toBe(1);
  expect(JSON.parse(json.stderr)).toMatchObject({
    error: { code: 'ERR_POLICY_VIOLATION', field: 'type', allowed: ['rsa-3072', 'rsa-4096'] },
  });
  expect((await keyplane('key list --json')).stdout).not.toContain('weak');

  expect((await keyplane('key create strong type=rsa-3072 --policy policy.json')).status).toBe(0);
  expectRefused(
    await keyplane('key update strong rotation_period=2160h --policy policy.json'),
    'rules.max_rotation_period',
  );
  expectRefused(
    await keyplane(
      'kms create aws-us provider=awskms key_collection=us-east-1 --policy policy.json',
    ),
    'rules.allowed_key_collections',
  );
  // The connection points nowhere: the refusal comes before any cloud call.
  const eu =
    'kms create aws-eu provider=awskms key_collection=eu-west-1 endpoint=http://127.0.0.1:9';
  expect((await keyplane(`${eu} --policy policy.json`)).status).toBe(0);
  expectRefused(
    await keyplane('kms distribute aws-eu strong purpose=sign,verify --policy policy.json'),
    'rules.allowed_purposes',
  );
  expect((await keyplane('kms distributions aws-eu')).stdout).not.toContain('strong');
  expect((await keyplane('kms list')).stdout).not.toContain('aws-us');

  // Without a policy, the tables alone decide.
  expect((await keyplane('key update strong rotation_period=2160h')).status).toBe(0);
  expect((await keyplane('key create weak type=rsa-2048')).status).toBe(0);
});

it('refuses a broken policy document with exit 2 before the store is touched', async () => {
  expectBadDocument(
    await keyplane('key create other type=rsa-4096 --policy broken.json'),
    'error: --policy broken.json: invalid policy document: rules.min_rsa_bits',
  );
  expectBadDocument(
    await keyplane('key create other type=rsa-4096', { KEYPLANE_POLICY: 'broken.json' }),
    'error: $KEYPLANE_POLICY broken.json: invalid policy document',
  );
  expect((await keyplane('key list')).stdout).not.toContain('other');
});

it('takes an inline JSON document from $KEYPLANE_POLICY and --policy, as the provider does', async () => {
  // Pretty-printed with a leading newline: how a CI variable holding the document often looks.
  const inline = `\n${JSON.stringify({ version: 1, rules }, null, 2)}`;
  expectRefused(
    await keyplane('key create inline-weak type=rsa-2048', { KEYPLANE_POLICY: inline }),
    'rules.min_rsa_bits',
  );
  const run = await sandbox.runAsync(
    [
      'key',
      'create',
      'inline-weak',
      'type=rsa-2048',
      '--policy',
      JSON.stringify({ version: 1, rules }),
    ],
    { env },
  );
  expectRefused(run, 'rules.min_rsa_bits');
  expect((await keyplane('key list')).stdout).not.toContain('inline-weak');

  expectBadDocument(
    await keyplane('key create inline-weak type=rsa-4096', {
      KEYPLANE_POLICY: '{"version":1,"rules":{"min_rsa_bits":"many"}}',
    }),
    'error: $KEYPLANE_POLICY (inline JSON): invalid policy document: rules.min_rsa_bits',
  );
  expectBadDocument(
    await keyplane('key create inline-weak type=rsa-4096', { KEYPLANE_POLICY: '{not json' }),
    'error: $KEYPLANE_POLICY (inline JSON): ',
  );
  expect((await keyplane('key list')).stdout).not.toContain('inline-weak');
});
