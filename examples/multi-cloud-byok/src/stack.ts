/**
 * multi-cloud-byok: one central RSA key with a rotation period, distributed (BYOK) to AWS KMS,
 * Azure Key Vault and GCP Cloud KMS — the same public key in each — and a P-256 key generated in
 * a PKCS#11 token (SoftHSM2 under `keyplane dev`) that signs through a signing key.
 *
 * @module
 */
import {
  AwsKmsConnection,
  AzureKeyVaultConnection,
  GcpKmsConnection,
  Key,
  KeyplaneProvider,
  ManagedKey,
  ManagedKeyBackend,
  Pkcs11Connection,
  SigningKey,
} from '@keyplane/cdktf';
import { dataKeyplanePublicKey } from '@keyplane/cdktf/gen';
import { TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import type { CloudSettings } from './settings';

export interface MultiCloudByokStackProps {
  /** Where the clouds are (`settingsFromEnv(process.env)` under `keyplane dev`). */
  readonly clouds: CloudSettings;
  /** Name of the central key. @default 'acme-signing' */
  readonly keyName?: string;
  /** Change it to make one new version of the central key on the next apply. @default - none */
  readonly rotateTrigger?: string;
}

/** Sensitive, no default: the value comes from TF_VAR_<id> and lands in neither synth nor state. */
function secretVariable(scope: Construct, id: string, description: string): TerraformVariable {
  return new TerraformVariable(scope, id, { type: 'string', sensitive: true, description });
}

export class MultiCloudByokStack extends TerraformStack {
  /** The central key distributed to the three clouds. */
  readonly key: Key;

  constructor(scope: Construct, id: string, props: MultiCloudByokStackProps) {
    super(scope, id);
    const { clouds } = props;
    // Store and seal come from KEYPLANE_STORE / KEYPLANE_SEAL_PASSPHRASE (or KEYPLANE_SEAL).
    new KeyplaneProvider(this, 'keyplane', {});

    const awsAccessKey = secretVariable(this, 'aws_access_key', 'AWS access key id');
    const awsSecretKey = secretVariable(this, 'aws_secret_key', 'AWS secret access key');
    const hsmPin = secretVariable(this, 'hsm_pin', 'User PIN of the PKCS#11 token');

    this.key = new Key(this, 'Key', {
      name: props.keyName ?? 'acme-signing',
      type: 'rsa-2048',
      rotationPeriod: '2160h',
      deletionAllowed: true,
      ...(props.rotateTrigger === undefined ? {} : { rotateTrigger: props.rotateTrigger }),
    });

    const aws = new AwsKmsConnection(this, 'Aws', {
      name: 'aws',
      region: clouds.awsRegion,
      endpoint: clouds.awsEndpoint,
      accessKey: awsAccessKey,
      secretKey: awsSecretKey,
    });
    const azure = new AzureKeyVaultConnection(this, 'Azure', {
      name: 'azure',
      vaultName: 'acme-vault',
      endpoint: clouds.azureVaultUrl,
      caFile: clouds.azureCaFile,
    });
    const gcp = new GcpKmsConnection(this, 'Gcp', {
      name: 'gcp',
      keyRing: clouds.gcpKeyRing,
      endpoint: clouds.gcpEndpoint,
    });
    const distributions = {
      aws: this.key.distributeTo(aws, { purpose: ['sign', 'verify'] }),
      azure: this.key.distributeTo(azure, { purpose: ['sign', 'verify'] }),
      gcp: this.key.distributeTo(gcp, { purpose: ['sign', 'verify'], protection: 'hsm' }),
    };

    // The token as a KMS connection: the origin of an HSM-generated central key.
    const hsm = new Pkcs11Connection(this, 'Hsm', {
      name: 'hsm',
      tokenLabel: clouds.pkcs11TokenLabel,
      library: clouds.pkcs11Library,
      pin: hsmPin,
    });
    // HSM-ORIGIN KEY (next): a Key with `origin: hsm` (generated in this token, never exported)
    // distributed to one cloud — e.g. `hsmKey.distributeTo(aws, { purpose: ['sign', 'verify'] })`.

    // A key that never leaves the token: generated there on first use, signing through Keyplane.
    const signer = new ManagedKey(this, 'Signer', {
      name: 'release-signer',
      backend: ManagedKeyBackend.pkcs11({
        library: clouds.pkcs11Library,
        tokenLabel: clouds.pkcs11TokenLabel,
        keyLabel: 'acme-release-signer',
        mechanism: '0x1041', // CKM_ECDSA
        curve: 'P256',
        pin: hsmPin,
      }),
      allowGenerateKey: true,
    });
    const release = new SigningKey(this, 'Release', {
      name: 'release',
      managedKey: signer,
      allowedManagedKeys: [signer],
    });
    const releasePublicKey = new dataKeyplanePublicKey.DataKeyplanePublicKey(this, 'ReleasePub', {
      signingKey: release.signingKeyName,
    });

    new TerraformOutput(this, 'key_name', { value: this.key.keyName });
    new TerraformOutput(this, 'latest_version', { value: this.key.latestVersion });
    new TerraformOutput(this, 'fingerprint', { value: this.key.fingerprint });
    new TerraformOutput(this, 'key_versions', { value: this.key.resource.versions });
    for (const [cloud, distribution] of Object.entries(distributions)) {
      new TerraformOutput(this, `${cloud}_key_name`, { value: distribution.kmsKeyName });
      new TerraformOutput(this, `${cloud}_versions`, { value: distribution.versions });
    }
    new TerraformOutput(this, 'hsm_connection', { value: hsm.kmsName });
    new TerraformOutput(this, 'signing_key', { value: release.signingKeyName });
    new TerraformOutput(this, 'signer_public_key_pem', { value: releasePublicKey.publicKeyPem });
    new TerraformOutput(this, 'signer_fingerprint', { value: releasePublicKey.fingerprint });
  }
}
