// https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/kms
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface KmsConfig extends cdktf.TerraformMetaArguments {
  /**
  * Credentials: `access_key`, `secret_key`, `session_token` (awskms); `tenant_id`, `client_id`, `client_secret` (azurekeyvault); `service_account_file` (gcpckms); `pin` (pkcs11). Sealed in the store.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/kms#credentials_wo Kms#credentials_wo}
  */
  readonly credentialsWo?: { [key: string]: string };
  /**
  * Any change sends `credentials_wo` again (replacing the stored credentials).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/kms#credentials_wo_version Kms#credentials_wo_version}
  */
  readonly credentialsWoVersion?: number;
  /**
  * Endpoint URL (VPC endpoint, private link, or a local emulator).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/kms#endpoint Kms#endpoint}
  */
  readonly endpoint?: string;
  /**
  * AWS region / Azure vault name / GCP key ring resource id / PKCS#11 token label. Changing it replaces the connection.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/kms#key_collection Kms#key_collection}
  */
  readonly keyCollection: string;
  /**
  * Name, unique in the namespace. Changing it replaces the connection.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/kms#name Kms#name}
  */
  readonly name: string;
  /**
  * Other connection options: `environment`, `resource`, `service`, `ca_file` (azurekeyvault), `library` (pkcs11).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/kms#options Kms#options}
  */
  readonly options?: { [key: string]: string };
  /**
  * KMS type: `awskms`, `azurekeyvault`, `gcpckms`, `pkcs11` (Vault's `provider`). Changing it replaces the connection.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/kms#type Kms#type}
  */
  readonly type: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/kms keyplane_kms}
*/
export class Kms extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "keyplane_kms";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a Kms resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the Kms to import
  * @param importFromId The id of the existing Kms that should be imported. Refer to the {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/kms#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the Kms to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "keyplane_kms", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/kms keyplane_kms} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options KmsConfig
  */
  public constructor(scope: Construct, id: string, config: KmsConfig) {
    super(scope, id, {
      terraformResourceType: 'keyplane_kms',
      terraformGeneratorMetadata: {
        providerName: 'keyplane',
        providerVersion: '0.1.0'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._credentialsWo = config.credentialsWo;
    this._credentialsWoVersion = config.credentialsWoVersion;
    this._endpoint = config.endpoint;
    this._keyCollection = config.keyCollection;
    this._name = config.name;
    this._options = config.options;
    this._type = config.type;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // credential_names - computed: true, optional: false, required: false
  public get credentialNames() {
    return cdktf.Fn.tolist(this.getListAttribute('credential_names'));
  }

  // credentials_wo - computed: false, optional: true, required: false
  private _credentialsWo?: { [key: string]: string }; 
  public get credentialsWo() {
    return this.getStringMapAttribute('credentials_wo');
  }
  public set credentialsWo(value: { [key: string]: string }) {
    this._credentialsWo = value;
  }
  public resetCredentialsWo() {
    this._credentialsWo = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get credentialsWoInput() {
    return this._credentialsWo;
  }

  // credentials_wo_version - computed: false, optional: true, required: false
  private _credentialsWoVersion?: number; 
  public get credentialsWoVersion() {
    return this.getNumberAttribute('credentials_wo_version');
  }
  public set credentialsWoVersion(value: number) {
    this._credentialsWoVersion = value;
  }
  public resetCredentialsWoVersion() {
    this._credentialsWoVersion = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get credentialsWoVersionInput() {
    return this._credentialsWoVersion;
  }

  // endpoint - computed: false, optional: true, required: false
  private _endpoint?: string; 
  public get endpoint() {
    return this.getStringAttribute('endpoint');
  }
  public set endpoint(value: string) {
    this._endpoint = value;
  }
  public resetEndpoint() {
    this._endpoint = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get endpointInput() {
    return this._endpoint;
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // key_collection - computed: false, optional: false, required: true
  private _keyCollection?: string; 
  public get keyCollection() {
    return this.getStringAttribute('key_collection');
  }
  public set keyCollection(value: string) {
    this._keyCollection = value;
  }
  // Temporarily expose input value. Use with caution.
  public get keyCollectionInput() {
    return this._keyCollection;
  }

  // name - computed: false, optional: false, required: true
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
  }
  // Temporarily expose input value. Use with caution.
  public get nameInput() {
    return this._name;
  }

  // options - computed: false, optional: true, required: false
  private _options?: { [key: string]: string }; 
  public get options() {
    return this.getStringMapAttribute('options');
  }
  public set options(value: { [key: string]: string }) {
    this._options = value;
  }
  public resetOptions() {
    this._options = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get optionsInput() {
    return this._options;
  }

  // type - computed: false, optional: false, required: true
  private _type?: string; 
  public get type() {
    return this.getStringAttribute('type');
  }
  public set type(value: string) {
    this._type = value;
  }
  // Temporarily expose input value. Use with caution.
  public get typeInput() {
    return this._type;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      credentials_wo: cdktf.hashMapper(cdktf.stringToTerraform)(this._credentialsWo),
      credentials_wo_version: cdktf.numberToTerraform(this._credentialsWoVersion),
      endpoint: cdktf.stringToTerraform(this._endpoint),
      key_collection: cdktf.stringToTerraform(this._keyCollection),
      name: cdktf.stringToTerraform(this._name),
      options: cdktf.hashMapper(cdktf.stringToTerraform)(this._options),
      type: cdktf.stringToTerraform(this._type),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      credentials_wo: {
        value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(this._credentialsWo),
        isBlock: false,
        type: "map",
        storageClassType: "stringMap",
      },
      credentials_wo_version: {
        value: cdktf.numberToHclTerraform(this._credentialsWoVersion),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      endpoint: {
        value: cdktf.stringToHclTerraform(this._endpoint),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      key_collection: {
        value: cdktf.stringToHclTerraform(this._keyCollection),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      name: {
        value: cdktf.stringToHclTerraform(this._name),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      options: {
        value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(this._options),
        isBlock: false,
        type: "map",
        storageClassType: "stringMap",
      },
      type: {
        value: cdktf.stringToHclTerraform(this._type),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
