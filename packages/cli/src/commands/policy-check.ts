/**
 * `keyplane policy check FILE [--intent FILE] [--namespace NS] [--json]` — validate a key policy
 * document and, optionally, run intents through it (the same `evaluatePolicy` the engine, the
 * Terraform provider and the CDKTF constructs run), or show the rules in force for a namespace.
 *
 * Exit codes (the CLI's one rule): 0 the policy is valid and every intent is allowed; 1 the
 * policy is invalid or an intent is refused (the report on stdout says which and why); 2 the
 * command line is wrong, including an --intent file that is not JSON intents the engine can read.
 *
 * Loads only `@keyplane/engine/policy` (pure modules): no cloud SDK, no store.
 *
 * @module
 */
import {
  describeIntent,
  evaluatePolicy,
  parseIntent,
  PolicyDocumentError,
  parsePolicyJson,
  type EffectivePolicy,
  type Policy,
  type PolicyIntent,
  type PolicyViolation,
} from '@keyplane/engine/policy';
import { isKeyplaneError } from '@keyplane/engine/errors';
import { QuietFailure, UsageError, type CommandContext, type CommandSpec } from '../command';
import { readFileArg, readInput } from '../files';
import { printText } from '../output';

interface IntentResult {
  readonly index: number;
  readonly kind: PolicyIntent['kind'];
  readonly subject: string;
  readonly namespace: string;
  readonly allowed: boolean;
  readonly violations: readonly PolicyViolation[];
}

/** Reads `--intent FILE`: one intent object or an array of them. Any problem is a usage error. */
function readIntents(path: string): PolicyIntent[] {
  let value: unknown;
  try {
    value = JSON.parse(readInput('intent', path).toString('utf8'));
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    throw new UsageError(`--intent ${path} is not valid JSON: ${e.message}`, '--intent');
  }
  const list: unknown[] = Array.isArray(value) ? value : [value];
  return list.map((value, i) => {
    try {
      return parseIntent(value, `intent[${i}]`);
    } catch (e) {
      throw new UsageError(
        `--intent ${path}: ${e instanceof Error ? e.message : String(e)}`,
        '--intent',
      );
    }
  });
}

function evaluateAll(
  policy: Policy,
  intents: readonly PolicyIntent[],
  path: string,
): IntentResult[] {
  return intents.map((intent, index) => {
    let violations: readonly PolicyViolation[];
    try {
      violations = evaluatePolicy(policy, intent);
    } catch (e) {
      // A value the engine does not know (key type, provider, duration): the intent file is wrong.
      if (!isKeyplaneError(e)) throw e;
      throw new UsageError(
        `--intent ${path}: intent[${index}] (${describeIntent(intent)}): ${e.message}`,
        '--intent',
      );
    }
    return {
      index,
      kind: intent.kind,
      subject: describeIntent(intent),
      namespace: intent.namespace ?? 'root',
      allowed: violations.length === 0,
      violations,
    };
  });
}

function describePolicy(policy: Policy): string {
  const doc = policy.document;
  const rules = Object.values(doc.rules ?? {}).filter((v) => v !== null).length;
  const overrides = doc.namespaces?.length ?? 0;
  return `version ${doc.version}; ${rules} base rule${rules === 1 ? '' : 's'}; ${overrides} namespace override${overrides === 1 ? '' : 's'}`;
}

function rulesText(effective: EffectivePolicy): string[] {
  const applied =
    effective.overrides.length === 0
      ? 'no override matches'
      : `overrides: ${effective.overrides.join(', ')}`;
  const width = Math.max(0, ...effective.rules.map((r) => r.rule.length)) + 2;
  return [
    `rules in force in namespace '${effective.namespace}' (${applied}):`,
    ...(effective.rules.length === 0
      ? ['  none']
      : effective.rules.map(
          (r) => `  ${r.rule.padEnd(width)}${JSON.stringify(r.value)}  (${r.path})`,
        )),
  ];
}

