/**
 * Planning and applying through the framework with the fixture resource, by direct handler
 * calls: computed values unknown on create, defaults, write-only values never planned or stored,
 * use-state-for-unknown, requires-replace only on a real change, state upgrades by version,
 * and StopProvider reaching the resource as an aborted signal.
 */
import {
  CtyNumber,
  Unknown,
  asObject,
  objectValue,
  types,
  type CtyObject,
  type ProviderDefinition,
  type Resource,
} from 'terraform-provider-keyplane';
import { fixtureProvider, fixtureResource, newBackend } from '../support/fixture-provider';
import { NO_PRIVATE, diagText, direct, dv, undv } from '../support/direct';

const backend = newBackend();
const resource = fixtureResource(backend);
const { schema } = resource;
const { server } = direct(fixtureProvider(backend));

function config(over: Record<string, unknown> = {}): CtyObject {
  return objectValue(
    Object.entries({
      id: null,
      name: 'one',
      size: CtyNumber.of('12345678901234567890'),
      labels: null,
      mode: null,
      revision: null,
      secret_wo: 's3cret',
      secret_wo_version: CtyNumber.of(1),
      secret_length: null,
      rule: [
        objectValue([
          ['action', 'allow'],
          ['priority', null],
        ]),
      ],
      ...over,
    }) as [string, never][],
  );
}

async function plan(
  prior: CtyObject | null,
  cfg: CtyObject,
  proposed: CtyObject = cfg,
  writeOnlyAllowed = true,
) {
  const r = await server.PlanResourceChange({
    typeName: 'keyplane_fixture',
    priorState: dv(schema, prior),
    proposedNewState: dv(schema, proposed),
    config: dv(schema, cfg),
    priorPrivate: NO_PRIVATE,
    clientCapabilities: { writeOnlyAttributesAllowed: writeOnlyAllowed },
  });
  return {
    planned: asObject(undv(schema, r.plannedState) ?? null),
    replace: r.requiresReplace,
    diags: diagText(r.diagnostics),
  };
}

async function apply(prior: CtyObject | null, planned: CtyObject | null, cfg: CtyObject) {
  const r = await server.ApplyResourceChange({
    typeName: 'keyplane_fixture',
    priorState: dv(schema, prior),
    plannedState: dv(schema, planned),
    config: dv(schema, cfg),
    plannedPrivate: NO_PRIVATE,
  });
  return { state: asObject(undv(schema, r.newState) ?? null), diags: diagText(r.diagnostics) };
}

let created: CtyObject;

it('plans a create: computed unknown, default applied, write-only null', async () => {
  const { planned, diags } = await plan(null, config());
  expect(diags).toEqual([]);
  expect(planned?.id).toBeInstanceOf(Unknown);
  expect(planned?.revision).toBeInstanceOf(Unknown);
  expect(planned?.mode).toBe('standard');
  expect(planned?.secret_wo).toBeNull();
  expect(planned?.size).toEqual(CtyNumber.of('12345678901234567890'));
});

it('refuses a write-only value from a Terraform that cannot keep it out of state', async () => {
  const { diags, planned } = await plan(null, config(), config(), false);
  expect(diags).toEqual([
    'secret_wo: Write-only attribute needs Terraform 1.11 or later: secret_wo is write-only: this Terraform cannot keep it out of plan and state. Upgrade to Terraform >= 1.11.',
  ]);
  expect(planned).toBeUndefined();
});

it('applies a create: the resource sees the write-only value, state never holds it', async () => {
  const { planned } = await plan(null, config());
  const { state, diags } = await apply(null, planned ?? null, config());
  expect(diags).toEqual([]);
  expect(backend.receivedSecrets).toContain('s3cret');
  expect(state?.secret_wo).toBeNull();
  expect(state?.secret_length).toEqual(CtyNumber.of(6));
  created = state as CtyObject;
});

