/**
 * The environment-variable table (`@keyplane/engine/env`): each row, set, is the value its reader
 * uses; unset or empty, the row's default. The readers are the real engine functions the CLI and
 * the provider call (store location, namespace, seal, policy source, timeouts, actor). The
 * module itself must load nothing, so start-up paths (provider, CLI help) can use it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import {
  DEFAULT_STORE_PATH,
  ENV_VARIABLES,
  NAMESPACE_PATTERN,
  NAMESPACE_RULE,
  ROOT_NAMESPACE,
  envName,
  envOrDefault,
  envVariablesUsedBy,
  formatEnvHelp,
  readEnv,
  type EnvConcept,
  type EnvVariable,
} from '@keyplane/engine/env';
import {
  checkNamespacePath,
  policySourceFromEnv,
  resolveNamespace,
  sealConfigFromEnv,
  storeUrlFromEnv,
} from '@keyplane/engine';
import { resolveTimeouts } from '../src/backends/common/timeouts';
import { defaultActor } from '../src/store/sql-open';

interface ReaderCase {
  readonly concept: EnvConcept;
  /** The family member, for `<PART>` rows. */
  readonly part?: string;
  /** Other variables the reader needs to reach this one (a seal type before its PIN). */
  readonly base?: NodeJS.ProcessEnv;
  readonly value: string;
  readonly read: (env: NodeJS.ProcessEnv) => unknown;
  readonly used: unknown;
  readonly unset: unknown;
}

/** Readers that only look at process.env: run with exactly `env` there. */
function withProcessEnv<T>(env: NodeJS.ProcessEnv, fn: () => T): T {
  const saved = process.env;
  process.env = { ...env };
  try {
    return fn();
  } finally {
    process.env = saved;
  }
}

const READERS: readonly ReaderCase[] = [
  {
    concept: 'store',
    value: 'postgres://kp@db/keys',
    read: (env) => storeUrlFromEnv(undefined, env),
    used: 'postgres://kp@db/keys',
    unset: DEFAULT_STORE_PATH,
  },
  {
    concept: 'namespace',
    value: 'team-a/payments',
    read: (env) => resolveNamespace(undefined, env),
    used: 'team-a/payments',
    unset: ROOT_NAMESPACE,
  },
  {
    concept: 'seal',
    value: 'awskms',
    read: (env) => sealConfigFromEnv(env)?.type,
    used: 'awskms',
    unset: undefined,
  },
  {
    concept: 'sealPassphrase',
    value: 'a development passphrase',
    read: (env) => sealConfigFromEnv(env),
    used: { type: 'passphrase' },
    unset: undefined,
  },
  {
    concept: 'sealParameter',
    part: 'pin',
    base: { [ENV_VARIABLES.seal.name]: '{"type":"pkcs11","library":"/lib/p11.so"}' },
    value: '1234',
    read: (env) => sealConfigFromEnv(env)?.pin,
    used: '1234',
    unset: undefined,
  },
  {
    concept: 'policy',
    value: 'org-policy.json',
    read: (env) => policySourceFromEnv(env),
    used: { kind: 'file', path: 'org-policy.json' },
    unset: undefined,
  },
  {
    concept: 'backendCallTimeout',
    value: '1500',
    read: (env) => withProcessEnv(env, () => resolveTimeouts(undefined).attemptMs),
    used: 1500,
    unset: 60_000,
  },
  {
    concept: 'backendTimeout',
    value: '4500',
    read: (env) => withProcessEnv(env, () => resolveTimeouts(undefined).overallMs),
    used: 4500,
    unset: 300_000,
  },
  {
    concept: 'actor',
    value: 'ci:release-42',
    read: (env) => withProcessEnv(env, () => defaultActor()),
    used: 'ci:release-42',
    unset: withProcessEnv({}, () => defaultActor()),
  },
];

describe.each(READERS)('$concept', ({ concept, part, base = {}, value, read, used, unset }) => {
  const name = envName(ENV_VARIABLES[concept], part);

  it(`set: the reader uses ${name}`, () => {
    expect(read({ ...base, [name]: value })).toEqual(used);
  });

  it('unset or empty: the default', () => {
    expect(read({ ...base })).toEqual(unset);
    expect(read({ ...base, [name]: '' })).toEqual(unset);
  });
});

