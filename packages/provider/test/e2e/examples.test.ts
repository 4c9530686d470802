/**
 * Every example under examples/ (the ones docs/ shows) is applied together by real terraform
 * with the installed provider executable, against a SoftHSM2 token and a passphrase-sealed
 * store; the import commands of the import.sh examples are run after `terraform state rm` and
 * the plan afterwards must be empty.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSoftHsmToken, type SoftHsmToken } from '@keyplane/emulators';
import { REQUIRED_PROVIDERS, TerraformWorkdir, describeWithTerraform } from '../support/terraform';

const examples = join(__dirname, '..', '..', 'examples');
const functionExamples = readdirSync(join(examples, 'functions'));
const resourceExamples = readdirSync(join(examples, 'resources'));
const dataSourceExamples = readdirSync(join(examples, 'data-sources'));
const PIN = '24681357';

/** `terraform import ADDRESS ID` lines of an import.sh example. */
function importCommands(type: string): [string, string][] {
  return readFileSync(join(examples, 'resources', type, 'import.sh'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('terraform import '))
    .map((l) => {
      const [, , address = '', id = ''] = l.split(/\s+/);
      return [address, id];
    });
}

describeWithTerraform('examples', () => {
  let tf: TerraformWorkdir;
  let token: SoftHsmToken;
  beforeAll(async () => {
    token = await createSoftHsmToken({ label: 'kp-examples', pin: PIN, soPin: '97531864' });
    tf = new TerraformWorkdir({
      env: {
        ...token.env,
        KEYPLANE_SEAL_PASSPHRASE: 'examples passphrase',
        TF_VAR_pkcs11_library: token.module,
        TF_VAR_token_label: token.label,
        TF_VAR_pin: PIN,
      },
    });
    for (const args of [
      ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'signing.key'],
      ['pkey', '-in', 'signing.key', '-pubout', '-out', 'signing.pub'],
    ]) {
      expect(spawnSync('openssl', args, { cwd: tf.dir }).status).toBe(0);
    }
    const read = (...p: string[]) => readFileSync(join(examples, ...p), 'utf8');
    tf.write({
      // The provider example already declares required_providers.
      'provider.tf': read('provider', 'provider.tf'),
      ...Object.fromEntries(
        functionExamples.map((f) => [`fn-${f}.tf`, read('functions', f, 'function.tf')]),
      ),
      ...Object.fromEntries(
        resourceExamples.map((r) => [`${r}.tf`, read('resources', r, 'resource.tf')]),
      ),
      ...Object.fromEntries(
        dataSourceExamples.map((d) => [`data-${d}.tf`, read('data-sources', d, 'data-source.tf')]),
      ),
    });
    await tf.init();
  }, 120_000);
  afterAll(async () => {
    tf.cleanup();
    await token.dispose();
  });

  it('applies them, with the values their comments promise', async () => {
    expect(functionExamples.sort()).toEqual(['compatible', 'fingerprint']);
    expect(resourceExamples.sort()).toEqual([
      'keyplane_key',
      'keyplane_key_distribution',
      'keyplane_kms',
      'keyplane_managed_key',
      'keyplane_signing_key',
    ]);
    expect(dataSourceExamples.sort()).toEqual(['keyplane_key', 'keyplane_public_key']);
    await tf.apply();
    const out = await tf.outputs();
    expect(out.rsa_signing_on_aws?.value).toBe(true);
    expect(out.ed25519_on_aws?.value).toBe(false);
    expect(out.ec_on_key_vault?.value).toBe(false);
    expect(out.ec_on_managed_hsm?.value).toBe(true);
    expect(out.hsm_origin_key_to_a_token?.value).toBe(false);
    expect(out.signing_key_fingerprint?.value).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(out.release_public_key_pem?.value).toContain('BEGIN PUBLIC KEY');
    expect(out.release_fingerprint?.value).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(out.payments_latest_public_key?.value).toContain('BEGIN PUBLIC KEY');
    expect(Object.keys(out.payments_hsm_versions?.value as object)).toEqual(['1']);
    expect(REQUIRED_PROVIDERS).toContain('keyplane/keyplane');
    // The provider example pins the store next to the configuration.
    expect(readdirSync(join(tf.dir, '.keyplane'))).toContain('keyplane.db');
  }, 120_000);

  it('imports with the import.sh commands, then plans no changes', async () => {
    const commands = resourceExamples.flatMap(importCommands);
    expect(commands.length).toBe(resourceExamples.length);
    await tf.ok(['state', 'rm', ...commands.map(([address]) => address)]);
    for (const [address, id] of commands) await tf.importResource(address, id);
    expect((await tf.planIsEmpty()).empty).toBe(true);
    await tf.destroy();
  }, 120_000);
});
