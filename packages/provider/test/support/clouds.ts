/**
 * What each cloud itself serves for a distributed key, read through its own SDK (AWS
 * GetPublicKey, Azure getKey, GCP getPublicKey) as SHA-256 fingerprints of the DER
 * SubjectPublicKeyInfo, per Keyplane version — the e2e tests compare them with the fingerprints
 * in the keyplane_key state. The per-cloud calls are the demo's own (examples/multi-cloud-byok
 * read-back.ts), so the tests and the demo read the clouds the same way.
 */
import {
  SERVED_PUBLIC_KEY,
  spkiFingerprint,
  type Cloud,
  type CloudSdks,
  type CloudVersion,
} from '../../../../examples/multi-cloud-byok/src/read-back';

export type { CloudSdks };

/** `versions` of a keyplane_key_distribution in state. */
export type CloudVersions = Record<string, CloudVersion>;

/** The state values of a keyplane_key_distribution the reader needs. */
export interface DistributionValues {
  readonly kms_key_name: string;
  readonly versions: CloudVersions;
}

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
        served[n] = spkiFingerprint(await SERVED_PUBLIC_KEY[cloud](this.sdks, d.kms_key_name, v));
      out[cloud] = served;
    }
    return out;
  }
}
