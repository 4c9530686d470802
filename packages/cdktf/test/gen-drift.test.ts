// The committed L1 bindings (src/gen) must be exactly what the generator makes from the
// provider's current schema: regenerate into a temp dir (real provider executable in a temp
// filesystem mirror, real terraform, @cdktf/provider-generator) and compare file by file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describeWithTerraform } from '../../provider/test/support/terraform';
import { FLAVOR } from './support/flavor';

const PACKAGE_DIR = join(__dirname, '..');

function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

// The bindings do not depend on the core, so the check runs once (in the cdktf project).
const describeOnce = FLAVOR === 'cdktf' ? describeWithTerraform : describe.skip;

describeOnce('generated L1 bindings', () => {
  it('match a fresh generation from the provider schema (run `npm run gen -w @keyplane/cdktf`)', () => {
    const out = mkdtempSync(join(tmpdir(), 'kp-gen-drift-'));
    try {
      const r = spawnSync(process.execPath, ['scripts/gen-bindings.mjs', '--out', out], {
        cwd: PACKAGE_DIR,
        encoding: 'utf8',
        env: { ...process.env, CHECKPOINT_DISABLE: '1' },
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const fresh = tree(out);
      const committed = tree(join(PACKAGE_DIR, 'src', 'gen'));
      expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
      for (const [file, text] of fresh)
        expect({ file, text }).toEqual({ file, text: committed.get(file) });
      expect(fresh.get('index.ts')).toContain("export * as provider from './provider';");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
