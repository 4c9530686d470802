/** The shared KmsBackend conformance suite against Azure Key Vault and Managed HSM (real SDK + emulator). */
import { describeBackendConformance } from './conformance';
import { AZURE_KEY_VAULT, AZURE_MANAGED_HSM } from './support/capability-matrix';
import { azureConformanceFixture } from './support/azure-key-vault';

// Belt and braces: no SDK may probe a cloud metadata service from these tests.
process.env.METADATA_SERVER_DETECTION = 'none';
process.env.AWS_EC2_METADATA_DISABLED = 'true';

describeBackendConformance(
  'azure-key-vault (vault)',
  AZURE_KEY_VAULT,
  azureConformanceFixture('vault'),
);
describeBackendConformance(
  'azure-key-vault (managed-hsm)',
  AZURE_MANAGED_HSM,
  azureConformanceFixture('managed-hsm'),
);
