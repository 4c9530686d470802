/**
 * One source for Keyplane's environment variables: no `KEYPLANE_…` name may be spelled in the
 * code of the engine, CLI or provider outside the table (src/env.ts) — a real scan of every
 * source file's string literals, template parts and identifiers (comments are documentation and
 * may name a variable). The emulators' DEV_ENV (what `keyplane dev` exports for the user) is the
 * one other table; a name is in at most one of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { DEV_ENV } from '@keyplane/emulators';
import { ENV_VARIABLES } from '@keyplane/engine/env';

const ROOT = resolve(__dirname, '../../..');
const SCANNED = ['engine', 'cli', 'provider', 'emulators'].map((p) =>
  join(ROOT, 'packages', p, 'src'),
);
const TABLES: Readonly<Record<string, readonly string[]>> = {
  'packages/engine/src/env.ts': Object.values(ENV_VARIABLES).map((v) => v.name),
  'packages/emulators/src/dev-stack.ts': Object.values(DEV_ENV),
};

/** Code identifiers that start like a variable but name a constant, not an environment variable. */
const CODE_NAMES: readonly string[] = [
  'KEYPLANE_TAGS', // tags / labels on cloud objects (backends/contract.ts)
  'KEYPLANE_GENERATOR', // the BYOK blob's generator string (byok/azure.ts)
  'KEYPLANE_ERROR', // the KeyplaneError brand symbol (errors.ts)
];

const NAME = /KEYPLANE_[A-Z0-9_]*/g;

/** Every KEYPLANE_… name in the code of one TypeScript source (not its comments). */
function namesInCode(source: string): { name: string; identifier: boolean }[] {
  const file = ts.createSourceFile('scan.ts', source, ts.ScriptTarget.ES2022, true);
  const found: { name: string; identifier: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isStringLiteralLike(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node) ||
      ts.isIdentifier(node)
    ) {
      for (const m of node.text.matchAll(NAME))
        found.push({ name: m[0], identifier: ts.isIdentifier(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

const FILES = SCANNED.flatMap(sources).map((f) => relative(ROOT, f).split('\\').join('/'));
const NAMES = new Map(
  FILES.map((f) => [f, namesInCode(readFileSync(join(ROOT, f), 'utf8'))] as const),
);
const ALL_TABLE_NAMES = Object.values(TABLES).flat();

it('scans the real sources (the engine, CLI and provider each have files that read variables)', () => {
  expect(FILES).toContain('packages/provider/src/provider/config.ts');
  expect(FILES).toContain('packages/cli/src/main.ts');
  expect(FILES.length).toBeGreaterThan(100);
});

it('no KEYPLANE_ variable is spelled outside the tables', () => {
  const strays = [...NAMES].flatMap(([file, names]) => {
    if (TABLES[file] !== undefined) return [];
    return names
      .filter((n) => !(n.identifier && CODE_NAMES.includes(n.name)))
      .map((n) => `${file}: ${n.name}`);
  });
  expect(strays).toEqual([]);
});

it('each table holds what it spells, and a name lives in one table only', () => {
  for (const [file, names] of Object.entries(TABLES)) {
    const spelled = new Set((NAMES.get(file) ?? []).map((n) => n.name));
    for (const name of names) expect(spelled).toContain(name.replace(/<[A-Z]+>.*$/, ''));
  }
  expect(new Set(ALL_TABLE_NAMES).size).toBe(ALL_TABLE_NAMES.length);
});

it('the scan sees code and skips comments', () => {
  const found = namesInCode(
    [
      '// KEYPLANE_IN_A_COMMENT',
      '/** KEYPLANE_IN_DOCS */',
      "const a = process.env.KEYPLANE_AS_PROPERTY ?? process.env['KEYPLANE_IN_QUOTES'];",
      'const b = `KEYPLANE_${cloud}_FAULTS and ${x} KEYPLANE_IN_TEMPLATE`;',
      'const c = "postgres://h/db"; // KEYPLANE_AFTER_URL',
    ].join('\n'),
  ).map((n) => n.name);
  expect(found).toEqual([
    'KEYPLANE_AS_PROPERTY',
    'KEYPLANE_IN_QUOTES',
    'KEYPLANE_',
    'KEYPLANE_IN_TEMPLATE',
  ]);
});
