/**
 * Store records → the proto messages the service returns (resources.proto). Enums go out as
 * names and int64 as decimal strings, matching the loader options (`enums: String`,
 * `longs: String`); protobufjs encodes both.
 *
 * @module
 */
import type {
  CryptoKeyRecord,
  ImportJobRecord,
  KeyRingRecord,
  Store,
  VersionRecord,
} from './store';

export interface Timestamp {
  readonly seconds: string;
  readonly nanos: number;
}

export function timestamp(ms: number): Timestamp {
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}

const optionalTime = (ms: number | undefined): Timestamp | null =>
  ms === undefined ? null : timestamp(ms);

export function keyRingView(r: KeyRingRecord): object {
  return { name: r.name, createTime: timestamp(r.createTime) };
}

export function versionView(v: VersionRecord): object {
  return {
    name: v.name,
    state: v.state,
    protectionLevel: v.protectionLevel,
    algorithm: v.algorithm,
    createTime: timestamp(v.createTime),
    generateTime: optionalTime(v.generateTime),
    destroyTime: optionalTime(v.destroyTime),
    destroyEventTime: optionalTime(v.destroyEventTime),
    importJob: v.importJob ?? '',
    importTime: optionalTime(v.importTime),
    importFailureReason: v.importFailureReason ?? '',
    // Only imported versions may be re-imported into (service.proto, crypto_key_version).
    reimportEligible: v.imported,
  };
}

export function cryptoKeyView(k: CryptoKeyRecord, store: Store): object {
  const primary =
    k.primaryId === undefined
      ? null
      : versionView(store.version(`${k.name}/cryptoKeyVersions/${k.primaryId}`));
  return {
    name: k.name,
    primary,
    purpose: k.purpose,
    createTime: timestamp(k.createTime),
    versionTemplate: { protectionLevel: k.protectionLevel, algorithm: k.algorithm },
    labels: k.labels,
    importOnly: k.importOnly,
    destroyScheduledDuration: { seconds: String(k.destroyScheduledSeconds), nanos: 0 },
  };
}

/** An EXPIRED job no longer offers its wrapping key (resources.proto ImportJob.public_key). */
export function importJobView(j: ImportJobRecord, store: Store): object {
  const expired = store.importJobState(j) === 'EXPIRED';
  return {
    name: j.name,
    importMethod: j.importMethod,
    protectionLevel: j.protectionLevel,
    createTime: timestamp(j.createTime),
    generateTime: timestamp(j.createTime),
    expireTime: timestamp(j.expireTime),
    expireEventTime: expired ? timestamp(j.expireTime) : null,
    state: expired ? 'EXPIRED' : 'ACTIVE',
    publicKey: expired ? null : { pem: j.publicKeyPem },
  };
}
