/**
 * KMS connections (`keyplane_kms`, Vault `keymgmt/kms/:name`): where distributions import keys.
 * One typed class per provider over a shared base; credentials go into the write-only
 * `credentials_wo` map — secrets only as sensitive variables (refused otherwise, see secrets.ts),
 * identifiers (tenant and client ids) as plain strings. The org policy sees each connection
 * through the KeyPolicy Aspect (allowed_providers, allowed_key_collections).
 *
 * @module
 */
import { kms } from '@keyplane/cdktf/gen';
import {
  azureServiceOf,
  checkKeyCollection,
  checkName,
  type AzureService,
} from '@keyplane/engine/lifecycle-rules';
import type { KmsConnectionIntent } from '@keyplane/engine/policy';
import { Token } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import { keyplaneAccessPolicy, type KeyplaneAccessGrant } from './azure-access-policy';
import { blankProblems, engineProblem, raiseProblems, type ConstructProblem } from './errors';
import { imported } from './imported';
import { camelCase } from './names';
import { POLICY_SUBJECT, type PolicySubject, type PolicyView } from './policy-subject';
import { secretProblem, type SecretVariable } from './secrets';

export type KmsType = 'awskms' | 'azurekeyvault' | 'gcpckms' | 'pkcs11';

/** A KMS connection this stack owns or one imported by name. */
export interface IKmsConnection extends IConstruct {
  /** The connection's name (a reference for owned ones, so distributions come after it). */
  readonly kmsName: string;
  readonly kmsType: KmsType;
  /** AWS region / Azure vault name / GCP key ring id / PKCS#11 token label. */
  readonly keyCollection: string;
  /** Azure only: Key Vault or Managed HSM (they take different key types). @default - unknown: checked at plan/apply */
  readonly azureService?: AzureService | undefined;
}

interface CommonProps {
  /** Name, unique in the provider's namespace. */
  readonly name: string;
  /** Bump to send the credentials again. @default 1 (when there are credentials) */
  readonly credentialsVersion?: number;
}

/** A credential: a sensitive variable for secrets; identifiers may be plain strings. */
type Credential =
  | { readonly secret: true; readonly value: unknown }
  | { readonly secret: false; readonly value: string | undefined };

interface Settings {
  readonly type: KmsType;
  readonly keyCollection: string;
  /** The prop the key collection came from (`region`, `vaultName`, …), for refusals. */
  readonly collectionProp: string;
  readonly endpoint: string | undefined;
  readonly options: Readonly<Record<string, string | undefined>>;
  /** By credential name (`secret_key`), with the prop it came from. */
  readonly credentials: Readonly<Record<string, Credential>>;
}

const secretOf = (value: SecretVariable | undefined): Credential => ({ secret: true, value });
const plainOf = (value: string | undefined): Credential => ({ secret: false, value });

/**
 * The engine's checks of a connection's name and key collection (the ones its create runs), on
 * literal values; a reference is left to plan.
 */
function namingProblems(name: string, settings: Settings): ConstructProblem[] {
  const { collectionProp, keyCollection, type } = settings;
  const problems = [
    ...blankProblems('name', name),
    ...blankProblems(collectionProp, keyCollection),
  ];
  if (problems.length > 0) return problems;
  if (!Token.isUnresolved(name))
    problems.push(
      ...engineProblem('name', () => {
        checkName(name, 'name');
      }),
    );
  if (!Token.isUnresolved(keyCollection))
    problems.push(
      ...engineProblem(collectionProp, () => {
        checkKeyCollection(type, keyCollection, collectionProp);
      }),
    );
  return problems;
}

abstract class KmsConnectionBase extends Construct implements IKmsConnection, PolicySubject {
  readonly kmsType: KmsType;
  readonly keyCollection: string;
  /** The L1 resource, for escape hatches. */
  readonly resource: kms.Kms;
  private readonly policyView: PolicyView;