it('plans no change as no change, and an update keeping the id but recomputing revision', async () => {
  const same = {
    ...created,
    secret_wo: 's3cret',
    mode: null,
    revision: null,
    secret_length: null,
    id: null,
  };
  const noop = await plan(created, objectValue(Object.entries(same)), created);
  expect(noop.planned?.revision).toEqual(created.revision);
  const cfg = objectValue(Object.entries({ ...same, labels: objectValue([['env', 'prod']]) }));
  const proposed = objectValue(
    Object.entries({ ...created, labels: objectValue([['env', 'prod']]) }),
  );
  const upd = await plan(created, cfg, proposed);
  expect(upd.planned?.id).toBe(created.id);
  expect(upd.planned?.revision).toBeInstanceOf(Unknown);
  expect(upd.replace).toEqual([]);
});

it('asks for replacement only when name really changes', async () => {
  const cfg = objectValue(
    Object.entries({
      ...created,
      id: null,
      revision: null,
      mode: null,
      secret_length: null,
      name: 'two',
    }),
  );
  const r = await plan(created, cfg, objectValue(Object.entries({ ...created, name: 'two' })));
  expect(r.replace).toEqual([{ steps: [{ attributeName: 'name' }] }]);
});

it('upgrades stored state: same version as is, an older one through its upgrader, a newer one refused', async () => {
  const json = (o: object) => ({ json: Buffer.from(JSON.stringify(o)) });
  const id = created.id as string;
  const same = await server.UpgradeResourceState({
    typeName: 'keyplane_fixture',
    version: 1,
    rawState: {
      json: Buffer.from(`{"id":"${id}","name":"one","size":12345678901234567890,"rule":[]}`),
    },
  });
  expect(asObject(undv(schema, same.upgradedState) ?? null)?.size).toEqual(
    CtyNumber.of('12345678901234567890'),
  );
  const old = await server.UpgradeResourceState({
    typeName: 'keyplane_fixture',
    version: 0,
    rawState: json({ id, name: 'one', size_text: '77' }),
  });
  expect(diagText(old.diagnostics)).toEqual([]);
  expect(asObject(undv(schema, old.upgradedState) ?? null)?.size).toEqual(CtyNumber.of(77));
  const newer = await server.UpgradeResourceState({
    typeName: 'keyplane_fixture',
    version: 5,
    rawState: json({ id }),
  });
  expect(diagText(newer.diagnostics).join('')).toContain('state written by a newer provider');
});

it('StopProvider aborts the signal an in-flight create holds, and the create reports it', async () => {
  let started: () => void = () => undefined;
  const startedP = new Promise<void>((r) => (started = r));
  const slow: Resource = {
    typeName: 'keyplane_slow',
    schema: { attributes: { id: { type: types.string, computed: true, description: 'id' } } },
    create: (req) =>
      new Promise((_resolve, reject) => {
        started();
        req.signal.addEventListener('abort', () => {
          reject(new Error(`cancelled: ${(req.signal.reason as Error).message}`));
        });
      }),
    read: () => Promise.resolve(),
    update: () => Promise.resolve(),
    delete: () => Promise.resolve(),
  };
  const def: ProviderDefinition<undefined> = {
    ...fixtureProvider(newBackend()),
    resources: [slow],
  };
  const d = direct(def);
  const s = slow.schema;
  const applying = d.server.ApplyResourceChange({
    typeName: 'keyplane_slow',
    priorState: dv(s, null),
    plannedState: dv(s, objectValue([['id', new Unknown()]])),
    config: dv(s, objectValue([['id', null]])),
    plannedPrivate: NO_PRIVATE,
  });
  await startedP;
  await expect(d.server.StopProvider({})).resolves.toEqual({ Error: '' });
  const r = await applying;
  expect(diagText(r.diagnostics)).toEqual([
    'Creating keyplane_slow failed: cancelled: Terraform asked the provider to stop (interrupt)',
  ]);
  expect(undv(s, r.newState)).toBeNull();
});
