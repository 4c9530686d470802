/**
 * The plan/apply consistency checks (Terraform's plan_valid.go / compatible.go rules) catch
 * each kind of provider bug, and a buggy resource yields our diagnostic naming the attribute
 * (or, in strict test mode, a thrown error) — never Terraform's "inconsistent result".
 */
import {
  CtyNumber,
  Unknown,
  assertObjectCompatible,
  assertPlanValid,
  objectValue,
  types,
  type ProviderDefinition,
  type Resource,
  type Schema,
} from 'terraform-provider-keyplane';
import { NO_PRIVATE, diagText, direct, dv } from '../support/direct';

const schema: Schema = {
  attributes: {
    name: { type: types.string, required: true, description: 'n' },
    note: { type: types.string, optional: true, description: 'o' },
    arn: { type: types.string, computed: true, description: 'c' },
    size: { type: types.number, optional: true, computed: true, description: 'oc' },
    secret_wo: { type: types.string, optional: true, writeOnly: true, description: 'w' },
  },
  blocks: {
    rule: {
      nesting: 'list',
      block: { attributes: { x: { type: types.string, optional: true, description: 'x' } } },
    },
  },
};
const obj = (o: Record<string, unknown>) =>
  objectValue(
    Object.entries({
      name: null,
      note: null,
      arn: null,
      size: null,
      secret_wo: null,
      rule: [],
      ...o,
    }) as [string, never][],
  );
const messages = (vs: readonly { message: string }[]) => vs.map((v) => v.message);

describe('assertPlanValid', () => {
  const config = obj({ name: 'a', size: CtyNumber.of(3), secret_wo: 's' });
  it('accepts a correct plan', () => {
    expect(
      assertPlanValid(
        schema,
        undefined,
        config,
        obj({ name: 'a', size: CtyNumber.of(3), arn: new Unknown() }),
      ),
    ).toEqual([]);
  });
  it('refuses each rule break with its path', () => {
    expect(
      messages(
        assertPlanValid(schema, undefined, config, obj({ name: 'b', size: CtyNumber.of(3) })),
      ),
    ).toEqual(['name: planned value "b" does not match config value "a"']);
    expect(
      messages(
        assertPlanValid(
          schema,
          undefined,
          config,
          obj({ name: 'a', note: 'x', size: CtyNumber.of(3) }),
        ),
      ),
    ).toEqual(['note: planned value "x" for a non-computed attribute']);
    expect(
      messages(
        assertPlanValid(schema, undefined, config, obj({ name: 'a', size: CtyNumber.of(4) })),
      ),
    ).toEqual(['size: planned value 4 does not match config value 3 nor prior value null']);
    expect(
      messages(
        assertPlanValid(
          schema,
          undefined,
          config,
          obj({ name: 'a', size: CtyNumber.of(3), secret_wo: 's' }),
        ),
      ),
    ).toEqual(['secret_wo: planned a value for a write-only attribute']);
    expect(
      messages(
        assertPlanValid(
          schema,
          undefined,
          config,
          obj({ name: 'a', size: CtyNumber.of(3), rule: [objectValue([['x', null]])] }),
        ),
      ),
    ).toEqual(['rule: planned 1 blocks, config has 0']);
  });
});

describe('assertObjectCompatible', () => {
  const planned = obj({
    name: 'a',
    arn: new Unknown({ notNull: true, stringPrefix: 'arn:' }),
    size: CtyNumber.of(3),
  });
  it('accepts an apply result that keeps known values and fills unknowns', () => {
    expect(
      assertObjectCompatible(
        schema,
        planned,
        obj({ name: 'a', arn: 'arn:1', size: CtyNumber.of(3) }),
      ),
    ).toEqual([]);
  });
  it('refuses changed known values, unfilled unknowns, broken refinements and write-only values', () => {
    expect(
      messages(
        assertObjectCompatible(
          schema,
          planned,
          obj({ name: 'a2', arn: 'arn:1', size: CtyNumber.of(3) }),
        ),
      ),
    ).toEqual(['name: was "a", but now "a2"']);
    expect(
      messages(
        assertObjectCompatible(
          schema,
          planned,
          obj({ name: 'a', arn: new Unknown(), size: CtyNumber.of(3) }),
        ),
      ),
    ).toEqual(['arn: unknown value after apply']);
    expect(
      messages(
        assertObjectCompatible(
          schema,
          planned,
          obj({ name: 'a', arn: null, size: CtyNumber.of(3) }),
        ),
      ),
    ).toEqual(['arn: was planned as not null, but now null']);
    expect(
      messages(
        assertObjectCompatible(
          schema,
          planned,
          obj({ name: 'a', arn: 'x:1', size: CtyNumber.of(3) }),
        ),
      ),
    ).toEqual(['arn: was planned with prefix "arn:", but now "x:1"']);
    expect(
      messages(
        assertObjectCompatible(
          schema,
          planned,
          obj({ name: 'a', arn: 'arn:1', size: CtyNumber.of(3), secret_wo: 'leak' }),
        ),
      ),
    ).toEqual(['secret_wo: returned a value for a write-only attribute']);
  });
});

describe('a resource that normalizes a value on apply', () => {
  const buggy: Resource = {
    typeName: 'keyplane_buggy',
    schema,
    create: (req, resp) => {
      resp.state = objectValue(
        Object.entries({
          ...req.plan,
          name: (req.plan.name as string).toUpperCase(),
          arn: 'arn:1',
        }),
      );
      return Promise.resolve();
    },
    read: () => Promise.resolve(),
    update: () => Promise.resolve(),
    delete: () => Promise.resolve(),
  };
  const def: ProviderDefinition<undefined> = {
    typeName: 'keyplane',
    version: '0',
    schema: { attributes: {} },
    configure: () => Promise.resolve(undefined),
    resources: [buggy],
    dataSources: [],
    functions: [],
  };
  const request = {
    typeName: 'keyplane_buggy',
    priorState: dv(schema, null),
    plannedState: dv(schema, obj({ name: 'a', arn: new Unknown(), size: new Unknown() })),
    config: dv(schema, obj({ name: 'a' })),
    plannedPrivate: NO_PRIVATE,
  };

  it('gets our diagnostic on the attribute instead of an invalid result', async () => {
    const r = await direct(def, false).server.ApplyResourceChange(request);
    const text = diagText(r.diagnostics);
    expect(text[0]).toMatch(
      /^name: Provider produced an inconsistent result after apply: name: was "a", but now "A"/,
    );
    expect(text.join('\n')).toContain('size: unknown value after apply');
  });

  it('fails loudly under test (strict mode)', async () => {
    await expect(direct(def, true).server.ApplyResourceChange(request)).rejects.toThrow(
      'Provider produced an inconsistent result after apply (keyplane_buggy): name: was "a", but now "A"',
    );
  });
});
