/**
 * The provider block: validated with attribute paths (at validate for what needs no
 * environment, at configure for defaults, files and the seal), and turned into the
 * ProviderContext the resources will receive.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_STORE_PATH, ENV_VARIABLES, NAMESPACE_RULE } from '@keyplane/engine/env';
import { POLICY_ENV } from '@keyplane/engine/policy';
import {
  keyplaneProvider,
  objectValue,
  type CtyValue,
  type ProviderContext,
} from 'terraform-provider-keyplane';
import { providerSchema } from '../../src/provider/schema';
import { diagText, direct, dv } from '../support/direct';

const cwd = mkdtempSync(join(tmpdir(), 'kp-cfg-'));
afterAll(() => {
  rmSync(cwd, { recursive: true, force: true });
});

function block(o: Record<string, CtyValue>) {
  return objectValue(
    Object.entries({
      store: null,
      namespace: null,
      actor: null,
      policy: null,
      seal: null,
      endpoint: null,
      ...o,
    }),
  );
}
const seal = (o: Record<string, CtyValue>) =>
  objectValue(Object.entries({ type: 'passphrase', passphrase: null, parameters: null, ...o }));

async function configure(config: ReturnType<typeof block>, env: NodeJS.ProcessEnv = {}) {
  let ctx: ProviderContext | undefined;
  const { server } = direct(
    keyplaneProvider({
      env,
      cwd,
      contextFactory: (input) => Promise.resolve((ctx = input as ProviderContext)),
    }),
  );
  const validate = await server.ValidateProviderConfig({ config: dv(providerSchema, config) });
  const r = await server.ConfigureProvider({
    terraformVersion: '1.11.4',
    config: dv(providerSchema, config),
    clientCapabilities: { writeOnlyAttributesAllowed: true },
  });
  return { validate: diagText(validate.diagnostics), configure: diagText(r.diagnostics), ctx };
}

it('defaults: store ./.keyplane/keyplane.db in the working directory, namespace root, passphrase seal from the environment', async () => {
  const { configure: diags, ctx } = await configure(block({}), { KEYPLANE_SEAL_PASSPHRASE: 'pw' });
  expect(diags).toEqual([]);
  expect(ctx?.config).toEqual({
    store: { kind: 'sqlite', path: join(cwd, '.keyplane', 'keyplane.db') },
    namespace: 'root',
    seal: { type: 'passphrase', passphrase: 'pw' },
    endpoints: {},
    actor: `terraform:${userInfo().username}@${hostname()}`,
  });
  expect(ctx).toMatchObject({ terraformVersion: '1.11.4', writeOnlyAllowed: true });
});

it('takes the audit actor from the block, else KEYPLANE_ACTOR', async () => {
  const env = { KEYPLANE_SEAL_PASSPHRASE: 'pw', KEYPLANE_ACTOR: 'ci:release-42' };
  expect((await configure(block({}), env)).ctx?.config.actor).toBe('ci:release-42');
  expect((await configure(block({ actor: 'alice' }), env)).ctx?.config.actor).toBe('alice');
});

it('takes the namespace from the block, else KEYPLANE_NAMESPACE, and checks the variable too', async () => {
  const env = { KEYPLANE_SEAL_PASSPHRASE: 'pw', KEYPLANE_NAMESPACE: 'team-a/payments' };
  expect((await configure(block({}), env)).ctx?.config.namespace).toBe('team-a/payments');
  expect((await configure(block({ namespace: 'team-b' }), env)).ctx?.config.namespace).toBe(
    'team-b',
  );
  // A block namespace wins, so a bad variable beside it is not in the way.
  const bad = { ...env, KEYPLANE_NAMESPACE: 'root/Team A' };
  expect((await configure(block({ namespace: 'team-b' }), bad)).configure).toEqual([]);
  const r = await configure(block({}), bad);
  expect(r.configure).toEqual([
    `namespace: Invalid namespace: KEYPLANE_NAMESPACE must be ${NAMESPACE_RULE}; got "root/Team A"`,
  ]);
  expect(r.ctx).toBeUndefined();
});

it('takes KEYPLANE_STORE, sqlite:/// and postgres:// URLs', async () => {
  expect(
    (await configure(block({}), { KEYPLANE_SEAL_PASSPHRASE: 'pw', KEYPLANE_STORE: 'state/k.db' }))
      .ctx?.config.store,
  ).toEqual({ kind: 'sqlite', path: join(cwd, 'state', 'k.db') });
  expect(
    (
      await configure(block({ store: 'sqlite:///var/lib/k.db' }), {
        KEYPLANE_SEAL_PASSPHRASE: 'pw',
      })
    ).ctx?.config.store,
  ).toEqual({ kind: 'sqlite', path: '/var/lib/k.db' });
  expect(
    (await configure(block({ store: 'postgres://kp@db/keys' }), { KEYPLANE_SEAL_PASSPHRASE: 'pw' }))
      .ctx?.config.store,
  ).toEqual({ kind: 'postgres', url: 'postgres://kp@db/keys' });
});

it('reads the variables through the engine table: an empty one is unset, as in the CLI', async () => {
  const env = {
    [ENV_VARIABLES.sealPassphrase.name]: 'pw',
    [ENV_VARIABLES.store.name]: '',
    [ENV_VARIABLES.actor.name]: '',
  };
  const config = (await configure(block({}), env)).ctx?.config;
  expect(config?.store).toEqual({ kind: 'sqlite', path: resolve(cwd, DEFAULT_STORE_PATH) });
  expect(config?.actor).toBe(`terraform:${userInfo().username}@${hostname()}`);
  const empty = await configure(block({}), { [ENV_VARIABLES.sealPassphrase.name]: '' });
  expect(empty.configure).toEqual([
    expect.stringContaining(`set ${ENV_VARIABLES.sealPassphrase.name} (or seal.passphrase)`),
  ]);
  // The schema's documentation quotes the same names and default.
  expect(providerSchema.attributes.store?.description).toContain(
    `\`${ENV_VARIABLES.store.name}\`, else \`${DEFAULT_STORE_PATH}\``,
  );
});

it('refuses bad values at validate, each on its attribute', async () => {
  const r = await configure(
    block({
      namespace: 'Bad Name',
      store: 'mysql://x',
      seal: seal({ type: 'vault' }),
      policy: '{not json',
    }),
    { KEYPLANE_SEAL_PASSPHRASE: 'pw' },
  );
  expect(r.validate).toEqual([
    `namespace: Invalid attribute value: namespace must be ${NAMESPACE_RULE}; got "Bad Name"`,
    'seal.type: Invalid attribute value: seal.type must be one of: passphrase, pkcs11, awskms, azurekeyvault, gcpckms; got "vault"',
    expect.stringMatching(/^policy: Invalid policy: policy is not a JSON policy document: /),
    'store: Invalid store: store must be sqlite:///absolute/path.db, postgres://… or a file path; got a "mysql:" URL',
  ]);
  expect(r.ctx).toBeUndefined();
});

it('refuses to start without a usable seal, rather than invent one', async () => {
  const none = await configure(block({}));
  expect(none.configure).toEqual([
    expect.stringMatching(
      /^No usable seal: The passphrase seal needs a passphrase: set KEYPLANE_SEAL_PASSPHRASE/,
    ),
  ]);
  expect(none.ctx).toBeUndefined();
  const kms = await configure(block({ seal: seal({ type: 'awskms' }) }));
  expect(kms.configure).toEqual([
    'seal.parameters: No usable seal: The awskms seal needs its parameters.',
  ]);
});

it('reads a policy file relative to the working directory, validated by the engine', async () => {
  const document = { version: 1, rules: { allowed_key_types: ['ecdsa-p256'] } };
  writeFileSync(join(cwd, 'policy.json'), JSON.stringify(document));
  const ok = await configure(block({ policy: 'policy.json' }), { KEYPLANE_SEAL_PASSPHRASE: 'pw' });
  expect(ok.ctx?.config.policy).toMatchObject({ source: 'file', document });
  expect(ok.ctx?.config.policy?.parsed.rulesFor('root').rules).toHaveLength(1);
  writeFileSync(join(cwd, 'old.json'), '{"rules":[]}');
  const invalid = await configure(block({ policy: 'old.json' }), {
    KEYPLANE_SEAL_PASSPHRASE: 'pw',
  });
  expect(invalid.configure).toEqual([
    `policy: Invalid policy: policy file ${join(cwd, 'old.json')}: invalid policy document (2 problems): version is required; supported: 1; rules must be an object of rules, got array [ERR_INVALID_ARGUMENT]`,
  ]);
  const missing = await configure(block({ policy: 'nope.json' }), {
    KEYPLANE_SEAL_PASSPHRASE: 'pw',
  });
  expect(missing.configure).toEqual([
    `policy: Invalid policy: cannot read policy file ${join(cwd, 'nope.json')}: ENOENT`,
  ]);
});

it('takes the policy from $KEYPLANE_POLICY when `policy` is unset, like the CLI; the attribute wins', async () => {
  const envDoc = { version: 1, rules: { allowed_key_types: ['ecdsa-p256'] } };
  const attrDoc = { version: 1, rules: { require_rotation_period: true } };
  writeFileSync(join(cwd, 'env-policy.json'), JSON.stringify(envDoc));
  const fromFile = await configure(block({}), {
    KEYPLANE_SEAL_PASSPHRASE: 'pw',
    [POLICY_ENV]: 'env-policy.json',
  });
  expect(fromFile.configure).toEqual([]);
  expect(fromFile.ctx?.config.policy).toMatchObject({ source: 'file', document: envDoc });
  const fromInline = await configure(block({}), {
    KEYPLANE_SEAL_PASSPHRASE: 'pw',
    [POLICY_ENV]: JSON.stringify(envDoc),
  });
  expect(fromInline.ctx?.config.policy).toMatchObject({ source: 'inline', document: envDoc });
  const attributeWins = await configure(block({ policy: JSON.stringify(attrDoc) }), {
    KEYPLANE_SEAL_PASSPHRASE: 'pw',
    [POLICY_ENV]: 'env-policy.json',
  });
  expect(attributeWins.ctx?.config.policy).toMatchObject({ source: 'inline', document: attrDoc });
  const empty = await configure(block({}), { KEYPLANE_SEAL_PASSPHRASE: 'pw', [POLICY_ENV]: '' });
  expect(empty.configure).toEqual([]);
  expect(empty.ctx?.config.policy).toBeUndefined();
  expect(providerSchema.attributes.policy?.description).toContain(`\`${POLICY_ENV}\``);
});

it('refuses a broken $KEYPLANE_POLICY document naming the variable and the file, on no attribute', async () => {
  writeFileSync(join(cwd, 'broken.json'), '{"rules":[]}');
  const broken = await configure(block({}), {
    KEYPLANE_SEAL_PASSPHRASE: 'pw',
    [POLICY_ENV]: 'broken.json',
  });
  // diagText prefixes a diagnostic's attribute path ("policy: "); none here.
  expect(broken.configure).toEqual([
    `Invalid policy: $KEYPLANE_POLICY ${join(cwd, 'broken.json')}: invalid policy document (2 problems): version is required; supported: 1; rules must be an object of rules, got array [ERR_INVALID_ARGUMENT]`,
  ]);
  expect(broken.ctx).toBeUndefined();
  const inline = await configure(block({}), {
    KEYPLANE_SEAL_PASSPHRASE: 'pw',
    [POLICY_ENV]: '{not json',
  });
  expect(inline.configure).toEqual([
    expect.stringMatching(/^Invalid policy: \$KEYPLANE_POLICY is not a JSON policy document: /),
  ]);
  const missing = await configure(block({}), {
    KEYPLANE_SEAL_PASSPHRASE: 'pw',
    [POLICY_ENV]: 'nope.json',
  });
  expect(missing.configure).toEqual([
    `Invalid policy: cannot read $KEYPLANE_POLICY file ${join(cwd, 'nope.json')}: ENOENT`,
  ]);
});

it('keeps the seal passphrase out of every diagnostic and log line', async () => {
  const { server, logs } = direct(keyplaneProvider({ env: {}, cwd }));
  const config = block({ seal: seal({ passphrase: 'correct horse' }), store: 'ftp://x' });
  const r = await server.ConfigureProvider({
    terraformVersion: '1.11.4',
    config: dv(providerSchema, config),
    clientCapabilities: null,
  });
  expect(JSON.stringify(r) + logs.join('')).not.toContain('correct horse');
});
