/**
 * docs/ is generated from the schema's own descriptions and examples/: the committed pages must
 * be exactly what the generator writes (`npm run generate:docs -w terraform-provider-keyplane`),
 * and resource, data-source and import sections render from a resource's schema.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { keyplaneProvider } from 'terraform-provider-keyplane';
import { renderDocs } from '../../src/docs/render';
import { fixtureProvider, newBackend } from '../support/fixture-provider';

const root = join(__dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

it('committed docs match the schema and examples', () => {
  const rendered = renderDocs(keyplaneProvider(), join(root, 'examples'));
  const docs = join(root, 'docs');
  const committed = Object.fromEntries(
    files(docs).map((f) => [relative(docs, f), readFileSync(f, 'utf8')]),
  );
  expect(committed).toEqual(rendered);
  expect(Object.keys(rendered).sort()).toEqual([
    'data-sources/key.md',
    'data-sources/public_key.md',
    'functions/compatible.md',
    'functions/fingerprint.md',
    'index.md',
    'resources/key.md',
    'resources/key_distribution.md',
    'resources/kms.md',
    'resources/managed_key.md',
    'resources/signing_key.md',
  ]);
});

it('renders a resource page with its schema groups, nested blocks and write-only marks', () => {
  const pages = renderDocs(fixtureProvider(newBackend()), join(root, 'examples'));
  const page = pages['resources/fixture.md'] ?? '';
  expect(page).toContain('# keyplane_fixture (Resource)');
  expect(page).toContain(
    '### Required\n\n- `name` (string) Name; changing it replaces the object.',
  );
  expect(page).toContain(
    '- `secret_wo` (string, Sensitive, Write-only: never stored in plan or state; Terraform >= 1.11) A write-only secret.',
  );
  expect(page).toContain('### Read-Only\n\n- `id` (string) Id.');
  expect(page).toContain('### Nested Schema for `rule`');
  expect(pages['data-sources/fixture_lookup.md']).toContain(
    '# keyplane_fixture_lookup (Data Source)',
  );
});
