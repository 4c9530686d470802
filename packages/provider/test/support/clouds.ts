/**
 * What each cloud itself serves for a distributed key, read through its own SDK (AWS
 * GetPublicKey, Azure getKey, GCP getPublicKey) as SHA-256 fingerprints of the DER
 * SubjectPublicKeyInfo, per Keyplane version — the e2e tests compare them with the fingerprints
 * in the keyplane_key state.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { KeyClient } from '@azure/keyvault-keys';
import type { KeyManagementServiceClient } from '@google-cloud/kms';
import { publicKeyOf } from '../../../emulators/test/support/azure-sdk';

/** `versions` of a keyplane_key_distribution in state. */
export type CloudVersions = Record<
  string,
  { readonly cloud_id: string; readonly cloud_version: string; readonly state: string }
>;

/** The state values of a keyplane_key_distribution the reader needs. */
export interface DistributionValues {
  readonly kms_key_name: string;
  readonly versions: CloudVersions;
}

export interface CloudSdks {
  readonly aws: KMSClient;
  readonly azure: KeyClient;
  readonly gcp: KeyManagementServiceClient;
}

type Cloud = keyof CloudSdks;

export const spkiFingerprint = (der: Uint8Array): string =>
  `sha256:${createHash('sha256').update(der).digest('hex')}`;
const pemFingerprint = (pem: string): string =>
  spkiFingerprint(createPublicKey(pem).export({ type: 'spki', format: 'der' }));

type Version = CloudVersions[string];

/** Per cloud: how its SDK hands out the public key of one version. */
const SERVED: Readonly<
  Record<Cloud, (sdks: CloudSdks, name: string, v: Version) => Promise<string>>
> = {
  aws: async (sdks, _name, v) => {
    const r = await sdks.aws.send(new GetPublicKeyCommand({ KeyId: v.cloud_id }));
    return spkiFingerprint(r.PublicKey ?? new Uint8Array());
  },
  azure: async (sdks, name, v) => {
    const k = await sdks.azure.getKey(name, { version: v.cloud_version });
    return spkiFingerprint(publicKeyOf(k.key ?? {}).export({ type: 'spki', format: 'der' }));
  },
  gcp: async (sdks, _name, v) => {
    const [r] = await sdks.gcp.getPublicKey({ name: v.cloud_id });
    return pemFingerprint(String(r.pem));
  },
};

export class CloudReader {
  constructor(private readonly sdks: CloudSdks) {}

  /** Per cloud given, version → fingerprint of the public key the cloud serves for it. */
  async fingerprints(
    distributions: Partial<Record<Cloud, DistributionValues>>,
  ): Promise<Partial<Record<Cloud, Record<string, string>>>> {
    const out: Partial<Record<Cloud, Record<string, string>>> = {};
    for (const [cloud, d] of Object.entries(distributions) as [Cloud, DistributionValues][]) {
      const served: Record<string, string> = {};
      for (const [n, v] of Object.entries(d.versions))
        served[n] = await SERVED[cloud](this.sdks, d.kms_key_name, v);
      out[cloud] = served;
    }
    return out;
  }
}
