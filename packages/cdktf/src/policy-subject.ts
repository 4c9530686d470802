/**
 * Constructs the org key policy applies to expose their intent (what they will create, as the
 * engine's `PolicyIntent`) under this symbol, so the `KeyPolicy` Aspect needs no list of classes.
 * `Symbol.for` keeps it one symbol across duplicated installs.
 *
 * @module
 */
import type { PolicyIntent } from '@keyplane/engine/policy';

export const POLICY_SUBJECT: unique symbol = Symbol.for('@keyplane/cdktf.policyIntent') as never;

/** What a construct will create, and how an intent field (`parameters.key_bits`) maps to its props. */
export interface PolicyView {
  readonly intent: PolicyIntent;
  propOf(field: string): string;
}

export interface PolicySubject {
  /** Nothing when synth cannot know the intent (the engine enforces the policy at apply then). */
  [POLICY_SUBJECT](): PolicyView | undefined;
}

export function isPolicySubject(x: unknown): x is PolicySubject {
  return typeof x === 'object' && x !== null && POLICY_SUBJECT in x;
}
