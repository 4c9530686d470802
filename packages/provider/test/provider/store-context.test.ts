/**
 * ConfigureProvider with the real context factory: the seal is opened and the store (a real
 * SQLite file) unsealed with it, or the provider refuses with a diagnostic on the attribute at
 * fault. Also: keyplane_managed_key validation at plan time with attribute paths, and
 * StopProvider stopping engine work before anything is created.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, PassphraseSeal } from '@keyplane/engine';
import {
  CtyNumber,
  UNKNOWN,
  keyplaneProvider,
  objectValue,
  type CtyValue,
} from 'terraform-provider-keyplane';
import { providerSchema } from '../../src/provider/schema';
import { managedKeyResource } from '../../src/resources/managed-key';
import { diagText, direct, dv, NO_PRIVATE } from '../support/direct';

const PW = 'context test passphrase';
const dir = mkdtempSync(join(tmpdir(), 'kp-ctx-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function providerBlock(o: Record<string, CtyValue>) {
  return objectValue(
    Object.entries({
      store: null,
      namespace: null,
      policy: null,
      seal: null,
      endpoint: null,
      ...o,
    }),
  );
}
const seal = (o: Record<string, CtyValue>) =>
  objectValue(Object.entries({ type: 'passphrase', passphrase: null, parameters: null, ...o }));

async function configured(config: CtyValue, env: NodeJS.ProcessEnv = {}) {
  const d = direct(keyplaneProvider({ env, cwd: dir }));
  const r = await d.server.ConfigureProvider({
    terraformVersion: '1.11.4',
    config: dv(providerSchema, config),
    clientCapabilities: { writeOnlyAttributesAllowed: true },
  });
  return { ...d, diags: diagText(r.diagnostics) };
}

const schema = managedKeyResource.schema;
function managedKey(o: Record<string, CtyValue>) {
  const all = Object.fromEntries(Object.keys(schema.attributes).map((k) => [k, null]));
  return objectValue(Object.entries({ ...all, ...o }));
}

it('opens and initializes the store with the configured seal; a wrong passphrase is refused on seal.passphrase', async () => {
  const store = join(dir, 'a.db');
  const first = await configured(providerBlock({ store }), {
    KEYPLANE_SEAL_PASSPHRASE: 'right passphrase',
  });
  expect(first.diags).toEqual([]);
  // The file is a real sealed store: the engine opens it with the same passphrase.
  const reopened = await openStore(store, {
    seal: new PassphraseSeal('right passphrase'),
    init: false,
  });
  expect((await reopened.status()).sealType).toBe('passphrase');
  await reopened.close();

  const wrong = await configured(
    providerBlock({ store, seal: seal({ passphrase: 'wrong passphrase!' }) }),
  );
  expect(wrong.diags).toEqual([
    expect.stringMatching(/^seal\.passphrase: No usable seal: .*cannot unseal.*\[ERR_SEAL\]$/),
  ]);
  expect(wrong.diags.join('') + wrong.logs.join('')).not.toContain('wrong passphrase!');
});

it('names the bad seal parameter, and an unusable store path on store', async () => {
  const bad = await configured(
    providerBlock({
      store: join(dir, 'b.db'),
      seal: seal({ type: 'pkcs11', parameters: objectValue([['bogus', 'x']]) }),
    }),
  );
  expect(bad.diags).toEqual([
    expect.stringMatching(/^seal\.parameters\["bogus"\]: No usable seal: .*library/),
  ]);
  writeFileSync(join(dir, 'a-file'), '');
  const store = await configured(providerBlock({ store: join(dir, 'a-file', 'x.db') }), {
    KEYPLANE_SEAL_PASSPHRASE: PW,
  });
  expect(store.diags).toEqual([
    expect.stringMatching(/^store: Cannot open the Keyplane store: .*a-file is not a directory/),
  ]);
});

it('validates managed-key parameters at plan, each on its attribute with the allowed values', async () => {
  const { server } = await configured(providerBlock({ store: join(dir, 'c.db') }), {
    KEYPLANE_SEAL_PASSPHRASE: PW,
  });
  const validate = async (o: Record<string, CtyValue>) =>
    diagText(
      (
        await server.ValidateResourceConfig({
          typeName: 'keyplane_managed_key',
          config: dv(schema, managedKey({ name: 'k', type: 'pkcs11', ...o })),
        })
      ).diagnostics,
    );
  const base = { library: '/x.so', key_label: 'k', mechanism: '0x1041', token_label: 't' };
  expect(await validate({ ...base, pin_wo: 'p', region: 'eu-west-1' })).toEqual([
    expect.stringMatching(
      /^region: Parameter not accepted for this type: region is not a parameter of pkcs11 managed keys; pkcs11 accepts: .*pin_wo/,
    ),
  ]);
  expect(await validate({ ...base, pin_wo: 'p', curve: 'p256' })).toEqual([
    'curve: Invalid attribute value: curve must be one of: P256, P384, P521; got "p256" (write "P256")',
  ]);
  // Every problem at once, each on its own attribute.
  expect(
    await validate({
      ...base,
      pin_wo: 'p',
      key_bits: CtyNumber.of(1024),
      max_parallel: CtyNumber.of(0),
    }),
  ).toEqual([
    expect.stringMatching(/^key_bits: Invalid managed key parameters: .*2048, 3072, 4096/),
    expect.stringMatching(/^max_parallel: Invalid managed key parameters: /),
  ]);
  expect(await validate(base)).toEqual([
    expect.stringMatching(/^pin_wo: Invalid managed key parameters: pkcs11 managed keys need pin/),
  ]);
  // A value still unknown (another resource's output) counts as given until apply.
  expect(await validate({ ...base, pin_wo: UNKNOWN })).toEqual([]);
});

it('StopProvider: a create after it stops before touching the store', async () => {
  const store = join(dir, 'd.db');
  const { server } = await configured(providerBlock({ store }), { KEYPLANE_SEAL_PASSPHRASE: PW });
  await server.StopProvider({});
  const planned = managedKey({
    name: 'k',
    type: 'pkcs11',
    library: '/x.so',
    key_label: 'k',
    mechanism: '0x1041',
    token_label: 't',
    test_sign: true,
    key_version: UNKNOWN,
    id: UNKNOWN,
    uuid: UNKNOWN,
  });
  const r = await server.ApplyResourceChange({
    typeName: 'keyplane_managed_key',
    priorState: null,
    plannedState: dv(schema, planned),
    config: dv(schema, managedKey({ ...planned, pin_wo: 'p' })),
    plannedPrivate: NO_PRIVATE,
  });
  expect(diagText(r.diagnostics)).toEqual([expect.stringMatching(/interrupted.*\[ERR_STOPPED\]/)]);
  const reopened = await openStore(store, { seal: new PassphraseSeal(PW), init: false });
  expect(await reopened.list('managed_key')).toEqual([]);
  await reopened.close();
});
