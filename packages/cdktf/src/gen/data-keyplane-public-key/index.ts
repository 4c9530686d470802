// https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/data-sources/public_key
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface DataKeyplanePublicKeyConfig extends cdktf.TerraformMetaArguments {
  /**
  * Name of a managed key: its current backend key. One of `managed_key`, `signing_key`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/data-sources/public_key#managed_key DataKeyplanePublicKey#managed_key}
  */
  readonly managedKey?: string;
  /**
  * Name of a signing key: the backend key one of its versions pins.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/data-sources/public_key#signing_key DataKeyplanePublicKey#signing_key}
  */
  readonly signingKey?: string;
  /**
  * Version of `signing_key`. Default: its latest version.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/data-sources/public_key#version DataKeyplanePublicKey#version}
  */
  readonly version?: number;
}

/**
* Represents a {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/data-sources/public_key keyplane_public_key}
*/
export class DataKeyplanePublicKey extends cdktf.TerraformDataSource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "keyplane_public_key";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a DataKeyplanePublicKey resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the DataKeyplanePublicKey to import
  * @param importFromId The id of the existing DataKeyplanePublicKey that should be imported. Refer to the {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/data-sources/public_key#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the DataKeyplanePublicKey to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "keyplane_public_key", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/data-sources/public_key keyplane_public_key} Data Source
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options DataKeyplanePublicKeyConfig = {}
  */
  public constructor(scope: Construct, id: string, config: DataKeyplanePublicKeyConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'keyplane_public_key',
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
    this._managedKey = config.managedKey;
    this._signingKey = config.signingKey;
    this._version = config.version;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // backend_version - computed: true, optional: false, required: false
  public get backendVersion() {
    return this.getStringAttribute('backend_version');
  }

  // fingerprint - computed: true, optional: false, required: false
  public get fingerprint() {
    return this.getStringAttribute('fingerprint');
  }

  // key_version - computed: true, optional: false, required: false
  public get keyVersion() {
    return this.getNumberAttribute('key_version');
  }

  // managed_key - computed: false, optional: true, required: false
  private _managedKey?: string; 
  public get managedKey() {
    return this.getStringAttribute('managed_key');
  }
  public set managedKey(value: string) {
    this._managedKey = value;
  }
  public resetManagedKey() {
    this._managedKey = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get managedKeyInput() {
    return this._managedKey;
  }

  // public_key_pem - computed: true, optional: false, required: false
  public get publicKeyPem() {
    return this.getStringAttribute('public_key_pem');
  }

  // signing_key - computed: false, optional: true, required: false
  private _signingKey?: string; 
  public get signingKey() {
    return this.getStringAttribute('signing_key');
  }
  public set signingKey(value: string) {
    this._signingKey = value;
  }
  public resetSigningKey() {
    this._signingKey = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get signingKeyInput() {
    return this._signingKey;
  }

  // version - computed: false, optional: true, required: false
  private _version?: number; 
  public get version() {
    return this.getNumberAttribute('version');
  }
  public set version(value: number) {
    this._version = value;
  }
  public resetVersion() {
    this._version = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get versionInput() {
    return this._version;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      managed_key: cdktf.stringToTerraform(this._managedKey),
      signing_key: cdktf.stringToTerraform(this._signingKey),
      version: cdktf.numberToTerraform(this._version),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      managed_key: {
        value: cdktf.stringToHclTerraform(this._managedKey),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      signing_key: {
        value: cdktf.stringToHclTerraform(this._signingKey),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      version: {
        value: cdktf.numberToHclTerraform(this._version),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
