/**
 * Captures how real terraform encodes each case of test/support/wire-cases.ts (the `config`
 * DynamicValue of PlanResourceChange) and checks it against the committed vectors that the
 * codec unit tests decode. KEYPLANE_UPDATE_VECTORS=1 rewrites the file from this run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { echoProvider } from '../support/echo-provider';
import { serveInProcess } from '../support/in-process';
import { TerraformWorkdir, describeWithTerraform } from '../support/terraform';
import { WIRE_CASES, wireConfig } from '../support/wire-cases';

const VECTORS = join(__dirname, '..', 'vectors', 'terraform-1.11.4.json');

interface PlanRequest {
  readonly config: { readonly msgpack: Uint8Array } | null;
  readonly priorState: unknown;
}

describeWithTerraform('msgpack wire vectors from terraform', () => {
  it('terraform encodes every case exactly as the committed vectors', async () => {
    const provider = await serveInProcess(echoProvider());
    const tf = new TerraformWorkdir({ mode: { reattach: provider.reattach } });
    try {
      tf.write({ 'main.tf': wireConfig() });
      const version = await tf.ok(['version', '-json']);
      expect((JSON.parse(version.stdout) as { terraform_version: string }).terraform_version).toBe(
        '1.11.4',
      );
      await tf.ok(['plan', '-no-color', '-input=false']);
      const captured: Record<string, string> = {};
      // Plans arrive in no fixed order, so the run is compared as a set of encodings.
      const plans = provider.calls
        .filter((c) => c.method === 'PlanResourceChange')
        .map((c) => c.request as PlanRequest);
      expect(plans).toHaveLength(Object.keys(WIRE_CASES).length);
      const committed = JSON.parse(readFileSync(VECTORS, 'utf8')) as {
        cases: Record<string, string>;
      };
      const seen = new Set(plans.map((p) => Buffer.from(p.config?.msgpack ?? []).toString('hex')));
      if (process.env.KEYPLANE_UPDATE_VECTORS === '1') {
        // Order-independent capture: run one case per plan.
        for (const [name, body] of Object.entries(WIRE_CASES)) {
          const before = provider.calls.length;
          tf.write({
            'main.tf':
              (wireConfig().split('resource "keyplane_echo"')[0] ?? '') +
              `resource "keyplane_echo" "${name}" {\n  ${body}\n}\n`,
          });
          await tf.ok(['plan', '-no-color', '-input=false']);
          const req = provider.calls.slice(before).find((c) => c.method === 'PlanResourceChange')
            ?.request as PlanRequest;
          captured[name] = Buffer.from(req.config?.msgpack ?? []).toString('hex');
        }
        writeFileSync(
          VECTORS,
          `${JSON.stringify({ terraform: '1.11.4', source: 'PlanResourceChange.config of keyplane_echo (test/support/echo-provider.ts)', cases: captured }, null, 2)}\n`,
        );
        return;
      }
      expect([...seen].sort()).toEqual(Object.values(committed.cases).sort());
    } finally {
      provider.close();
      tf.cleanup();
    }
  });
});
