/**
 * Every example under examples/ (the ones docs/ shows) is applied by real terraform with the
 * installed provider executable.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REQUIRED_PROVIDERS, TerraformWorkdir, describeWithTerraform } from '../support/terraform';

const examples = join(__dirname, '..', '..', 'examples');
const functionExamples = readdirSync(join(examples, 'functions'));

describeWithTerraform('examples', () => {
  let tf: TerraformWorkdir;
  beforeAll(async () => {
    tf = new TerraformWorkdir();
    for (const args of [
      ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'signing.key'],
      ['pkey', '-in', 'signing.key', '-pubout', '-out', 'signing.pub'],
    ]) {
      expect(spawnSync('openssl', args, { cwd: tf.dir }).status).toBe(0);
    }
    tf.write({
      // The provider example already declares required_providers.
      'provider.tf': readFileSync(join(examples, 'provider', 'provider.tf'), 'utf8'),
      ...Object.fromEntries(
        functionExamples.map((f) => [
          `${f}.tf`,
          readFileSync(join(examples, 'functions', f, 'function.tf'), 'utf8'),
        ]),
      ),
    });
    await tf.init();
  });
  afterAll(() => {
    tf.cleanup();
  });

  it('applies them, with the values their comments promise', async () => {
    expect(functionExamples.sort()).toEqual(['compatible', 'fingerprint']);
    await tf.apply();
    const out = await tf.outputs();
    expect(out.rsa_signing_on_aws?.value).toBe(true);
    expect(out.ed25519_on_aws?.value).toBe(false);
    expect(out.signing_key_fingerprint?.value).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(REQUIRED_PROVIDERS).toContain('keyplane/keyplane');
  });
});
