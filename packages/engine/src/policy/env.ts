/**
 * Where a policy document comes from when none is given explicitly, and how a setting names it:
 * the CLI (`--policy`, $KEYPLANE_POLICY) and the provider (`policy`, $KEYPLANE_POLICY) take the
 * same two forms, decided here once.
 *
 * @module
 */
import { ENV_VARIABLES, readEnv } from '../env';

/**
 * The environment variable naming the policy document (inline JSON or a JSON file) when neither
 * the CLI's `--policy` nor the provider's `policy` is set. One name and one meaning for both, so
 * a CI job that sets it gets the same rules from `keyplane key …` and from `terraform plan/apply`.
 */
export const POLICY_ENV = ENV_VARIABLES.policy.name;

/** A policy setting: the document itself, or the path of a file holding it. */
export type PolicySource =
  | { readonly kind: 'inline'; readonly text: string }
  | { readonly kind: 'file'; readonly path: string };

/**
 * A setting that starts with `{` (after whitespace) is an inline JSON document — a file path
 * never does in practice, and a JSON policy always does; anything else is a file path (relative
 * to the working directory).
 */
export function policySource(value: string): PolicySource {
  return value.trimStart().startsWith('{')
    ? { kind: 'inline', text: value }
    : { kind: 'file', path: value };
}

/** $KEYPLANE_POLICY as a {@link PolicySource}; undefined when it is unset or empty. */
export function policySourceFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): PolicySource | undefined {
  const value = readEnv(ENV_VARIABLES.policy, env);
  return value === undefined ? undefined : policySource(value);
}