it('a row with a default is what its reader falls back to', () => {
  expect(ENV_VARIABLES.store.default).toBe(DEFAULT_STORE_PATH);
  expect(ENV_VARIABLES.namespace.default).toBe(ROOT_NAMESPACE);
  expect(Number(ENV_VARIABLES.backendCallTimeout.default)).toBe(60_000);
  expect(Number(ENV_VARIABLES.backendTimeout.default)).toBe(300_000);
});

it('the policy variable also takes an inline document, as the provider always did', () => {
  const text = ' {"version":1,"rules":{}}';
  expect(policySourceFromEnv({ [ENV_VARIABLES.policy.name]: text })).toEqual({
    kind: 'inline',
    text,
  });
});

describe.each(Object.entries<EnvVariable>(ENV_VARIABLES))('row %s', (_, row) => {
  const name = envName(row, 'aws');

  it('readEnv: the value when set, undefined when unset or empty', () => {
    expect(readEnv(row, { [name]: 'v' }, 'aws')).toBe('v');
    expect(readEnv(row, { [name]: '' }, 'aws')).toBeUndefined();
    expect(readEnv(row, {}, 'aws')).toBeUndefined();
  });

  it('envOrDefault: the row default when unset', () => {
    if (name !== row.name) return; // a family has no single value to default
    expect(envOrDefault(row, {})).toBe(row.default);
    expect(envOrDefault(row, { [name]: 'set' })).toBe('set');
  });

  it('is named KEYPLANE_…, means something, and is used somewhere', () => {
    expect(row.name).toMatch(/^KEYPLANE_[A-Z0-9_<>]+$/);
    expect(row.meaning.length).toBeGreaterThan(10);
    expect(row.usedBy.length).toBeGreaterThan(0);
  });
});

it('names are unique', () => {
  const names = Object.values(ENV_VARIABLES).map((v) => v.name);
  expect(new Set(names).size).toBe(names.length);
});

it('a family row needs its part', () => {
  expect(envName(ENV_VARIABLES.sealParameter, 'pin')).toBe(
    ENV_VARIABLES.sealParameter.name.replace('<PARAMETER>', 'PIN'),
  );
  expect(() => envName(ENV_VARIABLES.sealParameter)).toThrow(TypeError);
  expect(envName(ENV_VARIABLES.store, 'ignored')).toBe(ENV_VARIABLES.store.name);
});

it('help lists every row a tool uses, with its default', () => {
  const help = formatEnvHelp(envVariablesUsedBy('provider'));
  expect(help).toContain(`${ENV_VARIABLES.store.name}  `);
  expect(help).toContain(`(default: ${DEFAULT_STORE_PATH})`);
  expect(help).not.toContain(ENV_VARIABLES.debug.name);
  expect(envVariablesUsedBy('cli')).toContain(ENV_VARIABLES.debug);
});

it('the table module loads nothing: no engine module, built-in or package', () => {
  const { outputText } = ts.transpileModule(
    readFileSync(resolve(__dirname, '../src/env.ts'), 'utf8'),
    { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } },
  );
  expect([...outputText.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual([]);
  // The check sees a real require (it would report one).
  expect(
    ts
      .transpileModule("import { x } from 'node:fs'; export const y = x;", {
        compilerOptions: { module: ts.ModuleKind.CommonJS },
      })
      .outputText.includes('require("node:fs")'),
  ).toBe(true);
});

it('one namespace rule for the engine and the provider: root or up to 8 segments, never root/…', () => {
  const seg63 = `a${'b'.repeat(62)}`;
  const deep = (n: number) => Array.from({ length: n }, (_, i) => `s${String(i)}`).join('/');
  const accepted = ['root', 'a', 'team-a/payments', 'x_1/y-2', seg63, deep(8), 'rooty/a'];
  const refused = ['', 'Root', 'root/a', 'a//b', 'a/', '/a', '-a', '_a', `${seg63}c`, deep(9)];
  for (const path of accepted) expect([path, NAMESPACE_PATTERN.test(path)]).toEqual([path, true]);
  for (const path of refused) {
    expect([path, NAMESPACE_PATTERN.test(path)]).toEqual([path, false]);
    expect(() => checkNamespacePath(path, 'KEYPLANE_NAMESPACE')).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_ARGUMENT',
        field: 'KEYPLANE_NAMESPACE',
        message: `KEYPLANE_NAMESPACE '${path}' must be ${NAMESPACE_RULE}`,
      }) as Error,
    );
  }
});
