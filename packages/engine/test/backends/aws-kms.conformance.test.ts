/** The shared KmsBackend conformance suite against AWS KMS (real SDK + local emulator). */
import { describeBackendConformance } from './conformance';
import { awsKmsConformanceFixture } from './support/aws-kms';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

describeBackendConformance('aws-kms', awsKmsConformanceFixture);
