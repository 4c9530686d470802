/**
 * Loads `google.cloud.kms.v1.KeyManagementService` from the protos shipped in
 * `@google-cloud/kms` (the same files the client is generated from), with the common Google
 * protos from the google-gax copy that package depends on. Loader options are google-gax's
 * own (`GrpcClient.defaultOptions`): camelCase fields, enums as names, int64 as strings,
 * defaults filled in and virtual oneof fields — so handlers see what the client meant to send.
 *
 * @module
 */
import type { ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const SERVICE = 'google.cloud.kms.v1.KeyManagementService';

let cached: ServiceDefinition | undefined;

/** Where the KMS protos and the common Google protos (google/rpc, google/protobuf) live. */
export function protoIncludeDirs(): string[] {
  const kmsPackageJson = require.resolve('@google-cloud/kms/package.json');
  // google-gax's `exports` hide package.json, so resolve its main entry (build/src/index.js)
  // from @google-cloud/kms, whose dependency it is.
  const gaxMain = createRequire(kmsPackageJson).resolve('google-gax');
  return [join(dirname(kmsPackageJson), 'build', 'protos'), join(dirname(gaxMain), '..', 'protos')];
}

/** The KeyManagementService definition (loaded once per process; ~150 ms). */
export function kmsServiceDefinition(): ServiceDefinition {
  if (cached === undefined) {
    const definition = loadSync('google/cloud/kms/v1/service.proto', {
      keepCase: false,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
      includeDirs: protoIncludeDirs(),
    });
    const service = definition[SERVICE];
    if (service === undefined || !('AsymmetricSign' in service))
      throw new Error(`${SERVICE} not found in the @google-cloud/kms protos`);
    cached = service;
  }
  return cached;
}
