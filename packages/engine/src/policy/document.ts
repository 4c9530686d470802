/**
 * The policy document (JSON, `"version": 1`): top-level `rules` apply to every namespace;
 * `namespaces` lists overrides `{ "match": "<namespace pattern>", "rules": { … } }`.
 *
 * Precedence, per rule: the base `rules`, then every override whose `match` matches the
 * namespace, from the least to the most specific — an exact name beats any pattern, then the
 * pattern with more literal (non-`*`) characters wins, then the later entry in the document.
 * An override replaces the rule's value (lists are not merged) and may loosen it; `null` removes
 * the rule. Everything is validated on load, with every problem's path and allowed values.
 *
 * @module
 */
import { listAllowed, notAllowedMessage } from '../errors';
import { PolicyDocumentError } from './errors';
import { comparePrecedence, type NamePattern } from './patterns';
import { POLICY_RULE_NAMES, RULES, type PolicyRuleName, type PolicyRules } from './rules';
import { namePattern, wrongType, type PolicyProblem } from './value-kinds';

/** Document format versions this engine reads. */
export const POLICY_VERSIONS: readonly number[] = [1];

export interface NamespaceOverride {
  /** A namespace pattern: `prod`, `team-a/*`, `prod/**` (see patterns.ts). */
  readonly match: string;
  readonly description?: string;
  readonly rules: PolicyRules;
}

export interface PolicyDocument {
  /** Editors use it to find the schema; ignored by Keyplane. */
  readonly $schema?: string;
  readonly version: 1;
  readonly description?: string;
  readonly rules?: PolicyRules;
  readonly namespaces?: readonly NamespaceOverride[];
}

/** One rule in force for a namespace, and where in the document its value was set. */
export interface EffectiveRule {
  readonly rule: PolicyRuleName;
  /** The value as written in the document. */
  readonly value: unknown;
  /** Its path: `rules.min_rsa_bits` or `namespaces[1].rules.min_rsa_bits`. */
  readonly path: string;
}

export interface EffectivePolicy {
  readonly namespace: string;
  /** Paths of the overrides that matched, lowest precedence first. */
  readonly overrides: readonly string[];
  /** Rules in force, in documentation order (unset and `null` rules omitted). */
  readonly rules: readonly EffectiveRule[];
}

/** A validated policy; build with {@link parsePolicy}. */
export interface Policy {
  readonly document: PolicyDocument;
  rulesFor(namespace: string): EffectivePolicy;
}

/** A rule in force with its parsed value (internal to the evaluator). */
export interface ResolvedRule extends EffectiveRule {
  readonly parsed: unknown;
}

interface Layer {
  readonly path: string;
  readonly pattern?: NamePattern;
  readonly rules: ReadonlyMap<PolicyRuleName, ResolvedRule | null>;
}

const TOP_KEYS = ['$schema', 'version', 'description', 'rules', 'namespaces'];
const OVERRIDE_KEYS = ['match', 'description', 'rules'];

const isObject = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownKeys(
  value: Readonly<Record<string, unknown>>,
  known: readonly string[],
  path: string,
  what: string,
  problems: PolicyProblem[],
): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const at = path === '' ? key : `${path}.${key}`;
    problems.push({
      path: at,
      message: `${at} is not a known ${what}; allowed: ${listAllowed(known)}`,
      allowed: known,
    });
  }
}

function parseRules(value: unknown, path: string, problems: PolicyProblem[]): Layer['rules'] {
  const out = new Map<PolicyRuleName, ResolvedRule | null>();
  if (!isObject(value)) {
    wrongType(problems, path, 'an object of rules', value);
    return out;
  }
  unknownKeys(value, POLICY_RULE_NAMES, path, 'rule', problems);
  for (const name of POLICY_RULE_NAMES) {
    const raw = value[name];
    const at = `${path}.${name}`;
    if (raw === undefined) continue;
    if (raw === null) {
      out.set(name, null);
      continue;
    }
    const parsed = RULES[name].parse(raw, at, problems);
    if (parsed !== undefined) out.set(name, { rule: name, value: raw, path: at, parsed });
  }
  return out;
}

function optionalString(
  value: Readonly<Record<string, unknown>>,
  key: string,
  path: string,
  problems: PolicyProblem[],
): void {
  const v = value[key];
  if (v !== undefined && typeof v !== 'string') wrongType(problems, path, 'a string', v);
}

