/**
 * `KeyDistribution` (`keyplane_key_distribution`, Vault `keymgmt/kms/:name/key/:key`): a central
 * key imported by BYOK into a KMS connection, every enabled version. Checked at synth by the
 * engine's own pure functions (`@keyplane/engine/lifecycle-rules`) — `checkDistributionTarget`
 * (key type × origin × provider × Azure service × purpose × protection: the check the engine's
 * distribute and the provider's plan run) and the cloud's naming rule for the key name the
 * engine derives — so a distribution a cloud would refuse fails the PR at synth.
 * The org policy sees it through the KeyPolicy Aspect.
 *
 * @module
 */
import { keyDistribution as l1 } from '@keyplane/cdktf/gen';
import {
  DEFAULT_PROTECTION,
  checkDistributionTarget,
  cloudKeyName,
  type KeyTypeName,
  type Protection,
  type Purpose,
} from '@keyplane/engine/lifecycle-rules';
import type { DistributionIntent } from '@keyplane/engine/policy';
import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import { engineProblem, raiseProblems, type ConstructProblem } from './errors';
import type { IKey } from './key';
import type { IKmsConnection } from './kms-connection';
import {
  POLICY_SUBJECT,
  isPolicySubject,
  type PolicySubject,
  type PolicyView,
} from './policy-subject';

/** How a key is distributed (what `Key.distributeTo` takes). */
export interface KeyDistributionOptions {
  /** What the key may do in the cloud. The cloud's row decides which sets fit (AWS and GCP keep RSA encryption and signing apart). */
  readonly purpose: readonly Purpose[];
  /** Protection level in the cloud. AWS KMS and PKCS#11 take only `hsm`. @default 'hsm' */
  readonly protection?: Protection;
}

export interface KeyDistributionProps extends KeyDistributionOptions {
  /** The central key (owned, or `Key.fromName`). */
  readonly key: IKey;
  /** Where it goes (an owned connection, or one imported by name). */
  readonly kms: IKmsConnection;
}

/** The engine's field → this construct's prop. */
const PROP_OF: Readonly<Record<string, string>> = {
  type: 'key',
  key_type: 'key',
  provider: 'kms',
  key_collection: 'kms',
};
const propOf = (field: string): string => PROP_OF[field] ?? field;

/**
 * What synth knows of the key: its literal name, type and origin (`hsm:<kms>` for a key a
 * token generates); an import may give neither name nor type, and its origin is not known.
 */
function keyFacts(key: IKey): { name?: string; type?: KeyTypeName; origin?: string } {
  if (isPolicySubject(key)) {
    const intent = key[POLICY_SUBJECT]()?.intent;
    if (intent?.kind === 'key') {
      return {
        name: intent.name,
        type: intent.type as KeyTypeName,
        ...(intent.origin === undefined ? {} : { origin: intent.origin }),
      };
    }
  }
  return {
    ...(Token.isUnresolved(key.keyName) ? {} : { name: key.keyName }),
    ...(key.keyType === undefined ? {} : { type: key.keyType }),
  };
}

function kmsFactsName(kms: IKmsConnection): string {
  if (isPolicySubject(kms)) {
    const intent = kms[POLICY_SUBJECT]()?.intent;
    if (intent?.kind === 'kms') return intent.name;
  }
  return kms.kmsName;
}

const known = (value: string | undefined): value is string =>
  value !== undefined && !Token.isUnresolved(value);

function check(props: KeyDistributionProps, protection: string): ConstructProblem[] {
  const { name, type, origin } = keyFacts(props.key);
  const provider = props.kms.kmsType;
  const problems: ConstructProblem[] = [];
  if (known(name)) problems.push(...engineProblem('key', () => cloudKeyName(provider, name)));
  // A reference (token) in purpose or protection is left to plan, as the provider checks it there.
  const literal = known(protection) && props.purpose.every((p) => known(p));
  if (type !== undefined && literal) {
    const target = checkDistributionTarget({
      keyType: type,
      origin,
      provider,
      azureService: props.kms.azureService,
      purposes: props.purpose,
      protection,
    });
    for (const d of target) {
      problems.push({
        code: d.code,
        prop: propOf(d.field ?? ''),
        message: d.message,
        allowed: d.allowed,
      });
    }
  }
  return problems;
}

export class KeyDistribution extends Construct implements PolicySubject {
  /** The L1 resource, for escape hatches. */
  readonly resource: l1.KeyDistribution;
  readonly key: IKey;
  readonly kms: IKmsConnection;
  private readonly policyView: PolicyView | undefined;

  constructor(scope: Construct, id: string, props: KeyDistributionProps) {
    const protection = props.protection ?? DEFAULT_PROTECTION;
    raiseProblems(`${scope.node.path}/${id}`, check(props, protection));
    super(scope, id);
    this.key = props.key;
    this.kms = props.kms;
    this.resource = new l1.KeyDistribution(this, 'Resource', {
      key: props.key.keyName,
      kms: props.kms.kmsName,
      purpose: [...props.purpose],
      protection,
    });
    const { name, type } = keyFacts(props.key);
    const intent: DistributionIntent | undefined =
      name === undefined || type === undefined
        ? undefined
        : {
            kind: 'distribution',
            key: name,
            key_type: type,
            kms: kmsFactsName(props.kms),
            provider: props.kms.kmsType,
            key_collection: props.kms.keyCollection,
            purpose: [...new Set(props.purpose)],
            protection,
          };
    // Without the key's type (an import that did not give it) the policy is the engine's at apply.
    this.policyView = intent === undefined ? undefined : { intent, propOf };
  }

  /** The key's name in the cloud (AWS `alias/<key>`, otherwise the key name). */
  get kmsKeyName(): string {
    return this.resource.kmsKeyName;
  }

  /** Version → cloud id, cloud version and state (computed). */
  get versions(): l1.KeyDistributionVersionsMap {
    return this.resource.versions;
  }

  /**
   * The cloud's id of one version (AWS key ARN, Azure key id, GCP crypto key version name,
   * PKCS#11 CKA_ID). Takes a reference too (`key.latestVersion`).
   */
  cloudIdOf(version: number): string {
    return Token.isUnresolved(version)
      ? Token.asString(Fn.lookupNested(this.resource.versions, [version, 'cloud_id']))
      : this.resource.versions.get(String(version)).cloudId;
  }

  [POLICY_SUBJECT](): PolicyView | undefined {
    return this.policyView;
  }
}
