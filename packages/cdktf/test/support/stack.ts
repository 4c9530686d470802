/** A fresh stack per test, and the refusal a construct threw (for code/prop assertions). */
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
// The matchers' types (toHaveResourceWithProperties …) on jest's expect; erased at run time.
import type {} from 'cdktf/lib/testing/adapters/jest';
import type { ConstructValidationError } from '@keyplane/cdktf';
import { isConstructValidationError } from '@keyplane/cdktf';

Testing.setupJest();

export function newStack(): TerraformStack {
  return new TerraformStack(Testing.app(), 'keys');
}

/** A sensitive variable (no default: its value comes from TF_VAR_… at plan/apply). */
export function secret(stack: TerraformStack, id: string): TerraformVariable {
  return new TerraformVariable(stack, id, { type: 'string', sensitive: true });
}

/** The ConstructValidationError `build` throws; fails the test when it throws nothing else. */
export function refusal(build: () => unknown): ConstructValidationError {
  try {
    build();
  } catch (e) {
    if (isConstructValidationError(e)) return e;
    throw e;
  }
  throw new Error('expected a ConstructValidationError, nothing was thrown');
}
