/**
 * TEST INFRASTRUCTURE, not a Keyplane resource: a small provider ("keyplane" with resource
 * `keyplane_fixture` and data source `keyplane_fixture_lookup`) served through the REAL
 * framework and protocol, so terraform can drive the framework's resource path end to end
 * (plan modifiers, computed/sensitive/write-only attributes, nested blocks, exact numbers,
 * import, drift) before the real KMSE resources exist. Objects live in an in-memory map the
 * test can edit to simulate out-of-band changes.
 */
import {
  CtyNumber,
  objectValue,
  requiresReplace,
  types,
  useStateForUnknown,
  oneOf,
  path,
  asArray,
  type CtyObject,
  type CtyValue,
  type DataSource,
  type ProviderDefinition,
  type ResourceWithImport,
  type ResourceWithUpgradeState,
  type ResourceWithValidateConfig,
  type Schema,
} from 'terraform-provider-keyplane';

export interface FixtureObject {
  name: string;
  size: CtyNumber | null;
  labels: Readonly<Record<string, string>> | null;
  mode: string;
  revision: number;
  secretLength: number | null;
  secretVersion: CtyNumber | null;
  rules: { action: string; priority: number }[];
}

export interface FixtureBackend {
  readonly objects: Map<string, FixtureObject>;
  /** Write-only values as the resource received them (the test asserts none reach state). */
  readonly receivedSecrets: string[];
  nextId: number;
}

export function newBackend(): FixtureBackend {
  return { objects: new Map(), receivedSecrets: [], nextId: 1 };
}

const schema: Schema = {
  version: 1,
  description: 'Test fixture resource.',
  attributes: {
    id: {
      type: types.string,
      computed: true,
      description: 'Id.',
      planModifiers: [useStateForUnknown()],
    },
    name: {
      type: types.string,
      required: true,
      description: 'Name; changing it replaces the object.',
      planModifiers: [requiresReplace()],
    },
    size: { type: types.number, optional: true, description: 'Any number, kept exactly.' },
    labels: { type: types.map(types.string), optional: true, description: 'Labels.' },
    mode: {
      type: types.string,
      optional: true,
      computed: true,
      default: 'standard',
      description: 'Mode.',
      validators: [oneOf('standard', 'strict')],
    },
    revision: { type: types.number, computed: true, description: 'Increments on every update.' },
    secret_wo: {
      type: types.string,
      optional: true,
      writeOnly: true,
      description: 'A write-only secret.',
    },
    secret_wo_version: {
      type: types.number,
      optional: true,
      description: 'Bump to send secret_wo again.',
    },
    secret_length: {
      type: types.number,
      computed: true,
      description: 'Length of the last secret received.',
    },
  },
  blocks: {
    rule: {
      nesting: 'list',
      block: {
        attributes: {
          action: {
            type: types.string,
            required: true,
            description: 'Action.',
            validators: [oneOf('allow', 'deny')],
          },
          priority: {
            type: types.number,
            computed: true,
            description: 'Position, assigned by the backend.',
          },
        },
      },
    },
  },
};

const num = (v: CtyValue): CtyNumber | null => (v instanceof CtyNumber ? v : null);
const str = (v: CtyValue): string | null => (typeof v === 'string' ? v : null);

function toState(id: string, o: FixtureObject): CtyObject {
  return objectValue([
    ['id', id],
    ['name', o.name],
    ['size', o.size],
    ['labels', o.labels === null ? null : objectValue(Object.entries(o.labels))],
    ['mode', o.mode],
    ['revision', CtyNumber.of(o.revision)],
    ['secret_wo', null],
    ['secret_wo_version', o.secretVersion],
    ['secret_length', o.secretLength === null ? null : CtyNumber.of(o.secretLength)],
    [
      'rule',
      o.rules.map((r) =>
        objectValue([
          ['action', r.action],
          ['priority', CtyNumber.of(r.priority)],
        ]),
      ),
    ],
  ]);
}

