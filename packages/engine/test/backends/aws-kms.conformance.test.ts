/** The shared KmsBackend conformance suite against AWS KMS (real SDK + local emulator). */
import { describeBackendConformance } from './conformance';
import { AWS_KMS } from './support/capability-matrix';
import { awsKmsConformanceFixture } from './support/aws-kms';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

describeBackendConformance('aws-kms', AWS_KMS, awsKmsConformanceFixture);
