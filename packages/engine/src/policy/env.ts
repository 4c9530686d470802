/**
 * Where a policy document comes from when none is given explicitly.
 *
 * @module
 */

/**
 * The environment variable naming the policy document (a JSON file, or for the provider also an
 * inline document) when neither the CLI's `--policy` nor the provider's `policy` is set. One
 * name for both, so a CI job that sets it gets the same rules from `keyplane key …` and from
 * `terraform plan/apply`.
 */
export const POLICY_ENV = 'KEYPLANE_POLICY';
