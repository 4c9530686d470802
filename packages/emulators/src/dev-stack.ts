/**
 * The local-cloud stack behind `keyplane dev up`: AWS KMS, Azure Key Vault and GCP Cloud KMS
 * emulators on loopback plus a SoftHSM2 token, and the environment a client needs to use them
 * (explicit endpoints, fake credentials, the Azure CA, metadata probing switched off).
 *
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AWS_KMS_OPERATION_NAMES,
  DEV_AWS_CREDENTIALS,
  startAwsKmsEmulator,
  type AwsKmsEmulator,
} from './aws-kms';
import {
  AZURE_KEY_VAULT_OPERATION_NAMES,
  startAzureKeyVaultEmulator,
  type AzureKeyVaultEmulator,
} from './azure-key-vault';
import { GCP_KMS_OPERATION_NAMES, startGcpKmsEmulator, type GcpKmsEmulator } from './gcp-kms';
import type { FaultTable } from './common/faults';
import { createSoftHsmToken, type SoftHsmToken } from './softhsm/softhsm-token';

export interface DevStackOptions {
  /** Directory for state files, the Azure CA and the SoftHSM token; keeps a session across restarts. */
  readonly stateDir: string;
  /** `real` applies each cloud's published default quotas. */
  readonly quotas?: 'real';
  /** Fixed ports (0 = pick a free one); `gcpControl` is the GCP emulator's control HTTP port. */
  readonly ports?: Partial<DevStackPorts>;
  /** Azure soft delete eventually consistent for this many ms (default 0 = off). */
  readonly azureConsistencyDelayMs?: number;
  /** How long a GCP import stays PENDING_IMPORT (default: the emulator's, short but non-zero). */
  readonly gcpImportSettleMs?: number;
  /** Fault injection per cloud, keyed by that cloud's operation names (`Sign`, `GetKey`, …). */
  readonly faults?: {
    readonly aws?: FaultTable;
    readonly azure?: FaultTable;
    readonly gcp?: FaultTable;
  };
}

export interface DevStackPorts {
  readonly aws: number;
  readonly azure: number;
  readonly gcp: number;
  readonly gcpControl: number;
}

export interface DevStackInfo {
  /** The ports bound, so a later start can ask for the same ones (stored endpoints keep working). */
  readonly ports: DevStackPorts;
  readonly aws: { readonly endpoint: string };
  /** The emulator serves every vault name at this one URL: any `vault_name` works with it. */
  readonly azure: { readonly vaultUrl: string; readonly caFile: string };
  /** `keyRing` exists from the start, so walkthroughs need no CreateKeyRing call. */
  readonly gcp: {
    readonly endpoint: string;
    readonly controlUrl: string;
    readonly keyRing: string;
  };
  readonly softhsm: {
    readonly module: string;
    readonly conf: string;
    readonly label: string;
    readonly slot: string;
  };
}

