// https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface KeyplaneProviderConfig {
  /**
  * Who acts, as recorded in every audit entry this configuration writes. Default: `KEYPLANE_ACTOR`, else `terraform:<OS user>@<host>`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs#actor KeyplaneProvider#actor}
  */
  readonly actor?: string;
  /**
  * Namespace every record of this configuration lives in; names are unique per namespace. Default: `KEYPLANE_NAMESPACE`, else `root`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs#namespace KeyplaneProvider#namespace}
  */
  readonly namespace?: string;
  /**
  * Organization key policy checked at plan and at apply: an inline JSON document, or the path of a JSON file relative to the working directory. Default: `KEYPLANE_POLICY` (the variable the CLI reads too), in the same forms; neither set: no policy is enforced.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs#policy KeyplaneProvider#policy}
  */
  readonly policy?: string;
  /**
  * Where Keyplane keeps its records: `sqlite:///absolute/path.db`, a file path (relative paths are resolved against the directory Terraform runs in; for a cdktf stack that is `cdktf.out/stacks/<stack>`), or `postgres://user@host/db`. Default: `KEYPLANE_STORE`, else `./.keyplane/keyplane.db`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs#store KeyplaneProvider#store}
  */
  readonly store?: string;
  /**
  * Alias name
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs#alias KeyplaneProvider#alias}
  */
  readonly alias?: string;
  /**
  * endpoint block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs#endpoint KeyplaneProvider#endpoint}
  */
  readonly endpoint?: KeyplaneProviderEndpoint;
  /**
  * seal block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs#seal KeyplaneProvider#seal}
  */
  readonly seal?: KeyplaneProviderSeal;
}
export interface KeyplaneProviderEndpoint {
  /**
  * AWS KMS endpoint URL.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs#awskms KeyplaneProvider#awskms}
  */
  readonly awskms?: string;
  /**
  * PEM CA bundle trusted for the Azure endpoint (the emulator's local CA).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs#azure_ca_file KeyplaneProvider#azure_ca_file}
  */
  readonly azureCaFile?: string;
  /**
  * Azure Key Vault / Managed HSM URL.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs#azurekeyvault KeyplaneProvider#azurekeyvault}
  */
  readonly azurekeyvault?: string;
  /**
  * Plaintext gRPC to the GCP endpoint (loopback only).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs#gcp_insecure KeyplaneProvider#gcp_insecure}
  */
  readonly gcpInsecure?: boolean | cdktf.IResolvable;
  /**
  * Google Cloud KMS endpoint, `host:port`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs#gcpckms KeyplaneProvider#gcpckms}
  */
  readonly gcpckms?: string;
}

export function keyplaneProviderEndpointToTerraform(struct?: KeyplaneProviderEndpoint | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    awskms: cdktf.stringToTerraform(struct!.awskms),
    azure_ca_file: cdktf.stringToTerraform(struct!.azureCaFile),
    azurekeyvault: cdktf.stringToTerraform(struct!.azurekeyvault),
    gcp_insecure: cdktf.booleanToTerraform(struct!.gcpInsecure),
    gcpckms: cdktf.stringToTerraform(struct!.gcpckms),
  }
}