function parseLayers(doc: unknown, problems: PolicyProblem[]): Layer[] {
  if (!isObject(doc)) {
    wrongType(problems, 'policy', 'a JSON object', doc);
    return [];
  }
  unknownKeys(doc, TOP_KEYS, '', 'policy field', problems);
  const version = doc.version;
  if (typeof version !== 'number' || !POLICY_VERSIONS.includes(version)) {
    problems.push({
      path: 'version',
      message:
        version === undefined
          ? `version is required; supported: ${listAllowed(POLICY_VERSIONS.map(String))}`
          : notAllowedMessage('version', JSON.stringify(version), '', POLICY_VERSIONS.map(String)),
      allowed: POLICY_VERSIONS.map(String),
    });
  }
  optionalString(doc, '$schema', '$schema', problems);
  optionalString(doc, 'description', 'description', problems);
  const layers: Layer[] = [];
  if (doc.rules !== undefined) {
    layers.push({ path: 'rules', rules: parseRules(doc.rules, 'rules', problems) });
  }
  const overrides = doc.namespaces;
  if (overrides === undefined) return layers;
  if (!Array.isArray(overrides)) {
    wrongType(problems, 'namespaces', 'an array of namespace overrides', overrides);
    return layers;
  }
  overrides.forEach((entry: unknown, i) => {
    const path = `namespaces[${i}]`;
    if (!isObject(entry)) {
      wrongType(problems, path, 'an object with "match" and "rules"', entry);
      return;
    }
    unknownKeys(entry, OVERRIDE_KEYS, path, 'field', problems);
    optionalString(entry, 'description', `${path}.description`, problems);
    const match = entry.match;
    const pattern = namePattern.parse(match, `${path}.match`, problems);
    if (entry.rules === undefined) {
      problems.push({ path: `${path}.rules`, message: `${path}.rules is required` });
    }
    const rules = parseRules(entry.rules ?? {}, `${path}.rules`, problems);
    if (pattern !== undefined) layers.push({ path, pattern, rules });
  });
  return layers;
}

/** Every problem of a document (empty when valid). Pure; never throws. */
export function validatePolicyDocument(doc: unknown): readonly PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  parseLayers(doc, problems);
  return problems;
}

const MAX_CACHED_NAMESPACES = 1024;

class ParsedPolicy implements Policy {
  private readonly cache = new Map<
    string,
    { readonly effective: EffectivePolicy; readonly rules: readonly ResolvedRule[] }
  >();

  constructor(
    readonly document: PolicyDocument,
    private readonly base: Layer | undefined,
    private readonly overrides: readonly Layer[],
  ) {}

  resolve(namespace: string): {
    readonly effective: EffectivePolicy;
    readonly rules: readonly ResolvedRule[];
  } {
    const known = this.cache.get(namespace);
    if (known !== undefined) return known;
    // Stable sort: equal precedence keeps document order, so the later entry is applied last.
    const matching = this.overrides
      .filter((l) => l.pattern?.matches(namespace) === true)
      .sort((a, b) => (a.pattern && b.pattern ? comparePrecedence(a.pattern, b.pattern) : 0));
    const inForce = new Map<PolicyRuleName, ResolvedRule | null>();
    for (const layer of [...(this.base ? [this.base] : []), ...matching]) {
      for (const [name, value] of layer.rules) inForce.set(name, value);
    }
    const rules = POLICY_RULE_NAMES.flatMap((name) => inForce.get(name) ?? []);
    const effective: EffectivePolicy = {
      namespace,
      overrides: matching.map((l) => l.path),
      rules: rules.map(({ rule, value, path }) => ({ rule, value, path })),
    };
    if (this.cache.size >= MAX_CACHED_NAMESPACES) this.cache.clear();
    const resolved = { effective, rules };
    this.cache.set(namespace, resolved);
    return resolved;
  }

  rulesFor(namespace: string): EffectivePolicy {
    return this.resolve(namespace).effective;
  }
}

/**
 * Validates a policy document (a parsed JSON value) and returns the policy, or throws
 * `ERR_INVALID_ARGUMENT` ({@link PolicyDocumentError}) listing every problem.
 */
export function parsePolicy(doc: unknown): Policy {
  return build(doc);
}

function build(doc: unknown): ParsedPolicy {
  const problems: PolicyProblem[] = [];
  const layers = parseLayers(doc, problems);
  if (problems.length > 0) throw new PolicyDocumentError(problems);
  const copy = structuredClone(doc) as PolicyDocument;
  const base = layers.find((l) => l.pattern === undefined);
  return new ParsedPolicy(
    copy,
    base,
    layers.filter((l) => l.pattern !== undefined),
  );
}

/** Parses JSON text, then {@link parsePolicy}; a syntax error is reported like a problem. */
export function parsePolicyJson(text: string): Policy {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new PolicyDocumentError([
      { path: 'policy', message: `policy is not valid JSON: ${reason}` },
    ]);
  }
  return parsePolicy(doc);
}

/** The rules in force for a namespace, with parsed values (for the evaluator). */
export function resolvedRules(policy: Policy, namespace: string): readonly ResolvedRule[] {
  // A Policy from another copy of the engine (duplicated installs) is re-validated, not trusted.
  const parsed = policy instanceof ParsedPolicy ? policy : build(policy.document);
  return parsed.resolve(namespace).rules;
}