  protected constructor(scope: Construct, id: string, props: CommonProps, settings: Settings) {
    const problems: ConstructProblem[] = [];
    const credentials: Record<string, string> = {};
    for (const [name, credential] of Object.entries(settings.credentials)) {
      if (credential.value === undefined) continue;
      const problem = credential.secret
        ? secretProblem(camelCase(name), credential.value)
        : undefined;
      if (problem !== undefined) problems.push(problem);
      else
        credentials[name] = credential.secret
          ? (credential.value as SecretVariable).stringValue
          : credential.value;
    }
    problems.push(...namingProblems(props.name, settings));
    raiseProblems(`${scope.node.path}/${id}`, problems);
    super(scope, id);
    const options = Object.fromEntries(
      Object.entries(settings.options).filter((e): e is [string, string] => e[1] !== undefined),
    );
    const hasCredentials = Object.keys(credentials).length > 0;
    this.resource = new kms.Kms(this, 'Resource', {
      name: props.name,
      type: settings.type,
      keyCollection: settings.keyCollection,
      ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
      ...(Object.keys(options).length === 0 ? {} : { options }),
      ...(hasCredentials
        ? { credentialsWo: credentials, credentialsWoVersion: props.credentialsVersion ?? 1 }
        : {}),
    });
    this.kmsType = settings.type;
    this.keyCollection = settings.keyCollection;
    const intent: KmsConnectionIntent = {
      kind: 'kms',
      name: props.name,
      provider: settings.type,
      key_collection: settings.keyCollection,
    };
    this.policyView = {
      intent,
      propOf: (field) =>
        field === 'provider'
          ? 'type'
          : field === 'key_collection'
            ? settings.collectionProp
            : camelCase(field),
    };
  }

  get kmsName(): string {
    return this.resource.id;
  }

  [POLICY_SUBJECT](): PolicyView {
    return this.policyView;
  }
}

/** Refers to a KMS connection created elsewhere, by name. */
export function kmsConnectionFromName(
  scope: Construct,
  id: string,
  attrs: {
    readonly name: string;
    readonly type: KmsType;
    readonly keyCollection: string;
    /** @default - unknown: Azure key types are checked at plan/apply */
    readonly azureService?: AzureService;
  },
): IKmsConnection {
  return imported(scope, id, 'kmsName', {
    kmsName: attrs.name,
    kmsType: attrs.type,
    keyCollection: attrs.keyCollection,
    ...(attrs.azureService === undefined ? {} : { azureService: attrs.azureService }),
  });
}

export interface AwsKmsConnectionProps extends CommonProps {
  /** The AWS region keys are imported into. */
  readonly region: string;
  /** KMS endpoint URL (VPC endpoint, emulator). @default - the region's public endpoint */
  readonly endpoint?: string;
  /** @default - the SDK credential chain */
  readonly accessKey?: SecretVariable;
  /** @default - the SDK credential chain */
  readonly secretKey?: SecretVariable;
  /** @default - none */
  readonly sessionToken?: SecretVariable;
}

export class AwsKmsConnection extends KmsConnectionBase {
  static fromName(scope: Construct, id: string, name: string, region: string): IKmsConnection {
    return kmsConnectionFromName(scope, id, { name, type: 'awskms', keyCollection: region });
  }
  constructor(scope: Construct, id: string, props: AwsKmsConnectionProps) {
    super(scope, id, props, {
      type: 'awskms',
      keyCollection: props.region,
      collectionProp: 'region',
      endpoint: props.endpoint,
      options: {},
      credentials: {
        access_key: secretOf(props.accessKey),
        secret_key: secretOf(props.secretKey),
        session_token: secretOf(props.sessionToken),
      },
    });
  }
}

export interface AzureKeyVaultConnectionProps extends CommonProps {
  /** The Key Vault or Managed HSM name. */
  readonly vaultName: string;
  /** The vault URL. @default - https://<vaultName>.<resource> */
  readonly endpoint?: string;
  /** AZUREPUBLICCLOUD, AZURECHINACLOUD, AZUREUSGOVERNMENTCLOUD. @default - public cloud */
  readonly environment?: string;
  /** DNS suffix (managedhsm.azure.net for Managed HSM). @default - vault.azure.net */
  readonly resource?: string;
  /** `vault` or `managed-hsm`. @default - from resource/endpoint */
  readonly service?: 'vault' | 'managed-hsm';
  /** Absolute path of the PEM CA of the endpoint. @default - the system CAs */
  readonly caFile?: string;
  /** @default - the SDK's default credential */
  readonly tenantId?: string;
  /** @default - the SDK's default credential */
  readonly clientId?: string;
  /** @default - the SDK's default credential */
  readonly clientSecret?: SecretVariable;
}

/** What fromKeyVault reads of an azurerm `KeyVault` construct (duck-typed: works with either core). */
export interface KeyVaultLike {
  readonly name: string;
  readonly vaultUri: string;
  /** Needed only with `grantAccessTo`. */
  readonly id?: string;
}

/**
 * Key Vault or Managed HSM, as the engine decides it from the same settings, or unknown when
 * the endpoint is a reference and neither `service` nor `resource` says it.
 */
