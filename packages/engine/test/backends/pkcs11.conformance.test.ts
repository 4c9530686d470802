/**
 * The shared KmsBackend conformance suite against SoftHSM2 2.6.1 through pkcs11js.
 */
import type { SoftHsmToken } from '@keyplane/emulators';
import { Pkcs11Backend } from '../../src/backends/pkcs11';
import { describeBackendConformance } from './conformance';
import { PKCS11_SOFTHSM } from './support/capability-matrix';
import { backendConfig, createTestToken } from './support/pkcs11-token';

process.env.METADATA_SERVER_DETECTION = 'none';
process.env.AWS_EC2_METADATA_DISABLED = 'true';

describeBackendConformance('pkcs11 (SoftHSM2)', PKCS11_SOFTHSM, async () => {
  const token: SoftHsmToken = await createTestToken('kp-conformance');
  const backend = new Pkcs11Backend(backendConfig(token));
  let counter = 0;
  return {
    backend,
    newKeyRef: (label) => ({ name: `kp-${label}-${String(++counter)}` }),
    close: async () => {
      await backend.close();
      await token.dispose();
    },
  };
});
