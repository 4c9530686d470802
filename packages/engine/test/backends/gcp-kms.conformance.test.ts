/** The shared KmsBackend conformance suite against Google Cloud KMS (real SDK + gRPC emulator). */
import { describeBackendConformance } from './conformance';
import { GCP_KMS } from './support/capability-matrix';
import { gcpKmsConformanceFixture } from './support/gcp-kms';

process.env.METADATA_SERVER_DETECTION = 'none';

describeBackendConformance('gcp-kms', GCP_KMS, gcpKmsConformanceFixture);
