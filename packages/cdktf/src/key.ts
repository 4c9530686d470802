/**
 * `Key`: a central key (`keyplane_key`, Vault `keymgmt/key/:name`) whose versions Keyplane
 * generates and distributes. Props are checked at synth by the engine's own functions — the key
 * type table and the policy evaluator's intent parser (type, rotation period, min enabled
 * version), the checks the provider and engine run later — so a bad value fails the PR at synth.
 *
 * @module
 */
import { key as l1 } from '@keyplane/cdktf/gen';
import { KEY_TYPE_NAMES, keyType, type KeyTypeName } from '@keyplane/engine/keys';
import { checkName } from '@keyplane/engine/lifecycle-rules';
import { evaluatePolicy, parsePolicy, type KeyIntent } from '@keyplane/engine/policy';
import { Fn, Token } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import { blankProblems, engineProblem, raiseProblems, type ConstructProblem } from './errors';
import { imported } from './imported';
import { KeyDistribution, type KeyDistributionOptions } from './key-distribution';
import type { IKmsConnection } from './kms-connection';
import { camelCase } from './names';
import { POLICY_SUBJECT, type PolicySubject, type PolicyView } from './policy-subject';

/** A central key this stack owns or one imported by name. */
export interface IKey extends IConstruct {
  /** The key's name (a reference for owned keys, so dependants are created after it). */
  readonly keyName: string;
  /** The key's type, when known at synth (distributions are checked against it). @default - unknown */
  readonly keyType?: KeyTypeName;
}

/** What `Key.fromName` may know of a key managed elsewhere. */
export interface ImportedKeyAttributes {
  /** Its type: with it, distributions are checked at synth (and by the policy Aspect). @default - checked at plan/apply */
  readonly type?: KeyTypeName;
}

export interface KeyProps {
  /** Name, unique in the provider's namespace. Changing it replaces the key. */
  readonly name: string;
  /** Key type. Changing it replaces the key. */
  readonly type: KeyTypeName;
  /** Rotate when this long has passed since the latest version (`2160h`, `90d`). @default - no automatic rotation */
  readonly rotationPeriod?: string;
  /** Allow `terraform destroy` to delete the key and its versions. @default false */
  readonly deletionAllowed?: boolean;
  /** Oldest version still usable; older ones are disabled. @default 0 - every version */
  readonly minEnabledVersion?: number;
  /** Any change makes exactly one new version (see {@link Key.rotate}). @default - none */
  readonly rotateTrigger?: string;
}

/** No rule: evaluating against it runs only the engine's intent checks (type, durations…). */
const NO_RULES = parsePolicy({ version: 1 });

function keyIntent(props: KeyProps, type: string): KeyIntent {
  return {
    kind: 'key',
    name: props.name,
    type,
    ...(props.rotationPeriod === undefined || Token.isUnresolved(props.rotationPeriod)
      ? {}
      : { rotation_period: props.rotationPeriod }),
    ...(props.deletionAllowed === undefined ? {} : { deletion_allowed: props.deletionAllowed }),
    ...(props.minEnabledVersion === undefined || Token.isUnresolved(props.minEnabledVersion)
      ? {}
      : { min_enabled_version: props.minEnabledVersion }),
  };
}

function checkKey(path: string, props: KeyProps): KeyIntent {
  const problems: ConstructProblem[] = [];
  problems.push(...blankProblems('name', props.name));
  if (!Token.isUnresolved(props.name) && props.name.trim() !== '')
    problems.push(
      ...engineProblem('name', () => {
        checkName(props.name, 'name');
      }),
    );
  const typeProblems = engineProblem('type', () => keyType(props.type));
  problems.push(...typeProblems);
  // With the type refused, the remaining checks run on a valid stand-in so each prop is reported.
  const intent = keyIntent(props, typeProblems.length > 0 ? (KEY_TYPE_NAMES[0] ?? '') : props.type);
  for (const field of ['rotation_period', 'min_enabled_version'] as const) {
    if (intent[field] === undefined) continue;
    const only: KeyIntent = {
      kind: 'key',
      name: intent.name,
      type: intent.type,
      [field]: intent[field],
    };
    problems.push(...engineProblem(camelCase(field), () => evaluatePolicy(NO_RULES, only)));
  }
  problems.push(...blankProblems('rotateTrigger', props.rotateTrigger));
  raiseProblems(path, problems);
  return keyIntent(props, props.type);
}

