/**
 * Provider-defined functions (protocol 6.5+, Terraform >= 1.8): `provider::keyplane::<name>(…)`.
 * A function is pure: typed parameters in, one typed result out. A failure is a
 * {@link FunctionError}, reported to Terraform as the call's FunctionError naming the argument.
 *
 * @module
 */
import type { CtyType } from '../protocol/cty/types';
import type { CtyValue } from '../protocol/cty/values';

export interface FunctionParameter {
  readonly name: string;
  readonly type: CtyType;
  readonly description: string;
  readonly allowNull?: boolean;
  readonly allowUnknown?: boolean;
}

export interface ProviderFunction {
  readonly name: string;
  readonly summary: string;
  /** Markdown. */
  readonly description: string;
  readonly parameters: readonly FunctionParameter[];
  readonly variadicParameter?: FunctionParameter;
  readonly returnType: CtyType;
  run(args: readonly CtyValue[]): CtyValue;
}

export class FunctionError extends Error {
  constructor(
    message: string,
    /** Index of the argument at fault. */
    readonly argument?: number,
  ) {
    super(message);
    this.name = 'FunctionError';
  }
}
