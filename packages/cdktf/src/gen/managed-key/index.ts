// https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface ManagedKeyConfig extends cdktf.TerraformMetaArguments {
  /**
  * The AWS access key id (default: the SDK credential chain). Types: `awskms`. Sealed in the store. Bump `access_key_wo_version` to send a new value.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#access_key_wo ManagedKey#access_key_wo}
  */
  readonly accessKeyWo?: string;
  /**
  * Any change sends `access_key_wo` again (write-only values are not compared).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#access_key_wo_version ManagedKey#access_key_wo_version}
  */
  readonly accessKeyWoVersion?: number;
  /**
  * The signature algorithm of the key. Types: `gcpckms`. Allowed: `RSA_SIGN_PKCS1_2048_SHA256`, `RSA_SIGN_PKCS1_3072_SHA256`, `RSA_SIGN_PKCS1_4096_SHA256`, `RSA_SIGN_PKCS1_4096_SHA512`, `RSA_SIGN_PSS_2048_SHA256`, `RSA_SIGN_PSS_3072_SHA256`, `RSA_SIGN_PSS_4096_SHA256`, `RSA_SIGN_PSS_4096_SHA512`, `EC_SIGN_P256_SHA256`, `EC_SIGN_P384_SHA384`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#algorithm ManagedKey#algorithm}
  */
  readonly algorithm?: string;
  /**
  * If no key can be found in the backend, generate one there (on first use). All types. Default: false.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#allow_generate_key ManagedKey#allow_generate_key}
  */
  readonly allowGenerateKey?: boolean | cdktf.IResolvable;
  /**
  * Allow replacing an existing backend key by importing another one. All types. Default: false.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#allow_replace_key ManagedKey#allow_replace_key}
  */
  readonly allowReplaceKey?: boolean | cdktf.IResolvable;
  /**
  * Allow importing a key into the backend. All types. Default: false.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#allow_store_key ManagedKey#allow_store_key}
  */
  readonly allowStoreKey?: boolean | cdktf.IResolvable;
  /**
  * Allow use by any consumer in the namespace. All types. Default: false.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#any_mount ManagedKey#any_mount}
  */
  readonly anyMount?: boolean | cdktf.IResolvable;
  /**
  * PEM file of the CA that signs the endpoint certificate. Types: `azurekeyvault`. Keyplane addition.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#ca_file ManagedKey#ca_file}
  */
  readonly caFile?: string;
  /**
  * The client id for credentials to query the Azure APIs. Types: `azurekeyvault`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#client_id ManagedKey#client_id}
  */
  readonly clientId?: string;
  /**
  * The client secret for credentials to query the Azure APIs. Types: `azurekeyvault`. Sealed in the store. Bump `client_secret_wo_version` to send a new value.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#client_secret_wo ManagedKey#client_secret_wo}
  */
  readonly clientSecretWo?: string;
  /**
  * Any change sends `client_secret_wo` again (write-only values are not compared).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#client_secret_wo_version ManagedKey#client_secret_wo_version}
  */
  readonly clientSecretWoVersion?: number;
  /**
  * Path of the service account credentials JSON file (default: ADC). Types: `gcpckms`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#credentials ManagedKey#credentials}
  */
  readonly credentials?: string;
  /**
  * The name of the crypto key to use. Types: `gcpckms`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#crypto_key ManagedKey#crypto_key}
  */
  readonly cryptoKey?: string;
  /**
  * The version of the crypto key to use. Types: `gcpckms`. Default: "1" (gcpckms).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#crypto_key_version ManagedKey#crypto_key_version}
  */
  readonly cryptoKeyVersion?: string;
  /**
  * The curve of an ECDSA key. Used when allow_generate_key is true. Types: `pkcs11`, `awskms`. Allowed: `P256`, `P384`, `P521`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#curve ManagedKey#curve}
  */
  readonly curve?: string;
  /**
  * `awskms`: A custom AWS KMS endpoint URL. `azurekeyvault`: The vault URL, overriding vault_name and resource. `gcpckms`: A custom Cloud KMS endpoint (host:port or URL). Types: `awskms`, `azurekeyvault`, `gcpckms`. Keyplane addition.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#endpoint ManagedKey#endpoint}
  */
  readonly endpoint?: string;
  /**
  * The Azure cloud environment whose API endpoints are used. Types: `azurekeyvault`. Allowed: `AZUREPUBLICCLOUD`, `AZURECHINACLOUD`, `AZUREUSGOVERNMENTCLOUD`. Default: "AZUREPUBLICCLOUD" (azurekeyvault).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#environment ManagedKey#environment}
  */
  readonly environment?: string;
  /**
  * Open read-write sessions for every operation. Types: `pkcs11`. Default: false (pkcs11).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#force_rw_session ManagedKey#force_rw_session}
  */
  readonly forceRwSession?: boolean | cdktf.IResolvable;
  /**
  * `awskms`: Allow a plain http:// endpoint on a non-loopback host. `gcpckms`: Plaintext gRPC to a loopback endpoint (local emulator only). Types: `awskms`, `gcpckms`. Default: false (awskms), false (gcpckms). Keyplane addition.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#insecure ManagedKey#insecure}
  */
  readonly insecure?: boolean | cdktf.IResolvable;
  /**
  * The size in bits for an RSA key. Used when allow_generate_key is true. Types: `pkcs11`, `awskms`, `azurekeyvault`. Allowed: `2048`, `3072`, `4096`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#key_bits ManagedKey#key_bits}
  */
  readonly keyBits?: number;
  /**
  * The id (CKA_ID) of the key to use. Types: `pkcs11`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#key_id ManagedKey#key_id}
  */
  readonly keyId?: string;
  /**
  * The label of the key to use. Types: `pkcs11`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#key_label ManagedKey#key_label}
  */
  readonly keyLabel?: string;
  /**
  * The Key Vault key to use. Types: `azurekeyvault`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#key_name ManagedKey#key_name}
  */
  readonly keyName?: string;
  /**
  * The name of the key ring holding the crypto key. Types: `gcpckms`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#key_ring ManagedKey#key_ring}
  */
  readonly keyRing?: string;
  /**
  * The type of key to use. Types: `awskms`, `azurekeyvault`. Allowed: `RSA`, `ECDSA`, `RSA-HSM`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#key_type ManagedKey#key_type}
  */
  readonly keyType?: string;
  /**
  * An identifier for the key: key id, ARN or alias. Types: `awskms`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#kms_key ManagedKey#kms_key}
  */
  readonly kmsKey?: string;
  /**
  * Absolute path of the PKCS#11 module (Vault names a kms_library stanza here). Types: `pkcs11`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#library ManagedKey#library}
  */
  readonly library?: string;
  /**
  * Concurrent requests in flight to the HSM. Types: `pkcs11`. Default: 1 (pkcs11).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#max_parallel ManagedKey#max_parallel}
  */
  readonly maxParallel?: number;
  /**
  * The signing/encryption mechanism, as a 0x-prefixed hexadecimal string: 0x1041 CKM_ECDSA, 0x000D CKM_RSA_PKCS_PSS, 0x0009 CKM_RSA_PKCS_OAEP, 0x0001 CKM_RSA_PKCS. Types: `pkcs11`. Allowed: `0x1041`, `0x000D`, `0x0009`, `0x0001`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#mechanism ManagedKey#mechanism}
  */
  readonly mechanism?: string;
  /**
  * Name, unique in the namespace across all types. Changing it replaces the entry.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#name ManagedKey#name}
  */
  readonly name: string;
  /**
  * The PIN for login. Types: `pkcs11`. Sealed in the store. Bump `pin_wo_version` to send a new value.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#pin_wo ManagedKey#pin_wo}
  */
  readonly pinWo?: string;
  /**
  * Any change sends `pin_wo` again (write-only values are not compared).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#pin_wo_version ManagedKey#pin_wo_version}
  */
  readonly pinWoVersion?: number;
  /**
  * The GCP project id. Types: `gcpckms`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#project ManagedKey#project}
  */
  readonly project?: string;
  /**
  * `awskms`: The AWS region where the key is stored. `gcpckms`: The GCP region of the key ring. Types: `awskms`, `gcpckms`. Default: "us-east-1" (awskms).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#region ManagedKey#region}
  */
  readonly region?: string;
  /**
  * The vault's DNS suffix (managedhsm.azure.net for Managed HSM). Types: `azurekeyvault`. Default: "vault.azure.net" (azurekeyvault).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#resource ManagedKey#resource}
  */
  readonly resource?: string;
  /**
  * The AWS secret access key (default: the SDK credential chain). Types: `awskms`. Sealed in the store. Bump `secret_key_wo_version` to send a new value.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#secret_key_wo ManagedKey#secret_key_wo}
  */
  readonly secretKeyWo?: string;
  /**
  * Any change sends `secret_key_wo` again (write-only values are not compared).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#secret_key_wo_version ManagedKey#secret_key_wo_version}
  */
  readonly secretKeyWoVersion?: number;
  /**
  * The slot number, in decimal. Types: `pkcs11`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#slot ManagedKey#slot}
  */
  readonly slot?: string;
  /**
  * The tenant id of the Azure Active Directory organization. Types: `azurekeyvault`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#tenant_id ManagedKey#tenant_id}
  */
  readonly tenantId?: string;
  /**
  * Sign and verify random data through the key on create and whenever its parameters change (like Vault's managed-key `test/sign` endpoint), so a wrong PIN, label or algorithm fails the apply, not the first use. Default: true (needs `sign` and `verify` in `usages`).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#test_sign ManagedKey#test_sign}
  */
  readonly testSign?: boolean | cdktf.IResolvable;
  /**
  * The token label of the slot to use. Types: `pkcs11`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#token_label ManagedKey#token_label}
  */
  readonly tokenLabel?: string;
  /**
  * Backend type: `pkcs11`, `awskms`, `azurekeyvault`, `gcpckms`. Changing it replaces the entry.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#type ManagedKey#type}
  */
  readonly type: string;
  /**
  * Comma-separated allowed usages: encrypt, decrypt, sign, verify, wrap, unwrap, mac, random. All types. Allowed: `encrypt`, `decrypt`, `sign`, `verify`, `wrap`, `unwrap`, `mac`, `random`. Default: ["sign","verify"].
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#usages ManagedKey#usages}
  */
  readonly usages?: string[];
  /**
  * The Key Vault vault to use. Types: `azurekeyvault`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#vault_name ManagedKey#vault_name}
  */
  readonly vaultName?: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key keyplane_managed_key}