export class Key extends Construct implements IKey, PolicySubject {
  /** Refers to a key created elsewhere (another stack, the CLI), by name. */
  static fromName(
    scope: Construct,
    id: string,
    keyName: string,
    attributes: ImportedKeyAttributes = {},
  ): IKey {
    return imported(scope, id, 'keyName', {
      keyName,
      ...(attributes.type === undefined ? {} : { keyType: attributes.type }),
    });
  }

  /** The L1 resource, for escape hatches. */
  readonly resource: l1.Key;
  readonly keyType: KeyTypeName;
  private readonly policyView: PolicyView;

  constructor(scope: Construct, id: string, props: KeyProps) {
    const intent = checkKey(`${scope.node.path}/${id}`, props);
    super(scope, id);
    this.resource = new l1.Key(this, 'Resource', {
      name: props.name,
      type: props.type,
      ...(props.rotationPeriod === undefined ? {} : { rotationPeriod: props.rotationPeriod }),
      ...(props.deletionAllowed === undefined ? {} : { deletionAllowed: props.deletionAllowed }),
      ...(props.minEnabledVersion === undefined
        ? {}
        : { minEnabledVersion: props.minEnabledVersion }),
      ...(props.rotateTrigger === undefined ? {} : { rotateTrigger: props.rotateTrigger }),
    });
    this.keyType = props.type;
    this.policyView = { intent, propOf: (field) => camelCase(field) };
  }

  /**
   * Distributes this key (BYOK, every enabled version, new ones on rotation) to `kms`: a
   * {@link KeyDistribution} under this key, checked at synth against the cloud's compatibility
   * row and naming rule. One distribution per connection.
   */
  distributeTo(kms: IKmsConnection, options: KeyDistributionOptions): KeyDistribution {
    const existing = this.node.tryFindChild(kms.node.id);
    if (existing instanceof KeyDistribution && existing.kms === kms)
      raiseProblems(this.node.path, [
        {
          code: 'ERR_ALREADY_EXISTS',
          prop: 'distributeTo(kms)',
          message: `already distributed to '${kms.node.path}' (one distribution per connection)`,
        },
      ]);
    // Connections with one id in different scopes: the second gets its address in the id.
    const id = existing === undefined ? kms.node.id : `${kms.node.id}-${kms.node.addr.slice(0, 8)}`;
    return new KeyDistribution(this, id, { ...options, key: this, kms });
  }

  // References are built on access: most keys never read them, and synth of many keys should
  // not pay for tokens nobody uses.
  get keyName(): string {
    return this.resource.id;
  }

  /** Latest version number (computed). */
  get latestVersion(): number {
    return this.resource.latestVersion;
  }

  /** PEM public key of the latest version (asymmetric types; empty for AES). */
  get publicKeyPem(): string {
    return this.latest('public_key_pem');
  }

  /** Fingerprint of the latest version's public key (`provider::keyplane::fingerprint`). */
  get fingerprint(): string {
    return this.latest('fingerprint');
  }

  private latest(attribute: string): string {
    return Token.asString(
      Fn.lookupNested(this.resource.versions, [this.resource.latestVersion, attribute]),
    );
  }

  /**
   * Makes one new version on the next apply: pass a value that changes when you want to rotate
   * (a date, a ticket id). The same value again changes nothing.
   */
  rotate(trigger: string): void {
    raiseProblems(this.node.path, blankProblems('rotate(trigger)', trigger));
    this.resource.rotateTrigger = trigger;
  }

  /** The public key (PEM) of one version. */
  publicKeyPemOf(version: number): string {
    return this.resource.versions.get(String(version)).publicKeyPem;
  }

  /** The fingerprint of one version's public key. */
  fingerprintOf(version: number): string {
    return this.resource.versions.get(String(version)).fingerprint;
  }

  [POLICY_SUBJECT](): PolicyView {
    return this.policyView;
  }
}
