// Writes docs/ (Terraform Registry layout) from the built provider's schema and examples/.
// Run after `npm run build`: `npm run generate:docs -w terraform-provider-keyplane`.
// test/docs/docs.test.ts fails when the committed docs are stale.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { renderDocs } = require('../dist/docs/render.js');
const { keyplaneProvider } = require('../dist/provider/definition.js');

const out = join(here, '..', 'docs');
rmSync(out, { recursive: true, force: true });
for (const [file, text] of Object.entries(
  renderDocs(keyplaneProvider(), join(here, '..', 'examples')),
)) {
  mkdirSync(dirname(join(out, file)), { recursive: true });
  writeFileSync(join(out, file), text);
}
console.log(`wrote ${out}`);
