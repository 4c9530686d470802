#!/usr/bin/env node
// Regenerates the L1 bindings in src/gen/ from the provider's OWN schema, the way `cdktf get`
// does, with the ecosystem's generator (@cdktf/provider-generator) — no registry, no home-made
// generator:
//   1. install the built provider (packages/provider/dist) into a temp filesystem mirror,
//   2. `terraform init` + `terraform providers schema -json` in a temp dir with its own CLI config,
//   3. generateProviderBindingsFromSchema(out, schema), then keep providers/keyplane/* as src/gen/.
//
// Usage: node scripts/gen-bindings.mjs [--out DIR]   (default: src/gen of this package)
// The drift test (test/gen-drift.test.ts) runs it with --out <tmp> and diffs against src/gen.
// The output is committed and never edited by hand; rerun after changing the provider's schema.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

function fail(message) {
  process.stderr.write(`gen-bindings: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  let out = resolve(here, '..', 'src', 'gen');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && argv[i + 1] !== undefined) out = resolve(argv[++i]);
    else fail(`unknown argument '${argv[i]}' (usage: gen-bindings.mjs [--out DIR])`);
  }
  return { out };
}

function terraform(args, cwd, env) {
  const r = spawnSync('terraform', args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error !== undefined) {
    fail(
      r.error.code === 'ENOENT'
        ? 'terraform not found: install Terraform >= 1.11'
        : `terraform ${args[0]}: ${r.error.message}`,
    );
  }
  if (r.status !== 0) fail(`terraform ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

function providerSchema(work) {
  let install;
  try {
    ({ installProvider: install } = require('terraform-provider-keyplane/install'));
  } catch (e) {
    fail(`cannot load terraform-provider-keyplane (run npm run build first): ${e.message}`);
  }
  const { cliConfig, version } = install({ dir: join(work, 'mirror') });
  const rc = join(work, 'terraformrc');
  writeFileSync(rc, cliConfig);
  const config = join(work, 'config');
  mkdirSync(config);
  writeFileSync(
    join(config, 'main.tf.json'),
    JSON.stringify({
      terraform: { required_providers: { keyplane: { source: 'keyplane/keyplane', version } } },
    }),
  );
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: rc,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
  };
  terraform(['init', '-input=false', '-no-color'], config, env);
  const schema = JSON.parse(terraform(['providers', 'schema', '-json'], config, env));
  // As `cdktf get` does: the versions Terraform selected, so the bindings record which provider
  // version they were generated from.
  schema.provider_versions = JSON.parse(
    terraform(['version', '-json'], config, env),
  ).provider_selections;
  return { schema, env };
}

async function main() {
  const { out } = parseArgs(process.argv.slice(2));
  const work = mkdtempSync(join(tmpdir(), 'kp-cdktf-gen-'));
  try {
    const { schema, env } = providerSchema(work);
    // @cdktf/commons runs `terraform version` when loaded: give it the same private CLI config,
    // so it neither warns about ~/.terraformrc nor calls the checkpoint service.
    Object.assign(process.env, {
      TF_CLI_CONFIG_FILE: env.TF_CLI_CONFIG_FILE,
      CHECKPOINT_DISABLE: '1',
    });
    const { generateProviderBindingsFromSchema } = require('@cdktf/provider-generator');
    const target = join(work, 'bindings');
    await generateProviderBindingsFromSchema(target, schema);
    rmSync(out, { recursive: true, force: true });
    cpSync(join(target, 'providers', 'keyplane'), out, { recursive: true });
    const files = readFileSync(join(out, 'index.ts'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('export'));
    process.stdout.write(`gen-bindings: wrote ${out} (${files.length} modules)\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => fail(e instanceof Error ? (e.stack ?? e.message) : String(e)));
