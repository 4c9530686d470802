// Each build works in a plain `node app.js` of its own core: the compiled package (dist/, not
// the sources jest runs) synthesizes a stack with the Keyplane provider. One compiled library
// cannot serve both cores, which is why @keyplane/cdktn exists at all.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLAVOR, PACKAGE } from './support/flavor';

const ROOT_MODULES = join(__dirname, '..', '..', '..', 'node_modules');

const APP = `
const { App, TerraformStack, TerraformVariable } = require(process.env.CORE);
const keyplane = require(process.env.PACKAGE);
const app = new App({ outdir: process.env.OUTDIR });
const stack = new TerraformStack(app, 'keys');
new keyplane.KeyplaneProvider(stack, 'keyplane', { namespace: 'team-a' });
const pin = new TerraformVariable(stack, 'pin', { type: 'string', sensitive: true });
keyplane.KeyPolicy.enforce(stack, { version: 1, rules: { min_rsa_bits: 3072 } });
new keyplane.ManagedKey(stack, 'hsm', {
  name: 'hsm-signer',
  backend: keyplane.ManagedKeyBackend.pkcs11({
    library: '/usr/lib/softhsm/libsofthsm2.so', tokenLabel: 't', keyLabel: 'k', mechanism: '0x1041', pin,
  }),
});
new keyplane.Key(stack, 'payments', { name: 'payments', type: 'rsa-3072', rotationPeriod: '90d' });
try {
  new keyplane.Key(stack, 'bad', { name: 'bad', type: 'rsa-9999' });
} catch (e) {
  if (!keyplane.isConstructValidationError(e)) throw e;
  console.log(e.message.split(';')[0]);
}
app.synth();
`;

describe(`${PACKAGE} (built)`, () => {
  it(`synthesizes in a ${FLAVOR} app run with node`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'kp-build-'));
    try {
      writeFileSync(join(dir, 'app.js'), APP);
      const r = spawnSync(process.execPath, [join(dir, 'app.js')], {
        cwd: join(__dirname, '..'),
        encoding: 'utf8',
        // The app lives outside the repository, like a user's: it finds the packages the way an
        // installed app does, through node_modules (here the workspace's).
        env: {
          ...process.env,
          NODE_PATH: ROOT_MODULES,
          CORE: FLAVOR,
          PACKAGE,
          OUTDIR: join(dir, 'out'),
        },
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe("keys/bad: type: type 'rsa-9999' is not supported\n");
      const json = JSON.parse(
        readFileSync(join(dir, 'out', 'stacks', 'keys', 'cdk.tf.json'), 'utf8'),
      ) as {
        provider: Record<string, unknown>;
        terraform: { required_providers: Record<string, unknown> };
        resource: Record<string, Record<string, Record<string, unknown>>>;
      };
      const [managedKey] = Object.values(json.resource.keyplane_managed_key ?? {});
      expect(managedKey).toMatchObject({ type: 'pkcs11', pin_wo: '${var.pin}', pin_wo_version: 1 });
      expect(Object.values(json.resource.keyplane_key ?? {})).toEqual([
        expect.objectContaining({ name: 'payments', type: 'rsa-3072', rotation_period: '90d' }),
      ]);
      expect(json.provider.keyplane).toEqual([{ namespace: 'team-a' }]);
      expect(json.terraform.required_providers.keyplane).toEqual({
        source: 'registry.terraform.io/keyplane/keyplane',
        version: '0.1.0',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
