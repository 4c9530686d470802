// https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/signing_key
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface SigningKeyConfig extends cdktf.TerraformMetaArguments {
  /**
  * Managed keys this signing key may use without their `any_mount` (Vault: the mount’s `allowed_managed_keys`). Changing it replaces the signing key.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/signing_key#allowed_managed_keys SigningKey#allowed_managed_keys}
  */
  readonly allowedManagedKeys?: string[];
  /**
  * Name of the `keyplane_managed_key` that signs (reference its `id` so it is created first). Changing it replaces the signing key.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/signing_key#managed_key SigningKey#managed_key}
  */
  readonly managedKey: string;
  /**
  * Name, unique in the namespace. Changing it replaces the signing key.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/signing_key#name SigningKey#name}
  */
  readonly name: string;
  /**
  * Any change pins the managed key’s current backend version as a new version (nothing new when the backend key did not change).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/signing_key#rotate_trigger SigningKey#rotate_trigger}
  */
  readonly rotateTrigger?: string;
}
export interface SigningKeyVersions {
}

export function signingKeyVersionsToTerraform(struct?: SigningKeyVersions): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
  }
}


export function signingKeyVersionsToHclTerraform(struct?: SigningKeyVersions): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
  };
  return attrs;
}

export class SigningKeyVersionsOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectKey the key of this item in the map
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string, complexObjectKey: string) {
    super(terraformResource, terraformAttribute, false, complexObjectKey);
  }

  public get internalValue(): SigningKeyVersions | undefined {
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: SigningKeyVersions | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
    }
  }

  // backend_key_id - computed: true, optional: false, required: false
  public get backendKeyId() {
    return this.getStringAttribute('backend_key_id');
  }

  // backend_version - computed: true, optional: false, required: false
  public get backendVersion() {
    return this.getStringAttribute('backend_version');
  }

  // created_at - computed: true, optional: false, required: false
  public get createdAt() {
    return this.getStringAttribute('created_at');
  }

  // public_key_sha256 - computed: true, optional: false, required: false
  public get publicKeySha256() {
    return this.getStringAttribute('public_key_sha256');
  }
}

export class SigningKeyVersionsMap extends cdktf.ComplexMap {

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  constructor(protected terraformResource: cdktf.IInterpolatingParent, protected terraformAttribute: string) {
    super(terraformResource, terraformAttribute)
  }

  /**
  * @param key the key of the item to return
  */
  public get(key: string): SigningKeyVersionsOutputReference {
    return new SigningKeyVersionsOutputReference(this.terraformResource, this.terraformAttribute, key);
  }
}

/**
* Represents a {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/signing_key keyplane_signing_key}
*/
export class SigningKey extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "keyplane_signing_key";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a SigningKey resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the SigningKey to import
  * @param importFromId The id of the existing SigningKey that should be imported. Refer to the {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/signing_key#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the SigningKey to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "keyplane_signing_key", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/signing_key keyplane_signing_key} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options SigningKeyConfig
  */
  public constructor(scope: Construct, id: string, config: SigningKeyConfig) {
    super(scope, id, {
      terraformResourceType: 'keyplane_signing_key',
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
    this._allowedManagedKeys = config.allowedManagedKeys;
    this._managedKey = config.managedKey;
    this._name = config.name;
    this._rotateTrigger = config.rotateTrigger;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // allowed_managed_keys - computed: true, optional: true, required: false
  private _allowedManagedKeys?: string[]; 
  public get allowedManagedKeys() {
    return cdktf.Fn.tolist(this.getListAttribute('allowed_managed_keys'));
  }
  public set allowedManagedKeys(value: string[]) {
    this._allowedManagedKeys = value;
  }
  public resetAllowedManagedKeys() {
    this._allowedManagedKeys = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get allowedManagedKeysInput() {
    return this._allowedManagedKeys;
  }

  // created_at - computed: true, optional: false, required: false
  public get createdAt() {
    return this.getStringAttribute('created_at');
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // latest_version - computed: true, optional: false, required: false
  public get latestVersion() {
    return this.getNumberAttribute('latest_version');
  }

  // managed_key - computed: false, optional: false, required: true
  private _managedKey?: string; 
  public get managedKey() {
    return this.getStringAttribute('managed_key');
  }
  public set managedKey(value: string) {
    this._managedKey = value;
  }
  // Temporarily expose input value. Use with caution.
  public get managedKeyInput() {
    return this._managedKey;
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

  // rotate_trigger - computed: false, optional: true, required: false
  private _rotateTrigger?: string; 
  public get rotateTrigger() {
    return this.getStringAttribute('rotate_trigger');
  }
  public set rotateTrigger(value: string) {
    this._rotateTrigger = value;
  }
  public resetRotateTrigger() {
    this._rotateTrigger = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get rotateTriggerInput() {
    return this._rotateTrigger;
  }

  // versions - computed: true, optional: false, required: false
  private _versions = new SigningKeyVersionsMap(this, "versions");
  public get versions() {
    return this._versions;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      allowed_managed_keys: cdktf.listMapper(cdktf.stringToTerraform, false)(this._allowedManagedKeys),
      managed_key: cdktf.stringToTerraform(this._managedKey),
      name: cdktf.stringToTerraform(this._name),
      rotate_trigger: cdktf.stringToTerraform(this._rotateTrigger),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      allowed_managed_keys: {
        value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(this._allowedManagedKeys),
        isBlock: false,
        type: "set",
        storageClassType: "stringList",
      },
      managed_key: {
        value: cdktf.stringToHclTerraform(this._managedKey),
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
      rotate_trigger: {
        value: cdktf.stringToHclTerraform(this._rotateTrigger),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
