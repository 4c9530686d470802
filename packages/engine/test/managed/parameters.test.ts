/**
 * The managed-key parameter tables as a schema (what the CLI help and the Terraform provider
 * build on) and the validator over them: every problem of one input reported at once as
 * diagnostics, sensitive values never echoed, endpoint / path / length / bound rules, and
 * nothing stored after a refusal. Runs ManagedKeys over a real SQLite store.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BACKEND_TYPES,
  GCP_SIGN_ALGORITHMS,
  PKCS11_MECHANISMS,
  managedKeyParameters,
  validateParameters,
  type KeyplaneError,
} from '@keyplane/engine';
import { rejection } from '../support/rejection';
import { testRegistry, type TestRegistry } from './support';

const refusal = async (p: Promise<unknown>) => (await rejection(p)) as unknown as KeyplaneError;

let reg: TestRegistry;
let dir: string;
beforeAll(async () => {
  reg = await testRegistry();
  dir = mkdtempSync(join(tmpdir(), 'kp-params-'));
});
afterAll(async () => {
  await reg.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const PIN = '246813579';
const HSM = { library: '/usr/lib/softhsm/libsofthsm2.so', token_label: 't', pin: PIN };

describe('one table per backend', () => {
  it('describes every parameter; sensitive and required columns as Vault documents them', () => {
    for (const type of BACKEND_TYPES) {
      const rows = managedKeyParameters(type);
      for (const row of rows) expect(row.description).toMatch(/^[A-Z].{10,}\.$/);
      expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
    }
    const column = (
      type: (typeof BACKEND_TYPES)[number],
      pick: (r: { required: boolean; sensitive: boolean }) => boolean,
    ) =>
      managedKeyParameters(type)
        .filter(pick)
        .map((r) => r.name);
    expect(BACKEND_TYPES.map((t) => column(t, (r) => r.sensitive))).toEqual([
      ['pin'],
      ['access_key', 'secret_key'],
      ['client_secret'],
      [],
    ]);
    expect(column('pkcs11', (r) => r.required)).toEqual(['library', 'mechanism', 'pin']);
    expect(managedKeyParameters('pkcs11').find((r) => r.name === 'key_id')?.atLeastOneOf).toEqual([
      'key_label',
      'key_id',
    ]);
    expect(column('gcpckms', (r) => r.required)).toEqual([
      'crypto_key',
      'key_ring',
      'project',
      'region',
      'algorithm',
    ]);
  });

  it('takes PKCS#11 mechanisms and GCP algorithms from their row tables (Vault API docs lists)', () => {
    expect(PKCS11_MECHANISMS).toEqual(['0x1041', '0x000D', '0x0009', '0x0001']);
    // https://developer.hashicorp.com/vault/api-docs/system/managed-keys (gcpckms `algorithm`)
    expect([...GCP_SIGN_ALGORITHMS].sort()).toEqual(
      [
        'EC_SIGN_P256_SHA256',
        'EC_SIGN_P384_SHA384',
        'RSA_SIGN_PKCS1_2048_SHA256',
        'RSA_SIGN_PKCS1_3072_SHA256',
        'RSA_SIGN_PKCS1_4096_SHA256',
        'RSA_SIGN_PKCS1_4096_SHA512',
        'RSA_SIGN_PSS_2048_SHA256',
        'RSA_SIGN_PSS_3072_SHA256',
        'RSA_SIGN_PSS_4096_SHA256',
        'RSA_SIGN_PSS_4096_SHA512',
      ].sort(),
    );
  });
});

describe('validation collects every problem at once', () => {
  it('reports unknown names, bad values, bounds, paths, lengths and missing parameters together', async () => {
    const e = await refusal(
      reg.keys.create('pkcs11', 'many', {
        library: 'libsofthsm2.so',
        pin: PIN.repeat(200),
        mechanism: '0x9999',
        max_parallel: '100000000000000000000',
        bogus: '1',
        slot: 'first',
      }),
    );
    expect(e.code).toBe('ERR_INVALID_ARGUMENT');
    expect(e.diagnostics.map((d) => [d.code, d.field])).toEqual([
      ['ERR_INVALID_ARGUMENT', 'library'],
      ['ERR_INVALID_ARGUMENT', 'pin'],
      ['ERR_INVALID_ARGUMENT', 'mechanism'],
      ['ERR_INVALID_ARGUMENT', 'max_parallel'],
      ['ERR_INVALID_ARGUMENT', 'bogus'],
      ['ERR_INVALID_ARGUMENT', 'slot'],
      ['ERR_MISSING_PARAMETER', 'key_label'],
    ]);
    expect(e.message).toMatch(/^7 problems with pkcs11 managed key parameters: /);
    expect(e.diagnostics[1]?.message).toBe('pin is longer than 1024 characters');
    expect(e.diagnostics[2]?.allowed).toEqual(PKCS11_MECHANISMS);
    expect(e.diagnostics[3]?.message).toContain('max_parallel must be between 1 and 1024');
    expect(e.diagnostics[6]?.allowed).toEqual(['key_label', 'key_id']);
    expect(JSON.stringify(e.diagnostics) + e.message).not.toContain(PIN);
    expect(await reg.keys.list()).toEqual([]);
  });

  it('is available without throwing, for the provider (validateParameters)', () => {
    const { values, diagnostics } = validateParameters(
      'awskms',
      { kms_key: 'alias/a', key_type: 'rsa', key_bits: '1024' },
      { defaults: true, complete: true },
    );
    expect(values).toMatchObject({ kms_key: 'alias/a', key_type: 'RSA', region: 'us-east-1' });
    expect(diagnostics).toEqual([
      {
        code: 'ERR_INVALID_ARGUMENT',
        field: 'key_bits',
        message: "key_bits '1024' is not supported; allowed: 2048, 3072, 4096",
        allowed: ['2048', '3072', '4096'],
      },
    ]);
  });

  it('keeps a single problem a single error (same code, field and message as before)', async () => {
    const e = await refusal(reg.keys.create('awskms', 'one', { kms_key: 'alias/one' }));
    expect(e).toMatchObject({
      code: 'ERR_MISSING_PARAMETER',
      field: 'key_type',
      message: 'awskms managed keys need key_type',
    });
    expect(e.diagnostics).toHaveLength(1);
  });
});

describe('endpoints and files', () => {
  const aws = { kms_key: 'alias/e', key_type: 'ECDSA' };
  it.each([
    ['awskms', { ...aws, endpoint: 'http://kms.example.com' }, 'endpoint', 'set insecure=true'],
    ['awskms', { ...aws, endpoint: 'kms.example.com:443' }, 'endpoint', 'is not an http(s) URL'],
    ['awskms', { ...aws, endpoint: 'ftp://kms.example.com' }, 'endpoint', 'is not an http(s) URL'],
    [
      'azurekeyvault',
      {
        tenant_id: 't',
        vault_name: 'v',
        key_name: 'k',
        key_type: 'RSA-HSM',
        endpoint: 'http://v.example.com',
      },
      'endpoint',
      'plain http:// to a non-loopback host; use https://',
    ],
    [
      'gcpckms',
      {
        project: 'p',
        region: 'r',
        key_ring: 'k',
        crypto_key: 'c',
        algorithm: 'EC_SIGN_P256_SHA256',
        endpoint: 'kms.example.com:443',
        insecure: 'true',
      },
      'insecure',
      'only allowed with a loopback endpoint',
    ],
  ] as const)('%s %j is refused naming %s', async (type, params, field, message) => {
    const e = await refusal(reg.keys.create(type, 'ep', params));
    expect(e).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', field });
    expect(e.message).toContain(message);
    expect(await reg.keys.list()).toEqual([]);
  });

  it('accepts http:// on loopback, and elsewhere only with the explicit insecure opt-in', async () => {
    await reg.keys.create('awskms', 'ep-local', { ...aws, endpoint: 'http://127.0.0.1:4566' });
    await reg.keys.create('awskms', 'ep-opt-in', {
      ...aws,
      endpoint: 'http://kms.internal.example',
      insecure: 'true',
    });
    expect(await reg.keys.list()).toEqual(['ep-local', 'ep-opt-in']);
    const e = await rejection(reg.keys.update('ep-opt-in', { insecure: 'false' }));
    expect(e).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', field: 'endpoint' });
    for (const name of ['ep-local', 'ep-opt-in']) await reg.keys.delete(name);
  });

  it('checks ca_file at create: readable, and a PEM certificate', async () => {
    const azure = (ca_file: string) => ({
      tenant_id: 't',
      vault_name: 'v',
      key_name: 'k',
      key_type: 'RSA-HSM',
      endpoint: 'https://127.0.0.1:8443',
      ca_file,
    });
    const notPem = join(dir, 'not-a-cert.pem');
    writeFileSync(notPem, 'hello\n');
    for (const [file, message] of [
      [join(dir, 'missing.pem'), 'cannot be read (ENOENT)'],
      [notPem, 'is not a PEM certificate'],
      ['relative/ca.pem', 'must be an absolute path'],
    ] as const) {
      const e = await rejection(reg.keys.create('azurekeyvault', 'ca', azure(file)));
      expect(e).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', field: 'ca_file' });
      expect(e.message).toContain(message);
    }
    expect(await reg.keys.list()).toEqual([]);
  });
});

it('refuses a relative PKCS#11 library path (it would depend on the working directory)', async () => {
  const e = await rejection(
    reg.keys.create('pkcs11', 'rel', {
      ...HSM,
      library: './libsofthsm2.so',
      key_label: 'k',
      mechanism: '0x1041',
    }),
  );
  expect(e).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', field: 'library' });
  expect(await reg.keys.list()).toEqual([]);
});