function fromPlan(
  plan: CtyObject,
  config: CtyObject,
  previous: FixtureObject | undefined,
  backend: FixtureBackend,
): FixtureObject {
  const labels = plan.labels;
  const secret = str(config.secret_wo ?? null);
  if (secret !== null) backend.receivedSecrets.push(secret);
  return {
    name: str(plan.name ?? null) ?? '',
    size: num(plan.size ?? null),
    labels:
      labels === null || labels === undefined
        ? null
        : Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])),
    mode: str(plan.mode ?? null) ?? 'standard',
    revision: (previous?.revision ?? 0) + 1,
    secretVersion: num(plan.secret_wo_version ?? null),
    secretLength: secret !== null ? secret.length : (previous?.secretLength ?? null),
    rules: (asArray(plan.rule ?? null) ?? []).map((r, i) => ({
      action: str((r as CtyObject).action ?? null) ?? '',
      priority: (i + 1) * 10,
    })),
  };
}

export function fixtureResource(backend: FixtureBackend) {
  return {
    typeName: 'keyplane_fixture',
    schema,
    stateUpgraders: {
      // Version 0 stored `size` as a string attribute named `size_text`.
      0: {
        upgrade(req, resp) {
          const raw = req.rawJson as Record<string, unknown>;
          const sizeText = raw.size_text;
          const id = String(raw.id);
          const o = backend.objects.get(id);
          resp.state =
            o === undefined
              ? null
              : {
                  ...toState(id, o),
                  size: typeof sizeText === 'string' ? CtyNumber.of(sizeText) : null,
                };
        },
      },
    },
    validateConfig(req, resp) {
      const rules = asArray(req.config.rule ?? null) ?? [];
      if (rules.length > 3)
        resp.diagnostics.error(
          'Too many rules',
          'A fixture holds at most 3 rules.',
          path.root('rule'),
        );
    },
    async create(req, resp) {
      await Promise.resolve();
      const id = `fx-${String(backend.nextId++)}`;
      const o = fromPlan(req.plan, req.config, undefined, backend);
      backend.objects.set(id, o);
      resp.state = toState(id, o);
    },
    async read(req, resp) {
      await Promise.resolve();
      const id = str(req.state.id ?? null) ?? '';
      const o = backend.objects.get(id);
      resp.state = o === undefined ? null : toState(id, o);
    },
    async update(req, resp) {
      await Promise.resolve();
      const id = str(req.state.id ?? null) ?? '';
      const previous = backend.objects.get(id);
      const o = fromPlan(req.plan, req.config, previous, backend);
      backend.objects.set(id, o);
      resp.state = toState(id, o);
    },
    async delete(req) {
      await Promise.resolve();
      backend.objects.delete(str(req.state.id ?? null) ?? '');
    },
    async importState(req, resp) {
      await Promise.resolve();
      if (!backend.objects.has(req.id)) {
        resp.diagnostics.error('Cannot import', `no fixture object "${req.id}"`);
        return;
      }
      resp.state = { id: req.id, rule: [] };
    },
  } satisfies ResourceWithImport & ResourceWithValidateConfig & ResourceWithUpgradeState;
}

export function fixtureLookup(backend: FixtureBackend): DataSource {
  return {
    typeName: 'keyplane_fixture_lookup',
    schema: {
      description: 'Test fixture data source.',
      attributes: {
        id: { type: types.string, required: true, description: 'Id.' },
        name: { type: types.string, computed: true, description: 'Name.' },
      },
    },
    async read(req, resp) {
      await Promise.resolve();
      const id = str(req.config.id ?? null) ?? '';
      const o = backend.objects.get(id);
      if (o === undefined) {
        resp.diagnostics.error('Not found', `no fixture object "${id}"`, path.root('id'));
        return;
      }
      resp.state = objectValue([
        ['id', id],
        ['name', o.name],
      ]);
    },
  };
}

export function fixtureProvider(
  backend: FixtureBackend,
  extra: Partial<ProviderDefinition<undefined>> = {},
): ProviderDefinition<undefined> {
  return {
    typeName: 'keyplane',
    version: '0.0.0-fixture',
    schema: { attributes: {} },
    configure: () => Promise.resolve(undefined),
    resources: [fixtureResource(backend)],
    dataSources: [fixtureLookup(backend)],
    functions: [],
    ...extra,
  };
}