export interface DevStack {
  readonly info: DevStackInfo;
  /** `NAME=value` pairs for `keyplane dev env`. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/** Fake credentials: accepted by the emulators, useless anywhere else. */
const FAKE = DEV_AWS_CREDENTIALS;
export const DEV_TOKEN_LABEL = 'keyplane-dev';
export const DEV_TOKEN_PIN = '1234';
/** Per cloud, the operation names its fault table may use (checked before anything starts). */
export const DEV_FAULT_OPERATIONS = {
  aws: AWS_KMS_OPERATION_NAMES,
  azure: AZURE_KEY_VAULT_OPERATION_NAMES,
  gcp: GCP_KMS_OPERATION_NAMES,
} as const;

export const DEV_GCP_PROJECT = 'keyplane-dev';
export const DEV_GCP_KEY_RING = `projects/${DEV_GCP_PROJECT}/locations/global/keyRings/keyplane-dev`;

/**
 * The Keyplane-specific variables `keyplane dev` exports, for the user's commands and tests
 * (endpoints, CA, key ring, token). Keyplane itself reads only `azureCaFile`, back from the
 * runtime file for `dev status`; what Keyplane reads is the engine's table
 * (`@keyplane/engine/env`), which this package cannot import (the engine depends on it).
 */
export const DEV_ENV = {
  awsKmsEndpoint: 'KEYPLANE_AWS_KMS_ENDPOINT',
  azureKeyVaultUrl: 'KEYPLANE_AZURE_KEYVAULT_URL',
  azureCaFile: 'KEYPLANE_AZURE_CA_FILE',
  gcpKmsEndpoint: 'KEYPLANE_GCP_KMS_ENDPOINT',
  gcpControlUrl: 'KEYPLANE_GCP_CONTROL_URL',
  gcpKeyRing: 'KEYPLANE_GCP_KEY_RING',
  pkcs11Library: 'KEYPLANE_PKCS11_LIBRARY',
  pkcs11TokenLabel: 'KEYPLANE_PKCS11_TOKEN_LABEL',
  pkcs11Pin: 'KEYPLANE_PKCS11_PIN',
} as const;

export function devEnvironment(info: DevStackInfo): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_KMS: info.aws.endpoint,
    AWS_ACCESS_KEY_ID: FAKE.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    [DEV_ENV.awsKmsEndpoint]: info.aws.endpoint,
    [DEV_ENV.azureKeyVaultUrl]: info.azure.vaultUrl,
    [DEV_ENV.azureCaFile]: info.azure.caFile,
    [DEV_ENV.gcpKmsEndpoint]: info.gcp.endpoint,
    [DEV_ENV.gcpControlUrl]: info.gcp.controlUrl,
    [DEV_ENV.gcpKeyRing]: info.gcp.keyRing,
    METADATA_SERVER_DETECTION: 'none',
    GOOGLE_CLOUD_PROJECT: DEV_GCP_PROJECT,
    SOFTHSM2_CONF: info.softhsm.conf,
    [DEV_ENV.pkcs11Library]: info.softhsm.module,
    [DEV_ENV.pkcs11TokenLabel]: info.softhsm.label,
    [DEV_ENV.pkcs11Pin]: DEV_TOKEN_PIN,
  };
}

/** Starts everything; if one part fails, the parts already started are stopped again. */
export async function startDevStack(options: DevStackOptions): Promise<DevStack> {
  const started: { close(): Promise<void> }[] = [];
  await mkdir(options.stateDir, { recursive: true, mode: 0o700 });
  try {
    const quotas = options.quotas === undefined ? {} : { quotas: options.quotas };
    const aws: AwsKmsEmulator = await startAwsKmsEmulator({
      port: options.ports?.aws ?? 0,
      stateFile: join(options.stateDir, 'aws-kms.json'),
      credentials: [DEV_AWS_CREDENTIALS],
      faults: options.faults?.aws ?? {},
      ...quotas,
    });
    started.push(aws);
    const caFile = join(options.stateDir, 'azure-ca.pem');
    const azure: AzureKeyVaultEmulator = await startAzureKeyVaultEmulator({
      port: options.ports?.azure ?? 0,
      stateFile: join(options.stateDir, 'azure-key-vault.json'),
      caFile,
      faults: options.faults?.azure ?? {},
      consistencyDelayMs: options.azureConsistencyDelayMs ?? 0,
      ...quotas,
    });
    started.push(azure);
    await writeFile(caFile, azure.caPem, { mode: 0o644 });
    const gcp: GcpKmsEmulator = await startGcpKmsEmulator({
      port: options.ports?.gcp ?? 0,
      controlPort: options.ports?.gcpControl ?? 0,
      stateFile: join(options.stateDir, 'gcp-kms.json'),
      faults: options.faults?.gcp ?? {},
      keyRings: [DEV_GCP_KEY_RING],
      ...(options.gcpImportSettleMs === undefined
        ? {}
        : { importSettleMs: options.gcpImportSettleMs }),
      ...quotas,
    });
    started.push(gcp);
    const token: SoftHsmToken = await createSoftHsmToken({
      dir: join(options.stateDir, 'softhsm'),
      label: DEV_TOKEN_LABEL,
      pin: DEV_TOKEN_PIN,
    });
    const info: DevStackInfo = {
      ports: {
        aws: aws.port,
        azure: azure.port,
        gcp: gcp.port,
        gcpControl: Number(new URL(gcp.controlUrl).port),
      },
      aws: { endpoint: aws.url },
      azure: { vaultUrl: azure.url, caFile },
      gcp: {
        endpoint: `127.0.0.1:${gcp.port}`,
        controlUrl: gcp.controlUrl,
        keyRing: DEV_GCP_KEY_RING,
      },
      softhsm: { module: token.module, conf: token.conf, label: token.label, slot: token.slot },
    };
    return {
      info,
      env: devEnvironment(info),
      close: async () => {
        await Promise.all(started.map((s) => s.close()));
      },
    };
  } catch (e) {
    await Promise.allSettled(started.map((s) => s.close()));
    throw e;
  }
}
