/**
 * Org key policy as code: a versioned JSON document (schema published with the package), one pure
 * `evaluatePolicy` shared by synth, plan and apply, and `enforcePolicy` for the engine.
 *
 * @module
 */
export {
  POLICY_VERSIONS,
  parsePolicy,
  parsePolicyJson,
  validatePolicyDocument,
  type EffectivePolicy,
  type EffectiveRule,
  type NamespaceOverride,
  type Policy,
  type PolicyDocument,
} from './document';
export { POLICY_ENV, policySource, policySourceFromEnv, type PolicySource } from './env';
export { PolicyDocumentError, PolicyViolationError, type PolicyViolation } from './errors';
export { describeIntent, enforcePolicy, evaluatePolicy, policyViolationError } from './evaluate';
export {
  POLICY_INTENT_KINDS,
  parseIntent,
  type DistributionIntent,
  type KeyIntent,
  type KmsConnectionIntent,
  type ManagedKeyIntent,
  type PolicyIntent,
  type PolicyIntentKind,
} from './intents';
export { isValidPattern } from './patterns';
export {
  CURVE_NAMES,
  POLICY_RULE_NAMES,
  type CurveName,
  type ManagedKeyFlag,
  type OriginKind,
  type PolicyRuleName,
  type PolicyRules,
  type PolicyViolationCode,
} from './rules';
export { policyJsonSchema } from './schema';
export type { PolicyProblem } from './value-kinds';
