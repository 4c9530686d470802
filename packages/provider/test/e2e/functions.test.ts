/**
 * The real provider executable, installed into a filesystem mirror exactly as
 * `keyplane provider install` does it: `terraform init` works offline, and real terraform calls
 * the provider-defined functions (outputs and `terraform console`), including their errors.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
const flat = (s: string) => s.replace(/\s+/g, ' ');

import { REQUIRED_PROVIDERS, TerraformWorkdir, describeWithTerraform } from '../support/terraform';

describeWithTerraform('provider-defined functions through the installed executable', () => {
  let tf: TerraformWorkdir;
  let expectedFingerprint = '';

  beforeAll(async () => {
    tf = new TerraformWorkdir();
    const gen = (args: string[]) => {
      const r = spawnSync('openssl', args, { cwd: tf.dir, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      return r.stdout;
    };
    gen([
      'genpkey',
      '-algorithm',
      'EC',
      '-pkeyopt',
      'ec_paramgen_curve:P-384',
      '-out',
      'signing.key',
    ]);
    gen(['pkey', '-in', 'signing.key', '-pubout', '-out', 'signing.pub']);
    gen(['pkey', '-in', 'signing.key', '-pubout', '-outform', 'DER', '-out', 'signing.der']);
    expectedFingerprint = `sha256:${gen(['dgst', '-sha256', '-r', 'signing.der']).split(' ')[0] ?? ''}`;
    tf.write({
      'main.tf': `${REQUIRED_PROVIDERS}
output "fingerprint" {
  value = provider::keyplane::fingerprint(file("\${path.module}/signing.pub"))
}
output "aws_rsa_sign" {
  value = provider::keyplane::compatible("rsa-2048", "awskms", ["sign", "verify"])
}
output "aws_rsa_mixed" {
  value = provider::keyplane::compatible("rsa-2048", "aws", ["sign", "decrypt"])
}
output "gcp_ed25519" {
  value = provider::keyplane::compatible("ed25519", "gcpckms", ["sign"])
}
output "azure_ec_either_service" {
  value = provider::keyplane::compatible("ecdsa-p256", "azurekeyvault", ["sign"])
}
output "key_vault_ec" {
  value = provider::keyplane::compatible("ecdsa-p256", "azurekeyvault/vault", ["sign"])
}
output "managed_hsm_ec" {
  value = provider::keyplane::compatible("ecdsa-p256", "azure/managed-hsm", ["sign"])
}
output "pkcs11_rsa" {
  value = provider::keyplane::compatible("rsa-3072", "pkcs11", ["sign", "verify"])
}
output "pkcs11_ed25519" {
  value = provider::keyplane::compatible("ed25519", "pkcs11", ["sign"])
}
output "hsm_origin_to_gcp" {
  value = provider::keyplane::compatible("rsa-3072", "gcpckms", ["sign"], "token")
}
output "hsm_origin_to_pkcs11" {
  value = provider::keyplane::compatible("rsa-3072", "pkcs11", ["sign"], "token")
}
output "software_origin_to_pkcs11" {
  value = provider::keyplane::compatible("rsa-3072", "pkcs11", ["sign"], "software")
}
`,
    });
    const init = await tf.init();
    expect(init.stdout).toContain('Installing keyplane/keyplane v0.1.0');
  });
  afterAll(() => {
    tf.cleanup();
  });

  it('init records the mirrored provider in the lock file', () => {
    const lock = readFileSync(join(tf.dir, '.terraform.lock.hcl'), 'utf8');
    expect(lock).toContain('provider "registry.terraform.io/keyplane/keyplane"');
    expect(lock).toMatch(/version = "0\.1\.0"/);
  });

  it('computes outputs with the functions, the fingerprint matching openssl', async () => {
    await tf.apply();
    const out = await tf.outputs();
    expect(out.fingerprint?.value).toBe(expectedFingerprint);
    const compatible = Object.entries(out).filter(([name]) => name !== 'fingerprint');
    expect(Object.fromEntries(compatible.map(([name, v]) => [name, v.value]))).toEqual({
      aws_rsa_sign: true,
      aws_rsa_mixed: false,
      gcp_ed25519: true,
      // Azure: plain azurekeyvault = either service; Key Vault BYOK takes RSA only.
      azure_ec_either_service: true,
      key_vault_ec: false,
      managed_hsm_ec: true,
      // PKCS#11 targets: the engine's row (no Ed25519).
      pkcs11_rsa: true,
      pkcs11_ed25519: false,
      // An HSM-origin key (origin = a pkcs11 keyplane_kms id) goes only to clouds, wrapped.
      hsm_origin_to_gcp: true,
      hsm_origin_to_pkcs11: false,
      software_origin_to_pkcs11: true,
    });
    expect((await tf.planIsEmpty()).empty).toBe(true);
  });

  it('reports a misspelt argument as a function error naming the parameter and the allowed values', async () => {
    const r = await tf.run(['console', '-no-color'], {
      input: 'provider::keyplane::compatible("rsa-2048", "azure-kv", ["sign"])\n',
    });
    expect(r.stderr).toContain('Invalid value for "provider" parameter');
    expect(flat(r.stderr)).toContain(
      "provider 'azure-kv' is not supported; allowed: awskms, azurekeyvault, azurekeyvault/vault, azurekeyvault/managed-hsm, gcpckms, pkcs11, aws, azure, azure/vault, azure/managed-hsm, gcp",
    );
    const p = await tf.run(['console', '-no-color'], {
      input: 'provider::keyplane::compatible("rsa-2048", "aws", ["sing"])\n',
    });
    expect(flat(p.stderr)).toContain(
      'Invalid value for "purpose" parameter: purpose "sing" is not valid; allowed: encrypt, decrypt, sign, verify, wrap, unwrap',
    );
    const o = await tf.run(['console', '-no-color'], {
      input: 'provider::keyplane::compatible("rsa-2048", "aws", ["sign"], "hsm:token")\n',
    });
    expect(flat(o.stderr)).toContain(
      'Invalid value for "origin" parameter: origin \'hsm:token\' is not valid; allowed: `software` or a pkcs11 `keyplane_kms` id',
    );
    const two = await tf.run(['console', '-no-color'], {
      input: 'provider::keyplane::compatible("rsa-2048", "aws", ["sign"], "software", "token")\n',
    });
    expect(flat(two.stderr)).toContain('origin takes at most one value, got 2');
  });

  it('refuses a private key without echoing it', async () => {
    const r = await tf.run(['console', '-no-color'], {
      input: 'provider::keyplane::fingerprint(file("signing.key"))\n',
    });
    expect(flat(r.stderr)).toContain(
      'pem must be a public key or certificate PEM, not a private key',
    );
    const keyBody = readFileSync(join(tf.dir, 'signing.key'), 'utf8').split('\n')[1] ?? 'missing';
    expect(r.stdout + r.stderr).not.toContain(keyBody);
  });

  it('logs in hclog format that TF_LOG shows, and exits gracefully on Shutdown', async () => {
    const r = await tf.ok(['plan', '-no-color', '-input=false'], [0], { env: { TF_LOG: 'debug' } });
    // go-plugin names the logger after the executable file (terraform-provider-keyplane_v0.1.0).
    expect(r.stderr).toMatch(
      /\[DEBUG\] provider\.terraform-provider-keyplane_v0\.1\.0: provider serving: .*tls=true/,
    );
    expect(r.stderr).toMatch(
      /\[DEBUG\] provider\.terraform-provider-keyplane_v0\.1\.0: provider exiting: .*reason=shutdown/,
    );
    expect(r.stderr).not.toContain('plugin failed to exit gracefully');
    expect(r.stderr).not.toContain('"@level"'); // every line parsed as hclog, none passed through raw
  });

  it('answers in console', async () => {
    const r = await tf.ok(['console', '-no-color'], [0], {
      input: 'provider::keyplane::compatible("ecdsa-p521", "gcpckms", ["sign"])\n',
    });
    expect(r.stdout.trim()).toBe('false');
  });
});
