#!/usr/bin/env node
// @keyplane/cdktn is @keyplane/cdktf built a second time, against CDK Terrain (cdktn): one
// compiled construct library cannot serve both cores (a cdktf-built library fails at synth in a
// cdktn app and vice versa; `instanceof` is false across them), so the same source is compiled
// twice. This step writes packages/cdktn/generated-src/ = packages/cdktf/src with the core import
// `cdktf` switched to `cdktn` (and the package's self-imports renamed); the root build (`tsc -b`)
// then type-checks and compiles it against cdktn's own declarations.
//
// Files are only rewritten when their content changes, so `tsc -b` stays incremental.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = resolve(here, '..', 'src');
const target = resolve(here, '..', '..', 'cdktn', 'generated-src');

/** `from 'cdktf'`, `require("cdktf")`, `import('cdktf')`, and self-imports `@keyplane/cdktf[/…]`. */
const CORE = /(\bfrom\s+|\brequire\(\s*|\bimport\(\s*)(['"])cdktf\2/g;
const SELF = /(['"])@keyplane\/cdktf(\/[^'"]*)?\1/g;

export function rewrite(text) {
  return text
    .replace(CORE, (_m, lead, q) => `${lead}${q}cdktn${q}`)
    .replace(SELF, (_m, q, sub) => `${q}@keyplane/cdktn${sub ?? ''}${q}`);
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function main() {
  const wanted = new Set();
  for (const file of walk(source).filter((f) => f.endsWith('.ts'))) {
    const rel = relative(source, file);
    const out = join(target, rel);
    wanted.add(out);
    const text = rewrite(readFileSync(file, 'utf8'));
    const leftover = /(['"])cdktf\1/.exec(text);
    if (leftover !== null) {
      throw new Error(`${rel}: a cdktf import the rewrite does not know: ${leftover[0]}`);
    }
    let current;
    try {
      current = readFileSync(out, 'utf8');
    } catch {
      current = undefined;
    }
    if (current !== text) {
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, text);
    }
  }
  // Files removed from the source tree disappear from the cdktn build too.
  try {
    for (const file of walk(target)) if (!wanted.has(file)) rmSync(file);
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