function azureServiceAtSynth(props: AzureKeyVaultConnectionProps): AzureService | undefined {
  const settings = { service: props.service, resource: props.resource, endpoint: props.endpoint };
  const literal = Object.fromEntries(
    Object.entries(settings).filter(
      (e): e is [string, string] => e[1] !== undefined && !Token.isUnresolved(e[1]),
    ),
  );
  if (props.service === undefined && props.resource === undefined && literal.endpoint === undefined)
    return props.endpoint === undefined ? 'vault' : undefined;
  return azureServiceOf(literal);
}

export class AzureKeyVaultConnection extends KmsConnectionBase {
  private service: AzureService | undefined;

  /**
   * A connection to the vault of an azurerm `KeyVault` construct in the same app: name and URI
   * by reference, so Terraform creates the vault first. With `grantAccessTo`, also the vault
   * access policy Keyplane needs ({@link KEYPLANE_KEY_PERMISSIONS}), created before the connection.
   */
  static fromKeyVault(
    scope: Construct,
    id: string,
    vault: KeyVaultLike,
    props: Omit<AzureKeyVaultConnectionProps, 'vaultName' | 'endpoint'> & {
      /** @default - no access policy (the vault's access is managed elsewhere) */
      readonly grantAccessTo?: KeyplaneAccessGrant;
    },
  ): AzureKeyVaultConnection {
    const { grantAccessTo, ...connectionProps } = props;
    if (grantAccessTo !== undefined && vault.id === undefined)
      raiseProblems(`${scope.node.path}/${id}`, [
        {
          code: 'ERR_MISSING_PARAMETER',
          prop: 'vault.id',
          message: 'grantAccessTo needs the vault id (pass the azurerm KeyVault construct)',
        },
      ]);
    const connection = new AzureKeyVaultConnection(scope, id, {
      ...connectionProps,
      vaultName: vault.name,
      endpoint: vault.vaultUri,
    });
    // An azurerm KeyVault is a Key Vault (Managed HSM is another resource type).
    connection.service ??= 'vault';
    if (grantAccessTo !== undefined && vault.id !== undefined) {
      const policy = keyplaneAccessPolicy(connection, 'AccessPolicy', vault.id, grantAccessTo);
      connection.resource.dependsOn = [policy.fqn];
    }
    return connection;
  }

  constructor(scope: Construct, id: string, props: AzureKeyVaultConnectionProps) {
    super(scope, id, props, {
      type: 'azurekeyvault',
      keyCollection: props.vaultName,
      collectionProp: 'vaultName',
      endpoint: props.endpoint,
      options: {
        environment: props.environment,
        resource: props.resource,
        service: props.service,
        ca_file: props.caFile,
      },
      credentials: {
        tenant_id: plainOf(props.tenantId),
        client_id: plainOf(props.clientId),
        client_secret: secretOf(props.clientSecret),
      },
    });
    this.service = azureServiceAtSynth(props);
  }

  /** Key Vault or Managed HSM (unknown when the endpoint is a reference and nothing else says). */
  get azureService(): AzureService | undefined {
    return this.service;
  }
}

export interface GcpKmsConnectionProps extends CommonProps {
  /** Key ring resource id `projects/<p>/locations/<l>/keyRings/<r>`. */
  readonly keyRing: string;
  /** Cloud KMS endpoint (host:port or URL). @default - cloudkms.googleapis.com */
  readonly endpoint?: string;
  /** Absolute path of a service account JSON file. @default - ADC */
  readonly serviceAccountFile?: string;
}

export class GcpKmsConnection extends KmsConnectionBase {
  constructor(scope: Construct, id: string, props: GcpKmsConnectionProps) {
    super(scope, id, props, {
      type: 'gcpckms',
      keyCollection: props.keyRing,
      collectionProp: 'keyRing',
      endpoint: props.endpoint,
      options: {},
      credentials: { service_account_file: plainOf(props.serviceAccountFile) },
    });
  }
}

export interface Pkcs11ConnectionProps extends CommonProps {
  /** The token label. */
  readonly tokenLabel: string;
  /** Absolute path of the PKCS#11 module. @default - the provider's configured module */
  readonly library?: string;
  /** The user PIN. */
  readonly pin: SecretVariable;
}

export class Pkcs11Connection extends KmsConnectionBase {
  constructor(scope: Construct, id: string, props: Pkcs11ConnectionProps) {
    super(scope, id, props, {
      type: 'pkcs11',
      keyCollection: props.tokenLabel,
      collectionProp: 'tokenLabel',
      endpoint: undefined,
      options: { library: props.library },
      credentials: { pin: secretOf(props.pin) },
    });
  }
}
