/**
 * evaluatePolicy must run at CDKTF synth and anywhere JavaScript runs: the modules the policy
 * loads at run time (what TypeScript actually emits, type-only imports elided) may use no
 * Node built-in and no package — only other engine modules, which obey the same rule.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const SRC = resolve(__dirname, '../../src');

/** The run-time `require`s of one source file, as the compiler emits them. */
function runtimeImports(file: string): string[] {
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  return [...outputText.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1] ?? '');
}

function closure(entry: string): { files: string[]; external: string[] } {
  const files = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith('.')) visit(`${resolve(dirname(file), spec)}.ts`);
      else external.add(`${relative(SRC, file)} → ${spec}`);
    }
  };
  visit(entry);
  return { files: [...files].map((f) => relative(SRC, f)).sort(), external: [...external] };
}

test('the policy module and the duration parser load nothing outside the engine', () => {
  const { files, external } = closure(join(SRC, 'policy/index.ts'));
  expect(external).toEqual([]);
  expect(files).toContain('duration.ts');
  expect(files).toContain('managed/parameters.ts');
  expect(
    files.some(
      (f) =>
        f.startsWith('backends/') &&
        f !== 'backends/contract.ts' &&
        f !== 'backends/gcp-kms/algorithms.ts' &&
        // The endpoint rules of managed-key parameters ask whether a host is loopback.
        f !== 'backends/common/loopback.ts',
    ),
  ).toBe(false);
});

test('the check sees through to real imports (a Node-only module is reported)', () => {
  expect(closure(join(SRC, 'managed/backend-binding.ts')).external).toContain(
    'managed/backend-binding.ts → node:fs',
  );
});
