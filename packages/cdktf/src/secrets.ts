/**
 * Secrets reach Terraform only as write-only attributes (`pin_wo`, Terraform >= 1.11) fed by
 * sensitive variables without a default: the synthesized JSON then holds `${var.…}`, never the secret. A literal
 * (or a variable not marked sensitive, whose value plan output would show) is refused at synth,
 * without echoing it.
 *
 * @module
 */
import { TerraformVariable } from 'cdktf';
import type { ConstructProblem } from './errors';

/** A secret prop's value: a `TerraformVariable` declared with `sensitive: true`. */
export type SecretVariable = TerraformVariable;

/** The refusal for a secret prop that is not a sensitive TerraformVariable, else undefined. */
export function secretProblem(prop: string, value: unknown): ConstructProblem | undefined {
  const what = !(value instanceof TerraformVariable)
    ? 'a literal value would be written into the synthesized configuration'
    : value.sensitive !== true
      ? `the variable '${value.node.id}' is not sensitive`
      : value.default !== undefined
        ? `the variable '${value.node.id}' has a default, which is written into the synthesized configuration`
        : undefined;
  if (what === undefined) return undefined;
  return {
    code: 'ERR_INVALID_ARGUMENT',
    prop,
    message:
      `${prop} must be a TerraformVariable with sensitive: true (${what}); ` +
      'it is sent as a write-only attribute and never stored in state',
  };
}
