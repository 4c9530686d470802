/**
 * Registry documentation from the provider's own schema (the layout the Terraform Registry and
 * hashicorp/terraform-plugin-docs use: docs/index.md, docs/resources/<name>.md,
 * docs/data-sources/<name>.md, docs/functions/<name>.md), plus example files from examples/
 * (`provider/provider.tf`, `resources/<type>/resource.tf` and `import.sh`,
 * `data-sources/<type>/data-source.tf`, `functions/<name>/function.tf`). Descriptions live in
 * the schema only, so docs and `terraform providers schema` never disagree.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProviderFunction } from '../framework/function';
import type { ProviderDefinition } from '../framework/provider';
import type { Attribute, Block } from '../framework/schema';
import { typeName } from '../protocol/cty/types';

const PROVIDER = 'terraform-provider-keyplane';

function example(examples: string, file: string, lang: 'terraform' | 'shell'): string {
  const p = join(examples, file);
  if (!existsSync(p)) return '';
  return `## Example Usage\n\n\`\`\`${lang}\n${readFileSync(p, 'utf8').trimEnd()}\n\`\`\`\n\n`;
}

function frontMatter(title: string, description: string): string {
  const first = description.split('\n')[0] ?? '';
  return `---\npage_title: "${title}"\nsubcategory: ""\ndescription: |-\n  ${first}\n---\n\n`;
}

function attributeLine(name: string, a: Attribute): string {
  const flags = [
    typeName(a.type),
    a.sensitive === true || a.writeOnly === true ? 'Sensitive' : '',
    a.writeOnly === true ? 'Write-only: never stored in plan or state; Terraform >= 1.11' : '',
    a.deprecated !== undefined ? 'Deprecated' : '',
  ].filter((f) => f !== '');
  return `- \`${name}\` (${flags.join(', ')}) ${a.description}`;
}

function schemaSection(block: Block, heading = '## Schema', anchor = ''): string {
  const attrs = Object.entries(block.attributes).sort(([a], [b]) => a.localeCompare(b));
  const groups: [string, (a: Attribute) => boolean][] = [
    ['Required', (a) => a.required === true],
    ['Optional', (a) => a.required !== true && a.optional === true],
    ['Read-Only', (a) => a.computed === true && a.optional !== true && a.required !== true],
  ];
  const blocks = Object.entries(block.blocks ?? {}).sort(([a], [b]) => a.localeCompare(b));
  let out = `${heading}\n\n`;
  for (const [title, pick] of groups) {
    const lines = attrs.filter(([, a]) => pick(a)).map(([n, a]) => attributeLine(n, a));
    const nested =
      title === 'Optional'
        ? blocks.map(
            ([n, nb]) =>
              `- \`${n}\` (Block ${nb.nesting}${nb.maxItems ? `, max ${String(nb.maxItems)}` : ''}) ${nb.block.description ?? ''} (see [below for nested schema](#nestedblock--${anchor}${n}))`,
          )
        : [];
    if (lines.length + nested.length > 0)
      out += `### ${title}\n\n${[...lines, ...nested].join('\n')}\n\n`;
  }
  for (const [n, nb] of blocks) {
    out += `<a id="nestedblock--${anchor}${n}"></a>\n${schemaSection(nb.block, `### Nested Schema for \`${anchor.replace(/--/g, '.')}${n}\``, `${anchor}${n}--`).replace(/^### (Required|Optional|Read-Only)/gm, 'Nested $1:')}`;
  }
  return out;
}

function functionPage(f: ProviderFunction, examples: string): string {
  // A variadic parameter takes zero or more trailing arguments: `name ...type`, as in Go.
  const variadic = f.variadicParameter;
  const params = [
    ...f.parameters.map((p) => `${p.name} ${typeName(p.type)}`),
    ...(variadic === undefined ? [] : [`${variadic.name} ...${typeName(variadic.type)}`]),
  ].join(', ');
  const args = [
    ...f.parameters.map((p) => `\`${p.name}\` (${typeName(p.type)}) ${p.description}`),
    ...(variadic === undefined
      ? []
      : [`\`${variadic.name}\` (${typeName(variadic.type)}, variadic) ${variadic.description}`]),
  ];
  return (
    frontMatter(`${f.name} function - ${PROVIDER}`, f.summary) +
    `# function: ${f.name}\n\n${f.description}\n\n` +
    example(examples, `functions/${f.name}/function.tf`, 'terraform') +
    `## Signature\n\n\`\`\`text\n${f.name}(${params}) ${typeName(f.returnType)}\n\`\`\`\n\n` +
    `## Arguments\n\n${args.map((a, i) => `${String(i + 1)}. ${a}`).join('\n')}\n`
  );
}

/** Every documentation file: relative path → Markdown. */
export function renderDocs<C>(
  definition: ProviderDefinition<C>,
  examples: string,
): Record<string, string> {
  const docs: Record<string, string> = {};
  const name = definition.typeName;
  docs['index.md'] =
    frontMatter(`${name} Provider`, definition.schema.description ?? '') +
    `# ${name} Provider\n\n${definition.schema.description ?? ''}\n\n` +
    example(examples, 'provider/provider.tf', 'terraform') +
    schemaSection(definition.schema);
  for (const r of definition.resources) {
    const short = r.typeName.replace(`${name}_`, '');
    const importDoc = example(examples, `resources/${r.typeName}/import.sh`, 'shell').replace(
      '## Example Usage',
      '## Import',
    );
    docs[`resources/${short}.md`] =
      frontMatter(`${r.typeName} Resource - ${PROVIDER}`, r.schema.description ?? '') +
      `# ${r.typeName} (Resource)\n\n${r.schema.markdownDescription ?? r.schema.description ?? ''}\n\n` +
      example(examples, `resources/${r.typeName}/resource.tf`, 'terraform') +
      schemaSection(r.schema) +
      importDoc;
  }
  for (const d of definition.dataSources) {
    const short = d.typeName.replace(`${name}_`, '');
    docs[`data-sources/${short}.md`] =
      frontMatter(`${d.typeName} Data Source - ${PROVIDER}`, d.schema.description ?? '') +
      `# ${d.typeName} (Data Source)\n\n${d.schema.description ?? ''}\n\n` +
      example(examples, `data-sources/${d.typeName}/data-source.tf`, 'terraform') +
      schemaSection(d.schema);
  }
  for (const f of definition.functions) docs[`functions/${f.name}.md`] = functionPage(f, examples);
  return docs;
}