*/
export class ManagedKey extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "keyplane_managed_key";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a ManagedKey resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the ManagedKey to import
  * @param importFromId The id of the existing ManagedKey that should be imported. Refer to the {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the ManagedKey to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "keyplane_managed_key", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/keyplane/keyplane/0.1.0/docs/resources/managed_key keyplane_managed_key} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options ManagedKeyConfig
  */
  public constructor(scope: Construct, id: string, config: ManagedKeyConfig) {
    super(scope, id, {
      terraformResourceType: 'keyplane_managed_key',
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
    this._accessKeyWo = config.accessKeyWo;
    this._accessKeyWoVersion = config.accessKeyWoVersion;
    this._algorithm = config.algorithm;
    this._allowGenerateKey = config.allowGenerateKey;
    this._allowReplaceKey = config.allowReplaceKey;
    this._allowStoreKey = config.allowStoreKey;
    this._anyMount = config.anyMount;
    this._caFile = config.caFile;
    this._clientId = config.clientId;
    this._clientSecretWo = config.clientSecretWo;
    this._clientSecretWoVersion = config.clientSecretWoVersion;
    this._credentials = config.credentials;
    this._cryptoKey = config.cryptoKey;
    this._cryptoKeyVersion = config.cryptoKeyVersion;
    this._curve = config.curve;
    this._endpoint = config.endpoint;
    this._environment = config.environment;
    this._forceRwSession = config.forceRwSession;
    this._insecure = config.insecure;
    this._keyBits = config.keyBits;
    this._keyId = config.keyId;
    this._keyLabel = config.keyLabel;
    this._keyName = config.keyName;
    this._keyRing = config.keyRing;
    this._keyType = config.keyType;
    this._kmsKey = config.kmsKey;
    this._library = config.library;
    this._maxParallel = config.maxParallel;
    this._mechanism = config.mechanism;
    this._name = config.name;
    this._pinWo = config.pinWo;
    this._pinWoVersion = config.pinWoVersion;
    this._project = config.project;
    this._region = config.region;
    this._resource = config.resource;
    this._secretKeyWo = config.secretKeyWo;
    this._secretKeyWoVersion = config.secretKeyWoVersion;
    this._slot = config.slot;
    this._tenantId = config.tenantId;
    this._testSign = config.testSign;
    this._tokenLabel = config.tokenLabel;
    this._type = config.type;
    this._usages = config.usages;
    this._vaultName = config.vaultName;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // access_key_wo - computed: false, optional: true, required: false
  private _accessKeyWo?: string; 
  public get accessKeyWo() {
    return this.getStringAttribute('access_key_wo');
  }
  public set accessKeyWo(value: string) {
    this._accessKeyWo = value;
  }
  public resetAccessKeyWo() {
    this._accessKeyWo = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get accessKeyWoInput() {
    return this._accessKeyWo;
  }

  // access_key_wo_version - computed: false, optional: true, required: false
  private _accessKeyWoVersion?: number; 
  public get accessKeyWoVersion() {
    return this.getNumberAttribute('access_key_wo_version');
  }
  public set accessKeyWoVersion(value: number) {
    this._accessKeyWoVersion = value;
  }
  public resetAccessKeyWoVersion() {
    this._accessKeyWoVersion = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get accessKeyWoVersionInput() {
    return this._accessKeyWoVersion;
  }

  // algorithm - computed: false, optional: true, required: false
  private _algorithm?: string; 
  public get algorithm() {
    return this.getStringAttribute('algorithm');
  }
  public set algorithm(value: string) {
    this._algorithm = value;
  }
  public resetAlgorithm() {
    this._algorithm = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get algorithmInput() {
    return this._algorithm;
  }

  // allow_generate_key - computed: true, optional: true, required: false
  private _allowGenerateKey?: boolean | cdktf.IResolvable; 
  public get allowGenerateKey() {
    return this.getBooleanAttribute('allow_generate_key');
  }
  public set allowGenerateKey(value: boolean | cdktf.IResolvable) {
    this._allowGenerateKey = value;
  }
  public resetAllowGenerateKey() {
    this._allowGenerateKey = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get allowGenerateKeyInput() {
    return this._allowGenerateKey;
  }

  // allow_replace_key - computed: true, optional: true, required: false
  private _allowReplaceKey?: boolean | cdktf.IResolvable; 
  public get allowReplaceKey() {
    return this.getBooleanAttribute('allow_replace_key');
  }
  public set allowReplaceKey(value: boolean | cdktf.IResolvable) {
    this._allowReplaceKey = value;
  }
  public resetAllowReplaceKey() {
    this._allowReplaceKey = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get allowReplaceKeyInput() {
    return this._allowReplaceKey;
  }

  // allow_store_key - computed: true, optional: true, required: false
  private _allowStoreKey?: boolean | cdktf.IResolvable; 
  public get allowStoreKey() {
    return this.getBooleanAttribute('allow_store_key');
  }
  public set allowStoreKey(value: boolean | cdktf.IResolvable) {
    this._allowStoreKey = value;
  }
  public resetAllowStoreKey() {
    this._allowStoreKey = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get allowStoreKeyInput() {
    return this._allowStoreKey;
  }

  // any_mount - computed: true, optional: true, required: false
  private _anyMount?: boolean | cdktf.IResolvable; 
  public get anyMount() {
    return this.getBooleanAttribute('any_mount');
  }
  public set anyMount(value: boolean | cdktf.IResolvable) {
    this._anyMount = value;
  }
  public resetAnyMount() {
    this._anyMount = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get anyMountInput() {
    return this._anyMount;
  }

  // ca_file - computed: false, optional: true, required: false
  private _caFile?: string; 
  public get caFile() {
    return this.getStringAttribute('ca_file');
  }
  public set caFile(value: string) {
    this._caFile = value;
  }
  public resetCaFile() {
    this._caFile = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get caFileInput() {
    return this._caFile;
  }

  // client_id - computed: false, optional: true, required: false
  private _clientId?: string; 
  public get clientId() {
    return this.getStringAttribute('client_id');
  }
  public set clientId(value: string) {
    this._clientId = value;
  }
  public resetClientId() {
    this._clientId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get clientIdInput() {
    return this._clientId;
  }

  // client_secret_wo - computed: false, optional: true, required: false
  private _clientSecretWo?: string; 
  public get clientSecretWo() {
    return this.getStringAttribute('client_secret_wo');
  }
  public set clientSecretWo(value: string) {
    this._clientSecretWo = value;
  }
  public resetClientSecretWo() {
    this._clientSecretWo = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get clientSecretWoInput() {
    return this._clientSecretWo;
  }

  // client_secret_wo_version - computed: false, optional: true, required: false
  private _clientSecretWoVersion?: number; 
  public get clientSecretWoVersion() {
    return this.getNumberAttribute('client_secret_wo_version');
  }
  public set clientSecretWoVersion(value: number) {
    this._clientSecretWoVersion = value;
  }
  public resetClientSecretWoVersion() {
    this._clientSecretWoVersion = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get clientSecretWoVersionInput() {
    return this._clientSecretWoVersion;
  }

  // credentials - computed: false, optional: true, required: false
  private _credentials?: string; 
  public get credentials() {
    return this.getStringAttribute('credentials');
  }
  public set credentials(value: string) {
    this._credentials = value;
  }
  public resetCredentials() {
    this._credentials = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get credentialsInput() {
    return this._credentials;
  }

  // crypto_key - computed: false, optional: true, required: false
  private _cryptoKey?: string; 
  public get cryptoKey() {
    return this.getStringAttribute('crypto_key');
  }
  public set cryptoKey(value: string) {
    this._cryptoKey = value;
  }
  public resetCryptoKey() {
    this._cryptoKey = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get cryptoKeyInput() {
    return this._cryptoKey;
  }

  // crypto_key_version - computed: true, optional: true, required: false
  private _cryptoKeyVersion?: string; 
  public get cryptoKeyVersion() {
    return this.getStringAttribute('crypto_key_version');
  }
  public set cryptoKeyVersion(value: string) {
    this._cryptoKeyVersion = value;
  }
  public resetCryptoKeyVersion() {
    this._cryptoKeyVersion = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get cryptoKeyVersionInput() {
    return this._cryptoKeyVersion;
  }

  // curve - computed: false, optional: true, required: false
  private _curve?: string; 
  public get curve() {
    return this.getStringAttribute('curve');
  }
  public set curve(value: string) {
    this._curve = value;
  }
  public resetCurve() {
    this._curve = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get curveInput() {
    return this._curve;
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

  // environment - computed: true, optional: true, required: false
  private _environment?: string; 
  public get environment() {
    return this.getStringAttribute('environment');
  }
  public set environment(value: string) {
    this._environment = value;
  }
  public resetEnvironment() {
    this._environment = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get environmentInput() {
    return this._environment;
  }

  // force_rw_session - computed: true, optional: true, required: false
  private _forceRwSession?: boolean | cdktf.IResolvable; 
  public get forceRwSession() {
    return this.getBooleanAttribute('force_rw_session');
  }
  public set forceRwSession(value: boolean | cdktf.IResolvable) {
    this._forceRwSession = value;
  }
  public resetForceRwSession() {
    this._forceRwSession = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get forceRwSessionInput() {
    return this._forceRwSession;
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // insecure - computed: true, optional: true, required: false
  private _insecure?: boolean | cdktf.IResolvable; 
  public get insecure() {
    return this.getBooleanAttribute('insecure');
  }
  public set insecure(value: boolean | cdktf.IResolvable) {
    this._insecure = value;
  }
  public resetInsecure() {
    this._insecure = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get insecureInput() {
    return this._insecure;
  }

  // key_bits - computed: false, optional: true, required: false
  private _keyBits?: number; 
  public get keyBits() {
    return this.getNumberAttribute('key_bits');
  }
  public set keyBits(value: number) {
    this._keyBits = value;
  }
  public resetKeyBits() {
    this._keyBits = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get keyBitsInput() {
    return this._keyBits;
  }

  // key_id - computed: false, optional: true, required: false
  private _keyId?: string; 
  public get keyId() {
    return this.getStringAttribute('key_id');
  }
  public set keyId(value: string) {
    this._keyId = value;
  }
  public resetKeyId() {
    this._keyId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get keyIdInput() {
    return this._keyId;
  }

  // key_label - computed: false, optional: true, required: false
  private _keyLabel?: string; 
  public get keyLabel() {
    return this.getStringAttribute('key_label');
  }
  public set keyLabel(value: string) {
    this._keyLabel = value;
  }
  public resetKeyLabel() {
    this._keyLabel = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get keyLabelInput() {
    return this._keyLabel;
  }

  // key_name - computed: false, optional: true, required: false
  private _keyName?: string; 
  public get keyName() {
    return this.getStringAttribute('key_name');
  }
  public set keyName(value: string) {
    this._keyName = value;
  }
  public resetKeyName() {
    this._keyName = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get keyNameInput() {
    return this._keyName;
  }

  // key_ring - computed: false, optional: true, required: false
  private _keyRing?: string; 
  public get keyRing() {
    return this.getStringAttribute('key_ring');
  }
  public set keyRing(value: string) {
    this._keyRing = value;
  }
  public resetKeyRing() {
    this._keyRing = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get keyRingInput() {
    return this._keyRing;
  }

  // key_type - computed: false, optional: true, required: false
  private _keyType?: string; 
  public get keyType() {
    return this.getStringAttribute('key_type');
  }
  public set keyType(value: string) {
    this._keyType = value;
  }
  public resetKeyType() {
    this._keyType = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get keyTypeInput() {
    return this._keyType;
  }

  // key_version - computed: true, optional: false, required: false
  public get keyVersion() {
    return this.getStringAttribute('key_version');
  }

  // kms_key - computed: false, optional: true, required: false
  private _kmsKey?: string; 
  public get kmsKey() {
    return this.getStringAttribute('kms_key');
  }
  public set kmsKey(value: string) {
    this._kmsKey = value;
  }
  public resetKmsKey() {
    this._kmsKey = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get kmsKeyInput() {
    return this._kmsKey;
  }

  // library - computed: false, optional: true, required: false
  private _library?: string; 
  public get library() {
    return this.getStringAttribute('library');
  }
  public set library(value: string) {
    this._library = value;
  }
  public resetLibrary() {
    this._library = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get libraryInput() {
    return this._library;
  }

  // max_parallel - computed: true, optional: true, required: false
  private _maxParallel?: number; 
  public get maxParallel() {
    return this.getNumberAttribute('max_parallel');
  }
  public set maxParallel(value: number) {
    this._maxParallel = value;
  }
  public resetMaxParallel() {
    this._maxParallel = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get maxParallelInput() {
    return this._maxParallel;
  }

  // mechanism - computed: false, optional: true, required: false
  private _mechanism?: string; 
  public get mechanism() {
    return this.getStringAttribute('mechanism');
  }
  public set mechanism(value: string) {
    this._mechanism = value;
  }
  public resetMechanism() {
    this._mechanism = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get mechanismInput() {
    return this._mechanism;
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

  // pin_wo - computed: false, optional: true, required: false
  private _pinWo?: string; 
  public get pinWo() {
    return this.getStringAttribute('pin_wo');
  }
  public set pinWo(value: string) {
    this._pinWo = value;
  }
  public resetPinWo() {
    this._pinWo = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get pinWoInput() {
    return this._pinWo;
  }

  // pin_wo_version - computed: false, optional: true, required: false
  private _pinWoVersion?: number; 
  public get pinWoVersion() {
    return this.getNumberAttribute('pin_wo_version');
  }
  public set pinWoVersion(value: number) {
    this._pinWoVersion = value;
  }
  public resetPinWoVersion() {
    this._pinWoVersion = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get pinWoVersionInput() {
    return this._pinWoVersion;
  }

  // project - computed: false, optional: true, required: false
  private _project?: string; 
  public get project() {
    return this.getStringAttribute('project');
  }
  public set project(value: string) {
    this._project = value;
  }
  public resetProject() {
    this._project = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get projectInput() {
    return this._project;
  }

  // region - computed: true, optional: true, required: false
  private _region?: string; 
  public get region() {
    return this.getStringAttribute('region');
  }
  public set region(value: string) {
    this._region = value;
  }
  public resetRegion() {
    this._region = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get regionInput() {
    return this._region;
  }

  // resource - computed: true, optional: true, required: false
  private _resource?: string; 
  public get resource() {
    return this.getStringAttribute('resource');
  }
  public set resource(value: string) {
    this._resource = value;
  }
  public resetResource() {
    this._resource = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get resourceInput() {
    return this._resource;
  }

  // secret_key_wo - computed: false, optional: true, required: false
  private _secretKeyWo?: string; 
  public get secretKeyWo() {
    return this.getStringAttribute('secret_key_wo');
  }
  public set secretKeyWo(value: string) {
    this._secretKeyWo = value;
  }
  public resetSecretKeyWo() {
    this._secretKeyWo = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get secretKeyWoInput() {
    return this._secretKeyWo;
  }

  // secret_key_wo_version - computed: false, optional: true, required: false
  private _secretKeyWoVersion?: number; 
  public get secretKeyWoVersion() {
    return this.getNumberAttribute('secret_key_wo_version');
  }
  public set secretKeyWoVersion(value: number) {
    this._secretKeyWoVersion = value;
  }
  public resetSecretKeyWoVersion() {
    this._secretKeyWoVersion = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get secretKeyWoVersionInput() {
    return this._secretKeyWoVersion;
  }

  // slot - computed: false, optional: true, required: false
  private _slot?: string; 
  public get slot() {
    return this.getStringAttribute('slot');
  }
  public set slot(value: string) {
    this._slot = value;
  }
  public resetSlot() {
    this._slot = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get slotInput() {
    return this._slot;
  }

  // tenant_id - computed: false, optional: true, required: false
  private _tenantId?: string; 
  public get tenantId() {
    return this.getStringAttribute('tenant_id');
  }
  public set tenantId(value: string) {
    this._tenantId = value;
  }
  public resetTenantId() {
    this._tenantId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get tenantIdInput() {
    return this._tenantId;
  }

  // test_sign - computed: true, optional: true, required: false
  private _testSign?: boolean | cdktf.IResolvable; 
  public get testSign() {
    return this.getBooleanAttribute('test_sign');
  }
  public set testSign(value: boolean | cdktf.IResolvable) {
    this._testSign = value;
  }
  public resetTestSign() {
    this._testSign = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get testSignInput() {
    return this._testSign;
  }

  // token_label - computed: false, optional: true, required: false
  private _tokenLabel?: string; 
  public get tokenLabel() {
    return this.getStringAttribute('token_label');
  }
  public set tokenLabel(value: string) {
    this._tokenLabel = value;
  }
  public resetTokenLabel() {
    this._tokenLabel = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get tokenLabelInput() {
    return this._tokenLabel;
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

  // usages - computed: true, optional: true, required: false
  private _usages?: string[]; 
  public get usages() {
    return cdktf.Fn.tolist(this.getListAttribute('usages'));
  }
  public set usages(value: string[]) {
    this._usages = value;
  }
  public resetUsages() {
    this._usages = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get usagesInput() {
    return this._usages;
  }

  // uuid - computed: true, optional: false, required: false
  public get uuid() {
    return this.getStringAttribute('uuid');
  }

  // vault_name - computed: false, optional: true, required: false
  private _vaultName?: string; 
  public get vaultName() {
    return this.getStringAttribute('vault_name');
  }
  public set vaultName(value: string) {
    this._vaultName = value;
  }
  public resetVaultName() {
    this._vaultName = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get vaultNameInput() {
    return this._vaultName;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      access_key_wo: cdktf.stringToTerraform(this._accessKeyWo),
      access_key_wo_version: cdktf.numberToTerraform(this._accessKeyWoVersion),
      algorithm: cdktf.stringToTerraform(this._algorithm),
      allow_generate_key: cdktf.booleanToTerraform(this._allowGenerateKey),
      allow_replace_key: cdktf.booleanToTerraform(this._allowReplaceKey),
      allow_store_key: cdktf.booleanToTerraform(this._allowStoreKey),
      any_mount: cdktf.booleanToTerraform(this._anyMount),
      ca_file: cdktf.stringToTerraform(this._caFile),
      client_id: cdktf.stringToTerraform(this._clientId),
      client_secret_wo: cdktf.stringToTerraform(this._clientSecretWo),
      client_secret_wo_version: cdktf.numberToTerraform(this._clientSecretWoVersion),
      credentials: cdktf.stringToTerraform(this._credentials),
      crypto_key: cdktf.stringToTerraform(this._cryptoKey),
      crypto_key_version: cdktf.stringToTerraform(this._cryptoKeyVersion),
      curve: cdktf.stringToTerraform(this._curve),
      endpoint: cdktf.stringToTerraform(this._endpoint),
      environment: cdktf.stringToTerraform(this._environment),
      force_rw_session: cdktf.booleanToTerraform(this._forceRwSession),
      insecure: cdktf.booleanToTerraform(this._insecure),
      key_bits: cdktf.numberToTerraform(this._keyBits),
      key_id: cdktf.stringToTerraform(this._keyId),
      key_label: cdktf.stringToTerraform(this._keyLabel),
      key_name: cdktf.stringToTerraform(this._keyName),
      key_ring: cdktf.stringToTerraform(this._keyRing),
      key_type: cdktf.stringToTerraform(this._keyType),
      kms_key: cdktf.stringToTerraform(this._kmsKey),
      library: cdktf.stringToTerraform(this._library),
      max_parallel: cdktf.numberToTerraform(this._maxParallel),
      mechanism: cdktf.stringToTerraform(this._mechanism),
      name: cdktf.stringToTerraform(this._name),
      pin_wo: cdktf.stringToTerraform(this._pinWo),
      pin_wo_version: cdktf.numberToTerraform(this._pinWoVersion),
      project: cdktf.stringToTerraform(this._project),
      region: cdktf.stringToTerraform(this._region),
      resource: cdktf.stringToTerraform(this._resource),
      secret_key_wo: cdktf.stringToTerraform(this._secretKeyWo),
      secret_key_wo_version: cdktf.numberToTerraform(this._secretKeyWoVersion),
      slot: cdktf.stringToTerraform(this._slot),
      tenant_id: cdktf.stringToTerraform(this._tenantId),
      test_sign: cdktf.booleanToTerraform(this._testSign),
      token_label: cdktf.stringToTerraform(this._tokenLabel),
      type: cdktf.stringToTerraform(this._type),
      usages: cdktf.listMapper(cdktf.stringToTerraform, false)(this._usages),
      vault_name: cdktf.stringToTerraform(this._vaultName),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      access_key_wo: {
        value: cdktf.stringToHclTerraform(this._accessKeyWo),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      access_key_wo_version: {
        value: cdktf.numberToHclTerraform(this._accessKeyWoVersion),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      algorithm: {
        value: cdktf.stringToHclTerraform(this._algorithm),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      allow_generate_key: {
        value: cdktf.booleanToHclTerraform(this._allowGenerateKey),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      allow_replace_key: {
        value: cdktf.booleanToHclTerraform(this._allowReplaceKey),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      allow_store_key: {
        value: cdktf.booleanToHclTerraform(this._allowStoreKey),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      any_mount: {
        value: cdktf.booleanToHclTerraform(this._anyMount),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      ca_file: {
        value: cdktf.stringToHclTerraform(this._caFile),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      client_id: {
        value: cdktf.stringToHclTerraform(this._clientId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      client_secret_wo: {
        value: cdktf.stringToHclTerraform(this._clientSecretWo),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      client_secret_wo_version: {
        value: cdktf.numberToHclTerraform(this._clientSecretWoVersion),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      credentials: {
        value: cdktf.stringToHclTerraform(this._credentials),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      crypto_key: {
        value: cdktf.stringToHclTerraform(this._cryptoKey),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      crypto_key_version: {
        value: cdktf.stringToHclTerraform(this._cryptoKeyVersion),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      curve: {
        value: cdktf.stringToHclTerraform(this._curve),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      endpoint: {
        value: cdktf.stringToHclTerraform(this._endpoint),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      environment: {
        value: cdktf.stringToHclTerraform(this._environment),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      force_rw_session: {
        value: cdktf.booleanToHclTerraform(this._forceRwSession),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      insecure: {
        value: cdktf.booleanToHclTerraform(this._insecure),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      key_bits: {
        value: cdktf.numberToHclTerraform(this._keyBits),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      key_id: {
        value: cdktf.stringToHclTerraform(this._keyId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      key_label: {
        value: cdktf.stringToHclTerraform(this._keyLabel),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      key_name: {
        value: cdktf.stringToHclTerraform(this._keyName),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      key_ring: {
        value: cdktf.stringToHclTerraform(this._keyRing),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      key_type: {
        value: cdktf.stringToHclTerraform(this._keyType),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      kms_key: {
        value: cdktf.stringToHclTerraform(this._kmsKey),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      library: {
        value: cdktf.stringToHclTerraform(this._library),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      max_parallel: {
        value: cdktf.numberToHclTerraform(this._maxParallel),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      mechanism: {
        value: cdktf.stringToHclTerraform(this._mechanism),
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
      pin_wo: {
        value: cdktf.stringToHclTerraform(this._pinWo),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      pin_wo_version: {
        value: cdktf.numberToHclTerraform(this._pinWoVersion),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      project: {
        value: cdktf.stringToHclTerraform(this._project),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      region: {
        value: cdktf.stringToHclTerraform(this._region),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      resource: {
        value: cdktf.stringToHclTerraform(this._resource),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      secret_key_wo: {
        value: cdktf.stringToHclTerraform(this._secretKeyWo),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      secret_key_wo_version: {
        value: cdktf.numberToHclTerraform(this._secretKeyWoVersion),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      slot: {
        value: cdktf.stringToHclTerraform(this._slot),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      tenant_id: {
        value: cdktf.stringToHclTerraform(this._tenantId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      test_sign: {
        value: cdktf.booleanToHclTerraform(this._testSign),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      token_label: {
        value: cdktf.stringToHclTerraform(this._tokenLabel),
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
      usages: {
        value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(this._usages),
        isBlock: false,
        type: "set",
        storageClassType: "stringList",
      },
      vault_name: {
        value: cdktf.stringToHclTerraform(this._vaultName),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
