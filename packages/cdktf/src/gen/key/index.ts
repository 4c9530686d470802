// https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/key
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface KeyConfig extends cdktf.TerraformMetaArguments {
  /**
  * Whether destroying the resource may delete the key. Default: false (destroy is refused).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/key#deletion_allowed Key#deletion_allowed}
  */
  readonly deletionAllowed?: boolean | cdktf.IResolvable;
  /**
  * Versions below it are disabled (and disabled in every distribution).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/key#min_enabled_version Key#min_enabled_version}
  */
  readonly minEnabledVersion?: number;
  /**
  * Name, unique in the namespace. Changing it replaces the key.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/key#name Key#name}
  */
  readonly name: string;
  /**
  * Where the key is generated: `software` (node:crypto, sealed in the store) or the id of a `keyplane_kms` with provider `pkcs11` (generated inside that token, exported to clouds only wrapped; the store keeps a reference). Changing it replaces the key. Default: `software`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/key#origin Key#origin}
  */
  readonly origin?: string;
  /**
  * Any change creates one new version.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/key#rotate_trigger Key#rotate_trigger}
  */
  readonly rotateTrigger?: string;
  /**
  * Rotate when this long has passed since the latest version, e.g. `2160h` or `90d` (checked at plan).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/key#rotation_period Key#rotation_period}
  */
  readonly rotationPeriod?: string;
  /**
  * Key type: `aes256-gcm96`, `rsa-2048`, `rsa-3072`, `rsa-4096`, `ecdsa-p256`, `ecdsa-p384`, `ecdsa-p521`, `ed25519`. Changing it replaces the key.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/key#type Key#type}
  */
  readonly type: string;
}
export interface KeyVersions {
}

export function keyVersionsToTerraform(struct?: KeyVersions): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
  }
}


export function keyVersionsToHclTerraform(struct?: KeyVersions): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
  };
  return attrs;
}

export class KeyVersionsOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectKey the key of this item in the map
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string, complexObjectKey: string) {
    super(terraformResource, terraformAttribute, false, complexObjectKey);
  }

  public get internalValue(): KeyVersions | undefined {
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: KeyVersions | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
    }
  }

  // created_at - computed: true, optional: false, required: false
  public get createdAt() {
    return this.getStringAttribute('created_at');
  }

  // fingerprint - computed: true, optional: false, required: false
  public get fingerprint() {
    return this.getStringAttribute('fingerprint');
  }

  // public_key_pem - computed: true, optional: false, required: false
  public get publicKeyPem() {
    return this.getStringAttribute('public_key_pem');
  }

  // state - computed: true, optional: false, required: false
  public get state() {
    return this.getStringAttribute('state');
  }
}

export class KeyVersionsMap extends cdktf.ComplexMap {

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
  public get(key: string): KeyVersionsOutputReference {
    return new KeyVersionsOutputReference(this.terraformResource, this.terraformAttribute, key);
  }
}

/**
* Represents a {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/key keyplane_key}
*/
export class Key extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "keyplane_key";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a Key resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the Key to import
  * @param importFromId The id of the existing Key that should be imported. Refer to the {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/key#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the Key to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "keyplane_key", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/key keyplane_key} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options KeyConfig
  */
  public constructor(scope: Construct, id: string, config: KeyConfig) {
    super(scope, id, {
      terraformResourceType: 'keyplane_key',
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
    this._deletionAllowed = config.deletionAllowed;
    this._minEnabledVersion = config.minEnabledVersion;
    this._name = config.name;
    this._origin = config.origin;
    this._rotateTrigger = config.rotateTrigger;
    this._rotationPeriod = config.rotationPeriod;
    this._type = config.type;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // deletion_allowed - computed: true, optional: true, required: false
  private _deletionAllowed?: boolean | cdktf.IResolvable; 
  public get deletionAllowed() {
    return this.getBooleanAttribute('deletion_allowed');
  }
  public set deletionAllowed(value: boolean | cdktf.IResolvable) {
    this._deletionAllowed = value;
  }
  public resetDeletionAllowed() {
    this._deletionAllowed = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get deletionAllowedInput() {
    return this._deletionAllowed;
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // latest_version - computed: true, optional: false, required: false
  public get latestVersion() {
    return this.getNumberAttribute('latest_version');
  }

  // min_enabled_version - computed: true, optional: true, required: false
  private _minEnabledVersion?: number; 
  public get minEnabledVersion() {
    return this.getNumberAttribute('min_enabled_version');
  }
  public set minEnabledVersion(value: number) {
    this._minEnabledVersion = value;
  }
  public resetMinEnabledVersion() {
    this._minEnabledVersion = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get minEnabledVersionInput() {
    return this._minEnabledVersion;
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

  // origin - computed: true, optional: true, required: false
  private _origin?: string; 
  public get origin() {
    return this.getStringAttribute('origin');
  }
  public set origin(value: string) {
    this._origin = value;
  }
  public resetOrigin() {
    this._origin = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get originInput() {
    return this._origin;
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

  // rotation_due - computed: true, optional: false, required: false
  public get rotationDue() {
    return this.getBooleanAttribute('rotation_due');
  }

  // rotation_period - computed: false, optional: true, required: false
  private _rotationPeriod?: string; 
  public get rotationPeriod() {
    return this.getStringAttribute('rotation_period');
  }
  public set rotationPeriod(value: string) {
    this._rotationPeriod = value;
  }
  public resetRotationPeriod() {
    this._rotationPeriod = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get rotationPeriodInput() {
    return this._rotationPeriod;
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

  // versions - computed: true, optional: false, required: false
  private _versions = new KeyVersionsMap(this, "versions");
  public get versions() {
    return this._versions;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      deletion_allowed: cdktf.booleanToTerraform(this._deletionAllowed),
      min_enabled_version: cdktf.numberToTerraform(this._minEnabledVersion),
      name: cdktf.stringToTerraform(this._name),
      origin: cdktf.stringToTerraform(this._origin),
      rotate_trigger: cdktf.stringToTerraform(this._rotateTrigger),
      rotation_period: cdktf.stringToTerraform(this._rotationPeriod),
      type: cdktf.stringToTerraform(this._type),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      deletion_allowed: {
        value: cdktf.booleanToHclTerraform(this._deletionAllowed),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      min_enabled_version: {
        value: cdktf.numberToHclTerraform(this._minEnabledVersion),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      name: {
        value: cdktf.stringToHclTerraform(this._name),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      origin: {
        value: cdktf.stringToHclTerraform(this._origin),
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
      rotation_period: {
        value: cdktf.stringToHclTerraform(this._rotationPeriod),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
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