function intentsText(results: readonly IntentResult[]): string[] {
  const lines = results.flatMap((r) => [
    `intent[${r.index}] ${r.subject} in namespace '${r.namespace}': ${
      r.allowed
        ? 'allowed'
        : `refused (${r.violations.length} violation${r.violations.length === 1 ? '' : 's'})`
    }`,
    ...r.violations.map((v) => `  ${v.code}: ${v.message}`),
  ]);
  const refused = results.filter((r) => !r.allowed).length;
  return [
    ...lines,
    `${results.length} intent${results.length === 1 ? '' : 's'}: ${results.length - refused} allowed, ${refused} refused`,
  ];
}

async function check(ctx: CommandContext): Promise<void> {
  const file = ctx.positionals[0] ?? '';
  const json = ctx.values.json === true;
  // Read the intents first: a broken --intent is a usage error whatever the policy says.
  const intentFile = typeof ctx.values.intent === 'string' ? ctx.values.intent : undefined;
  const intents = intentFile === undefined ? [] : readIntents(intentFile);
  let policy: Policy;
  try {
    policy = parsePolicyJson(readFileArg('', file).toString('utf8'));
  } catch (e) {
    if (!(e instanceof PolicyDocumentError)) throw e;
    const problems = e.problems;
    await printText(
      ctx,
      json
        ? JSON.stringify({ file, valid: false, problems }, null, 2)
        : [
            `${file}: invalid policy (${problems.length} problem${problems.length === 1 ? '' : 's'})`,
            ...problems.map((p) => `  ${p.message}`),
          ].join('\n'),
    );
    throw new QuietFailure(`${file} is not a valid policy`);
  }
  const namespace = typeof ctx.values.namespace === 'string' ? ctx.values.namespace : undefined;
  const effective = namespace === undefined ? undefined : policy.rulesFor(namespace);
  const results = intentFile === undefined ? undefined : evaluateAll(policy, intents, intentFile);
  const human = [
    `${file}: valid policy (${describePolicy(policy)})`,
    ...(effective === undefined ? [] : rulesText(effective)),
    ...(results === undefined ? [] : intentsText(results)),
  ];
  const report = {
    file,
    valid: true,
    version: policy.document.version,
    problems: [],
    ...(effective === undefined ? {} : { namespace: effective }),
    ...(results === undefined ? {} : { intents: results }),
  };
  await printText(ctx, json ? JSON.stringify(report, null, 2) : human.join('\n'));
  const refused = results?.filter((r) => !r.allowed).length ?? 0;
  if (refused > 0) throw new QuietFailure(`${refused} intent(s) refused by ${file}`);
}

export const policyCheck: CommandSpec = {
  path: ['policy', 'check'],
  details: [
    'The document format and every rule: README "Key policy"; the JSON Schema ships as',
    '@keyplane/engine/schema/keyplane-policy.schema.json. An --intent file holds one intent or',
    'an array, e.g. {"kind": "key", "namespace": "prod/payments", "name": "pay", "type": "rsa-4096",',
    '"rotation_period": "2160h"} (kinds: key, distribution, kms, managed_key).',
    '',
    'Examples:',
    '  keyplane policy check keyplane-policy.json',
    '  keyplane policy check keyplane-policy.json --intent planned-keys.json --json',
    '  keyplane policy check keyplane-policy.json --namespace prod/payments',
  ].join('\n'),
  positionals: [{ name: 'file', description: 'Policy document (JSON).', required: true }],
  options: [
    {
      name: 'intent',
      type: 'string',
      valueName: 'file',
      description: 'JSON intents (one object or an array) to evaluate against the policy.',
    },
    {
      name: 'namespace',
      type: 'string',
      valueName: 'namespace',
      description: 'Also show the rules in force in this namespace and where each was set.',
    },
    { name: 'json', type: 'boolean', description: 'Print the report as JSON.' },
  ],
  run: check,
};
