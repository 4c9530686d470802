/**
 * Reads every distributed version back through each cloud's own SDK — not through Keyplane —
 * and fingerprints the public key the cloud serves (SHA-256 of the DER SubjectPublicKeyInfo, as
 * `openssl pkey -pubin -outform DER | sha256sum` computes it): AWS `GetPublicKey`
 * (https://docs.aws.amazon.com/kms/latest/APIReference/API_GetPublicKey.html), Azure `getKey`
 * (the JWK, https://learn.microsoft.com/rest/api/keyvault/keys/get-key/get-key) and GCP
 * `getPublicKey` (https://cloud.google.com/kms/docs/reference/rest/v1/projects.locations.keyRings.cryptoKeys.cryptoKeyVersions/getPublicKey).
 *
 * @module
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { KeyClient } from '@azure/keyvault-keys';
import { KeyManagementServiceClient } from '@google-cloud/kms';
import { credentials } from '@grpc/grpc-js';
import { OAuth2Client } from 'google-auth-library';

/** Where one version lives in one cloud, as the distribution's `versions` output holds it. */
export interface CloudVersion {
  readonly cloud_id: string;
  readonly cloud_version: string;
  readonly state: string;
}

export type Cloud = 'aws' | 'azure' | 'gcp';
export const CLOUDS: readonly Cloud[] = ['aws', 'azure', 'gcp'];

/** The clouds' names as users know them, and the read call used (for the summary). */
export const CLOUD_LABELS: Readonly<
  Record<Cloud, { readonly name: string; readonly call: string }>
> = {
  aws: { name: 'AWS KMS', call: 'GetPublicKey' },
  azure: { name: 'Azure Key Vault', call: 'getKey' },
  gcp: { name: 'GCP Cloud KMS', call: 'getPublicKey' },
};

export const spkiFingerprint = (key: KeyObject): string =>
  `sha256:${createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex')}`;

const base64url = (bytes: Uint8Array | undefined): string =>
  Buffer.from(bytes ?? new Uint8Array()).toString('base64url');

/** The three clouds' own SDK clients. */
export interface CloudSdks {
  readonly aws: KMSClient;
  readonly azure: KeyClient;
  readonly gcp: KeyManagementServiceClient;
}

/** Per cloud: the public key its SDK serves for one version (a table: one row per cloud). */
export const SERVED_PUBLIC_KEY: Readonly<
  Record<Cloud, (sdks: CloudSdks, keyName: string, v: CloudVersion) => Promise<KeyObject>>
> = {
  aws: async (sdks, _name, v) => {
    const r = await sdks.aws.send(new GetPublicKeyCommand({ KeyId: v.cloud_id }));
    return createPublicKey({
      key: Buffer.from(r.PublicKey ?? new Uint8Array()),
      format: 'der',
      type: 'spki',
    });
  },
  // Azure Key Vault takes RSA keys only (the BYOK table), served as a JWK.
  azure: async (sdks, name, v) => {
    const jwk = (await sdks.azure.getKey(name, { version: v.cloud_version })).key;
    return createPublicKey({
      key: { kty: 'RSA', n: base64url(jwk?.n), e: base64url(jwk?.e) },
      format: 'jwk',
    });
  },
  gcp: async (sdks, _name, v) => {
    const [r] = await sdks.gcp.getPublicKey({ name: v.cloud_id });
    return createPublicKey(r.pem ?? '');
  },
};

/** SDK clients for the clouds `keyplane dev env` names (explicit endpoints, fake credentials). */
export function devCloudSdks(env: NodeJS.ProcessEnv): CloudSdks {
  // The AWS SDK warns on stderr that its 2027 releases will need Node 22; this example supports
  // Node >= 20.19 and prints only its own output (the switch is the SDK's documented one).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const aws = new KMSClient({
    endpoint: env.KEYPLANE_AWS_KMS_ENDPOINT ?? '',
    region: env.AWS_REGION ?? 'us-east-1',
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
    },
  });
  // A token that never leaves the process: the emulator takes any bearer token, and
  // DefaultAzureCredential would probe the instance metadata service.
  const azure = new KeyClient(
    env.KEYPLANE_AZURE_KEYVAULT_URL ?? '',
    { getToken: () => Promise.resolve({ token: 'demo', expiresOnTimestamp: Date.now() + 3.6e6 }) },
    {
      tlsOptions: { ca: readFileSync(env.KEYPLANE_AZURE_CA_FILE ?? '', 'utf8') },
      // The challenge names vault.azure.net, which 127.0.0.1 is not a subdomain of.
      disableChallengeResourceVerification: true,
    },
  );
  const [host = '127.0.0.1', port = '0'] = (env.KEYPLANE_GCP_KMS_ENDPOINT ?? '').split(':');
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: 'demo', expiry_date: Date.now() + 3.6e6 });
  const gcp = new KeyManagementServiceClient({
    apiEndpoint: host,
    port: Number(port),
    sslCreds: credentials.createInsecure(),
    authClient,
  });
  return { aws, azure, gcp };
}

/** Releases the clients' sockets (gRPC channels keep a process alive otherwise). */
export async function closeCloudSdks(sdks: CloudSdks): Promise<void> {
  sdks.aws.destroy();
  await sdks.gcp.close();
}

/** One version as one cloud serves it. */
export interface ReadBack {
  readonly cloud: Cloud;
  readonly version: string;
  /** AWS key ARN / Azure key id / GCP crypto key version name. */
  readonly location: string;
  readonly state: string;
  readonly fingerprint: string;
}

/** Every version of every cloud in `versions`, read back through that cloud's SDK. */
export async function readBackAll(
  sdks: CloudSdks,
  keyName: string,
  versions: Readonly<Record<Cloud, Readonly<Record<string, CloudVersion>>>>,
): Promise<ReadBack[]> {
  const reads = CLOUDS.flatMap((cloud) =>
    Object.entries(versions[cloud]).map(async ([version, v]) => ({
      cloud,
      version,
      location: v.cloud_id,
      state: v.state,
      fingerprint: spkiFingerprint(await SERVED_PUBLIC_KEY[cloud](sdks, keyName, v)),
    })),
  );
  return await Promise.all(reads);
}
