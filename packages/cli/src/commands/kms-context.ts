/**
 * What the `kms` and `key` lifecycle commands share: a KeyClient + KmsConnectionClient over the
 * configured store and namespace, enforcing the org key policy (`--policy`, else $KEYPLANE_POLICY:
 * inline JSON or a JSON file, the same forms as the provider's `policy` and $KEYPLANE_POLICY;
 * the document `keyplane policy check` takes), and
 * turning `name=value` parameters into their inputs (typed usage errors naming the parameter and
 * the allowed names).
 *
 * @module
 */
import {
  CONNECTION_OPTIONS,
  KeyClient,
  KmsConnectionClient,
  LifecycleContext,
} from '@keyplane/engine';
import {
  parsePolicyJson,
  POLICY_ENV,
  PolicyDocumentError,
  policySource,
  policySourceFromEnv,
  type Policy,
} from '@keyplane/engine/policy';
import { UsageError, type CommandContext, type OptionSpec } from '../command';
import { readFileArg } from '../files';
import { withStore } from '../managed-context';

export const POLICY_OPTION: OptionSpec = {
  name: 'policy',
  type: 'string',
  valueName: 'file|json',
  description: `Key policy document every create / update / distribute must satisfy: a JSON file, or inline JSON ({…}) (default $${POLICY_ENV}, in the same forms; none: only the compatibility tables apply).`,
};

/**
 * The policy given by --policy, else $KEYPLANE_POLICY (inline JSON or a file, decided by the
 * engine's policySource as for the provider); a broken document is a usage error (exit 2).
 */
function loadPolicy(values: CommandContext['values']): Policy | undefined {
  const option = typeof values.policy === 'string' ? values.policy : undefined;
  const source =
    option === undefined || option === '' ? policySourceFromEnv() : policySource(option);
  if (source === undefined) return undefined;
  const label = option === undefined || option === '' ? `$${POLICY_ENV}` : '--policy';
  const named = source.kind === 'inline' ? `${label} (inline JSON)` : `${label} ${source.path}`;
  const text =
    source.kind === 'inline' ? source.text : readFileArg(`${label} `, source.path).toString('utf8');
  try {
    return parsePolicyJson(text);
  } catch (e) {
    if (!(e instanceof PolicyDocumentError)) throw e;
    throw new UsageError(`${named}: ${e.message}`, '--policy');
  }
}

export interface Lifecycle {
  readonly keys: KeyClient;
  readonly kms: KmsConnectionClient;
}

export async function withLifecycle<T>(
  ctx: Pick<CommandContext, 'values' | 'stderr'>,
  fn: (lifecycle: Lifecycle) => Promise<T>,
): Promise<T> {
  const namespace = ctx.values.namespace;
  // Before the store opens: a broken policy stops the command before anything is touched.
  const policy = loadPolicy(ctx.values);
  return await withStore(
    async (store) => {
      const context = new LifecycleContext({
        store,
        ...(typeof namespace === 'string' ? { namespace } : {}),
        ...(policy === undefined ? {} : { policy }),
      });
      try {
        return await fn({ keys: new KeyClient(context), kms: new KmsConnectionClient(context) });
      } finally {
        await context.close();
      }
    },
    { stderr: ctx.stderr },
  );
}

/** Refuses parameters outside `allowed` (credentials.* always allowed where `credentials` is). */
export function checkParams(
  params: Readonly<Record<string, string>>,
  allowed: readonly string[],
): void {
  for (const name of Object.keys(params)) {
    const base = name.includes('.') ? name.slice(0, name.indexOf('.')) : name;
    if (!allowed.includes(name) && !(name.includes('.') && allowed.includes(base))) {
      throw new UsageError(`unknown parameter ${name}; allowed: ${allowed.join(', ')}`, name);
    }
  }
}

export const KMS_PARAMS = ['provider', 'key_collection', 'credentials', ...CONNECTION_OPTIONS];

export function connectionInput(params: Readonly<Record<string, string>>) {
  checkParams(params, KMS_PARAMS);
  const credentials = Object.fromEntries(
    Object.entries(params)
      .filter(([k]) => k.startsWith('credentials.'))
      .map(([k, v]) => [k.slice('credentials.'.length), v]),
  );
  const options = Object.fromEntries(
    Object.entries(params).filter(([k]) => CONNECTION_OPTIONS.includes(k)),
  );
  return {
    provider: params.provider,
    key_collection: params.key_collection,
    options,
    ...(Object.keys(credentials).length === 0 ? {} : { credentials }),
  };
}

export function booleanParam(
  params: Readonly<Record<string, string>>,
  name: string,
): boolean | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new UsageError(`${name} must be true or false`, name);
}

export function integerParam(
  params: Readonly<Record<string, string>>,
  name: string,
): number | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`${name} must be a whole number`, name);
  return Number(v);
}
