// https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/key_distribution
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface KeyDistributionConfig extends cdktf.TerraformMetaArguments {
  /**
  * Name of the `keyplane_key`; its type and origin are checked against the connection at plan. Changing it replaces the distribution.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/key_distribution#key KeyDistribution#key}
  */
  readonly key: string;
  /**
  * Name of the `keyplane_kms` connection: a cloud KMS (for Azure, its service — Key Vault or Managed HSM — decides the key types) or a `pkcs11` token, checked at plan. Changing it replaces the distribution.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/key_distribution#kms KeyDistribution#kms}
  */
  readonly kms: string;
  /**
  * Protection level in the cloud: `hsm` or `software` (checked at plan against the key type and the connection, e.g. AWS KMS, PKCS#11 tokens and HSM-origin keys take `hsm` only). Default: `hsm`. Changing it replaces the distribution.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/key_distribution#protection KeyDistribution#protection}
  */
  readonly protection?: string;
  /**
  * Purposes: `encrypt`, `decrypt`, `sign`, `verify`, `wrap`, `unwrap` (checked at plan against the key type and the connection). Changing them replaces the distribution.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/key_distribution#purpose KeyDistribution#purpose}
  */
  readonly purpose: string[];
}
export interface KeyDistributionVersions {
}

export function keyDistributionVersionsToTerraform(struct?: KeyDistributionVersions): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
  }
}


export function keyDistributionVersionsToHclTerraform(struct?: KeyDistributionVersions): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
  };
  return attrs;
}

export class KeyDistributionVersionsOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectKey the key of this item in the map
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string, complexObjectKey: string) {
    super(terraformResource, terraformAttribute, false, complexObjectKey);
  }

  public get internalValue(): KeyDistributionVersions | undefined {
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: KeyDistributionVersions | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
    }
  }

  // cloud_id - computed: true, optional: false, required: false
  public get cloudId() {
    return this.getStringAttribute('cloud_id');
  }

  // cloud_version - computed: true, optional: false, required: false
  public get cloudVersion() {
    return this.getStringAttribute('cloud_version');
  }

  // state - computed: true, optional: false, required: false
  public get state() {
    return this.getStringAttribute('state');
  }
}

export class KeyDistributionVersionsMap extends cdktf.ComplexMap {

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
  public get(key: string): KeyDistributionVersionsOutputReference {
    return new KeyDistributionVersionsOutputReference(this.terraformResource, this.terraformAttribute, key);
  }
}

/**
* Represents a {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/key_distribution keyplane_key_distribution}
*/
export class KeyDistribution extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "keyplane_key_distribution";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a KeyDistribution resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the KeyDistribution to import
  * @param importFromId The id of the existing KeyDistribution that should be imported. Refer to the {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/key_distribution#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the KeyDistribution to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "keyplane_key_distribution", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/key_distribution keyplane_key_distribution} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options KeyDistributionConfig
  */
  public constructor(scope: Construct, id: string, config: KeyDistributionConfig) {
    super(scope, id, {
      terraformResourceType: 'keyplane_key_distribution',
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
    this._key = config.key;
    this._kms = config.kms;
    this._protection = config.protection;
    this._purpose = config.purpose;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // key - computed: false, optional: false, required: true
  private _key?: string; 
  public get key() {
    return this.getStringAttribute('key');
  }
  public set key(value: string) {
    this._key = value;
  }
  // Temporarily expose input value. Use with caution.
  public get keyInput() {
    return this._key;
  }

  // kms - computed: false, optional: false, required: true
  private _kms?: string; 
  public get kms() {
    return this.getStringAttribute('kms');
  }
  public set kms(value: string) {
    this._kms = value;
  }
  // Temporarily expose input value. Use with caution.
  public get kmsInput() {
    return this._kms;
  }

  // kms_key_name - computed: true, optional: false, required: false
  public get kmsKeyName() {
    return this.getStringAttribute('kms_key_name');
  }

  // protection - computed: true, optional: true, required: false
  private _protection?: string; 
  public get protection() {
    return this.getStringAttribute('protection');
  }
  public set protection(value: string) {
    this._protection = value;
  }
  public resetProtection() {
    this._protection = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get protectionInput() {
    return this._protection;
  }

  // purpose - computed: false, optional: false, required: true
  private _purpose?: string[]; 
  public get purpose() {
    return cdktf.Fn.tolist(this.getListAttribute('purpose'));
  }
  public set purpose(value: string[]) {
    this._purpose = value;
  }
  // Temporarily expose input value. Use with caution.
  public get purposeInput() {
    return this._purpose;
  }

  // versions - computed: true, optional: false, required: false
  private _versions = new KeyDistributionVersionsMap(this, "versions");
  public get versions() {
    return this._versions;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      key: cdktf.stringToTerraform(this._key),
      kms: cdktf.stringToTerraform(this._kms),
      protection: cdktf.stringToTerraform(this._protection),
      purpose: cdktf.listMapper(cdktf.stringToTerraform, false)(this._purpose),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      key: {
        value: cdktf.stringToHclTerraform(this._key),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      kms: {
        value: cdktf.stringToHclTerraform(this._kms),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      protection: {
        value: cdktf.stringToHclTerraform(this._protection),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      purpose: {
        value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(this._purpose),
        isBlock: false,
        type: "set",
        storageClassType: "stringList",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