export function keyplaneProviderEndpointToHclTerraform(struct?: KeyplaneProviderEndpoint | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    awskms: {
      value: cdktf.stringToHclTerraform(struct!.awskms),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    azure_ca_file: {
      value: cdktf.stringToHclTerraform(struct!.azureCaFile),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    azurekeyvault: {
      value: cdktf.stringToHclTerraform(struct!.azurekeyvault),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    gcp_insecure: {
      value: cdktf.booleanToHclTerraform(struct!.gcpInsecure),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    gcpckms: {
      value: cdktf.stringToHclTerraform(struct!.gcpckms),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export interface KeyplaneProviderSeal {
  /**
  * Parameters of a KMS/HSM seal, as for a managed key of that type (e.g. `region` and `kms_key_id` for `awskms`; `library`, `slot` or `token_label`, `pin` and `key_label` for `pkcs11`).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs#parameters KeyplaneProvider#parameters}
  */
  readonly parameters?: { [key: string]: string };
  /**
  * `passphrase` seal: the passphrase (prefer `KEYPLANE_SEAL_PASSPHRASE` so it stays out of configuration files).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs#passphrase KeyplaneProvider#passphrase}
  */
  readonly passphrase?: string;
  /**
  * Seal type: `passphrase`, `pkcs11`, `awskms`, `azurekeyvault`, `gcpckms`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs#type KeyplaneProvider#type}
  */
  readonly type: string;
}

export function keyplaneProviderSealToTerraform(struct?: KeyplaneProviderSeal | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    parameters: cdktf.hashMapper(cdktf.stringToTerraform)(struct!.parameters),
    passphrase: cdktf.stringToTerraform(struct!.passphrase),
    type: cdktf.stringToTerraform(struct!.type),
  }
}


export function keyplaneProviderSealToHclTerraform(struct?: KeyplaneProviderSeal | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    parameters: {
      value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(struct!.parameters),
      isBlock: false,
      type: "map",
      storageClassType: "stringMap",
    },
    passphrase: {
      value: cdktf.stringToHclTerraform(struct!.passphrase),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    type: {
      value: cdktf.stringToHclTerraform(struct!.type),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}


/**
* Represents a {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs keyplane}
*/
export class KeyplaneProvider extends cdktf.TerraformProvider {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "keyplane";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a KeyplaneProvider resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the KeyplaneProvider to import
  * @param importFromId The id of the existing KeyplaneProvider that should be imported. Refer to the {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the KeyplaneProvider to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "keyplane", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs keyplane} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options KeyplaneProviderConfig = {}
  */
  public constructor(scope: Construct, id: string, config: KeyplaneProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'keyplane',
      terraformGeneratorMetadata: {
        providerName: 'keyplane',
        providerVersion: '0.1.0'
      },
      terraformProviderSource: 'registry.terraform.io/keyplane/keyplane'
    });
    this._actor = config.actor;
    this._namespace = config.namespace;
    this._policy = config.policy;
    this._store = config.store;
    this._alias = config.alias;
    this._endpoint = config.endpoint;
    this._seal = config.seal;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // actor - computed: false, optional: true, required: false
  private _actor?: string; 
  public get actor() {
    return this._actor;
  }
  public set actor(value: string | undefined) {
    this._actor = value;
  }
  public resetActor() {
    this._actor = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get actorInput() {
    return this._actor;
  }

  // namespace - computed: false, optional: true, required: false
  private _namespace?: string; 
  public get namespace() {
    return this._namespace;
  }
  public set namespace(value: string | undefined) {
    this._namespace = value;
  }
  public resetNamespace() {
    this._namespace = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get namespaceInput() {
    return this._namespace;
  }

  // policy - computed: false, optional: true, required: false
  private _policy?: string; 
  public get policy() {
    return this._policy;
  }
  public set policy(value: string | undefined) {
    this._policy = value;
  }
  public resetPolicy() {
    this._policy = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get policyInput() {
    return this._policy;
  }

  // store - computed: false, optional: true, required: false
  private _store?: string; 
  public get store() {
    return this._store;
  }
  public set store(value: string | undefined) {
    this._store = value;
  }
  public resetStore() {
    this._store = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get storeInput() {
    return this._store;
  }

  // alias - computed: false, optional: true, required: false
  private _alias?: string; 
  public get alias() {
    return this._alias;
  }
  public set alias(value: string | undefined) {
    this._alias = value;
  }
  public resetAlias() {
    this._alias = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get aliasInput() {
    return this._alias;
  }

  // endpoint - computed: false, optional: true, required: false
  private _endpoint?: KeyplaneProviderEndpoint; 
  public get endpoint() {
    return this._endpoint;
  }
  public set endpoint(value: KeyplaneProviderEndpoint | undefined) {
    this._endpoint = value;
  }
  public resetEndpoint() {
    this._endpoint = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get endpointInput() {
    return this._endpoint;
  }

  // seal - computed: false, optional: true, required: false
  private _seal?: KeyplaneProviderSeal; 
  public get seal() {
    return this._seal;
  }
  public set seal(value: KeyplaneProviderSeal | undefined) {
    this._seal = value;
  }
  public resetSeal() {
    this._seal = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get sealInput() {
    return this._seal;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      actor: cdktf.stringToTerraform(this._actor),
      namespace: cdktf.stringToTerraform(this._namespace),
      policy: cdktf.stringToTerraform(this._policy),
      store: cdktf.stringToTerraform(this._store),
      alias: cdktf.stringToTerraform(this._alias),
      endpoint: keyplaneProviderEndpointToTerraform(this._endpoint),
      seal: keyplaneProviderSealToTerraform(this._seal),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      actor: {
        value: cdktf.stringToHclTerraform(this._actor),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      namespace: {
        value: cdktf.stringToHclTerraform(this._namespace),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      policy: {
        value: cdktf.stringToHclTerraform(this._policy),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      store: {
        value: cdktf.stringToHclTerraform(this._store),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      alias: {
        value: cdktf.stringToHclTerraform(this._alias),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      endpoint: {
        value: keyplaneProviderEndpointToHclTerraform(this._endpoint),
        isBlock: true,
        type: "struct",
        storageClassType: "KeyplaneProviderEndpoint",
      },
      seal: {
        value: keyplaneProviderSealToHclTerraform(this._seal),
        isBlock: true,
        type: "struct",
        storageClassType: "KeyplaneProviderSeal",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
