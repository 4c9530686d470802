/**
 * What the `kms` and `key` lifecycle commands share: a KeyClient + KmsConnectionClient over the
 * configured store and namespace, enforcing the org key policy (`--policy FILE`, else
 * $KEYPLANE_POLICY: the document the provider's `policy` and `keyplane policy check` take), and
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
  type Policy,
} from '@keyplane/engine/policy';
import { UsageError, type CommandContext, type OptionSpec } from '../command';
import { readFileArg } from '../files';
import { withStore } from '../managed-context';

export const POLICY_OPTION: OptionSpec = {
  name: 'policy',
  type: 'string',
  valueName: 'file',
  description: `Key policy document (JSON) every create / update / distribute must satisfy (default $${POLICY_ENV}; none: only the compatibility tables apply).`,
};

/** The policy named by --policy or $KEYPLANE_POLICY; a broken document is a usage error (exit 2). */
function loadPolicy(values: CommandContext['values']): Policy | undefined {
  const option = typeof values.policy === 'string' ? values.policy : undefined;
  const file = option ?? process.env[POLICY_ENV];
  if (file === undefined || file === '') return undefined;
  const source = option === undefined ? `$${POLICY_ENV} ` : '--policy ';
  try {
    return parsePolicyJson(readFileArg(source, file).toString('utf8'));
  } catch (e) {
    if (!(e instanceof PolicyDocumentError)) throw e;
    throw new UsageError(`${source}${file}: ${e.message}`, '--policy');
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
