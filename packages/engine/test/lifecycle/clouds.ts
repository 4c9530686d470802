/**
 * The four distribution targets for lifecycle tests: the AWS, Azure and GCP emulators (in
 * process, loopback) and a SoftHSM2 token, registered as KMS connections `aws`, `azure`, `gcp`
 * and `hsm`, plus independent backends (not the lifecycle's) for reading what reached each one.
 */
import type { KmsBackend } from '@keyplane/engine';
import type { AzureKeyVaultEmulator, SoftHsmToken } from '@keyplane/emulators';
import { AzureKeyVaultBackend } from '../../src/backends/azure-key-vault';
import { Pkcs11Backend } from '../../src/backends/pkcs11';
import { startAwsKmsTestEnv, type AwsKmsTestEnv } from '../backends/support/aws-kms';
import {
  backendConfig as azureConfig,
  startAzureTestEmulator,
} from '../backends/support/azure-key-vault';
import { startGcpKmsTestEnv, type GcpKmsTestEnv } from '../backends/support/gcp-kms';
import { backendConfig as pkcs11Config, createTestToken } from '../backends/support/pkcs11-token';
import { connectAzure, connectGcp, type TestLifecycle } from './support';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.METADATA_SERVER_DETECTION = 'none';

export type CloudName = 'aws' | 'azure' | 'gcp' | 'hsm';
export const CLOUD_NAMES: readonly CloudName[] = ['aws', 'azure', 'gcp', 'hsm'];

export interface TestClouds {
  readonly aws: AwsKmsTestEnv;
  readonly azure: AzureKeyVaultEmulator;
  readonly gcp: GcpKmsTestEnv;
  readonly token: SoftHsmToken;
  readonly readers: Readonly<Record<CloudName, KmsBackend>>;
  /** Registers the four as KMS connections of `t` (Azure vault `vault`). */
  connect(t: Pick<TestLifecycle, 'kms' | 'dir'>, vault?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startTestClouds(tokenLabel: string): Promise<TestClouds> {
  const [aws, azure, gcp, token] = await Promise.all([
    startAwsKmsTestEnv(),
    startAzureTestEmulator('vault'),
    startGcpKmsTestEnv(),
    createTestToken(tokenLabel),
  ]);
  const readers = {
    aws: aws.backend,
    azure: new AzureKeyVaultBackend(azureConfig(azure)),
    gcp: gcp.backend,
    hsm: new Pkcs11Backend(pkcs11Config(token)),
  };
  return {
    aws,
    azure,
    gcp,
    token,
    readers,
    connect: async (t, vault = 'keyplane-vault') => {
      await t.kms.create('aws', {
        provider: 'awskms',
        key_collection: 'us-east-1',
        credentials: { access_key: 'AKIDTEST', secret_key: 'test' },
        options: { endpoint: aws.emulator.url },
      });
      await connectAzure(t, 'azure', azure, vault);
      await connectGcp(t, 'gcp', gcp);
      await t.kms.create('hsm', {
        provider: 'pkcs11',
        key_collection: token.label,
        credentials: { pin: token.pin },
        options: { library: token.module },
      });
    },
    close: async () => {
      await Promise.all([readers.azure.close(), readers.hsm.close()]);
      await Promise.all([aws.close(), azure.close(), gcp.close(), token.dispose()]);
    },
  };
}
