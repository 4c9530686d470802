/**
 * Cloud backend sign vs a direct SDK call to the same emulator key (budget ≤ 1.05×): AWS
 * (KMSClient Sign), Azure (CryptographyClient sign) and GCP (asymmetricSign). Both sides use
 * the same SDK configuration (one attempt, same endpoint and credentials).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { CryptographyClient } from '@azure/keyvault-keys';
import { KeyManagementServiceClient } from '@google-cloud/kms';
import * as grpc from '@grpc/grpc-js';
import { OAuth2Client } from 'google-auth-library';
import { createKmsBackend, type KmsBackend } from '@keyplane/engine';
import {
  startAwsKmsEmulator,
  startAzureKeyVaultEmulator,
  startGcpKmsEmulator,
} from '@keyplane/emulators';
import { comparePair, type PairResult } from './harness';

const MESSAGE = Buffer.from('keyplane cloud bench message');
const DIGEST = createHash('sha256').update(MESSAGE).digest();
const credential = {
  getToken: () => Promise.resolve({ token: 'bench', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

export async function benchCloudSign(quick: boolean): Promise<PairResult[]> {
  const perRound = quick ? 40 : 150;
  const rounds = quick ? 5 : 15;
  const rows: PairResult[] = [];

  const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' };
  const aws = await startAwsKmsEmulator({ port: 0, credentials: [credentials] });
  let backend: KmsBackend | undefined;
  try {
    const awsConfig = { endpoint: aws.url, region: 'us-east-1', credentials };
    backend = await createKmsBackend({ type: 'awskms', ...awsConfig });
    const key = await backend.generateKey(
      { name: 'alias/bench' },
      { keyType: 'ecdsa-p256', usages: ['sign', 'verify'] },
    );
    const raw = new KMSClient({ ...awsConfig, maxAttempts: 1 });
    const b = backend;
    rows.push(
      await comparePair(
        'aws-kms ecdsa-p256 sign (backend vs KMSClient Sign)',
        () =>
          raw.send(
            new SignCommand({
              KeyId: key.id,
              Message: DIGEST,
              MessageType: 'DIGEST',
              SigningAlgorithm: 'ECDSA_SHA_256',
            }),
          ),
        () => b.sign({ name: 'alias/bench' }, DIGEST, { hash: 'sha2-256', input: 'digest' }),
        { perRound, rounds },
        1.05,
      ),
    );
    raw.destroy();
  } finally {
    await backend?.close();
    await aws.close();
  }

  const azure = await startAzureKeyVaultEmulator({ port: 0 });
  backend = undefined;
  try {
    const options = {
      disableChallengeResourceVerification: true,
      tlsOptions: { ca: azure.caPem },
      retryOptions: { maxRetries: 0 },
    };
    backend = await createKmsBackend({
      type: 'azurekeyvault',
      vaultUrl: azure.url,
      caPem: azure.caPem,
      credential,
    });
    const key = await backend.generateKey(
      { name: 'bench' },
      { keyType: 'ecdsa-p256', usages: ['sign', 'verify'] },
    );
    const raw = new CryptographyClient(key.id, credential, options);
    await raw.sign('ES256', DIGEST);
    const b = backend;
    rows.push(
      await comparePair(
        'azure-key-vault ecdsa-p256 sign (backend vs CryptographyClient sign)',
        () => raw.sign('ES256', DIGEST),
        () => b.sign({ name: 'bench' }, DIGEST, { hash: 'sha2-256', input: 'digest' }),
        { perRound, rounds },
        1.05,
      ),
    );
  } finally {
    await backend?.close();
    await azure.close();
  }

  const gcp = await startGcpKmsEmulator({ port: 0 });
  backend = undefined;
  try {
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: 'bench', expiry_date: Date.now() + 3_600_000 });
    const raw = new KeyManagementServiceClient({
      apiEndpoint: '127.0.0.1',
      port: gcp.port,
      sslCreds: grpc.credentials.createInsecure(),
      authClient,
    });
    const parent = raw.locationPath('keyplane-bench', 'us-east1');
    await raw.createKeyRing({ parent, keyRingId: 'bench', keyRing: {} });
    backend = await createKmsBackend({
      type: 'gcpckms',
      project: 'keyplane-bench',
      location: 'us-east1',
      keyRing: 'bench',
      endpoint: `127.0.0.1:${String(gcp.port)}`,
      insecure: true,
      authClient,
    });
    const key = await backend.generateKey(
      { name: 'bench' },
      { keyType: 'ecdsa-p256', usages: ['sign', 'verify'] },
    );
    const b = backend;
    rows.push(
      await comparePair(
        'gcp-kms ecdsa-p256 sign (backend vs asymmetricSign)',
        () => raw.asymmetricSign({ name: key.id, digest: { sha256: DIGEST } }),
        () =>
          b.sign({ name: 'bench', version: key.version }, DIGEST, {
            hash: 'sha2-256',
            input: 'digest',
          }),
        { perRound, rounds },
        1.05,
      ),
    );
    await raw.close();
  } finally {
    await backend?.close();
    await gcp.close();
  }
  return rows;
}
