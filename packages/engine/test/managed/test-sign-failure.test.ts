/**
 * A failed test/sign is the backend's failure, not the caller's: when the signature the backend
 * made does not verify, testSign rejects with ERR_BACKEND. The backend is the real AWS KMS
 * backend against the emulator, with its `sign` answers damaged on the way back (a faulty HSM).
 */
import {
  ManagedKeys,
  PassphraseSeal,
  createKmsBackend,
  openStore,
  type KeyStore,
  type KmsBackend,
} from '@keyplane/engine';
import { startAwsKmsEmulator, type AwsKmsEmulator } from '@keyplane/emulators';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rejection } from '../support/rejection';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

/** `backend` with every signature it returns flipped in its last byte. */
function damagingSignatures(backend: KmsBackend): KmsBackend {
  return new Proxy(backend, {
    get(target, prop) {
      if (prop === 'sign') {
        return async (...args: Parameters<KmsBackend['sign']>) => {
          const signature = await target.sign(...args);
          signature[signature.length - 1] = (signature[signature.length - 1] ?? 0) ^ 0x01;
          return signature;
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}

let emulator: AwsKmsEmulator;
let dir: string;
let store: KeyStore;
let keys: ManagedKeys;
beforeAll(async () => {
  emulator = await startAwsKmsEmulator({
    port: 0,
    region: 'eu-west-1',
    credentials: [{ accessKeyId: 'AKIDTESTSIGN', secretAccessKey: 'test-sign-secret' }],
  });
  dir = mkdtempSync(join(tmpdir(), 'kp-testsign-'));
  store = await openStore(join(dir, 'keyplane.db'), {
    seal: new PassphraseSeal('test-sign failure passphrase'),
  });
  keys = new ManagedKeys({
    store,
    openBackend: async (config) => damagingSignatures(await createKmsBackend(config)),
  });
});
afterAll(async () => {
  await keys.close();
  await store.close();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a signature that does not verify is ERR_BACKEND, not a refusal of the input', async () => {
  await keys.create('awskms', 'faulty', {
    endpoint: emulator.url,
    region: 'eu-west-1',
    access_key: 'AKIDTESTSIGN',
    secret_key: 'test-sign-secret',
    kms_key: 'alias/keyplane-faulty',
    key_type: 'ecdsa',
    curve: 'P256',
    allow_generate_key: 'true',
  });
  const error = await rejection(keys.testSign('faulty'));
  expect(error).toMatchObject({ code: 'ERR_BACKEND', name: 'BackendError' });
  expect(error.message).toBe(
    "test/sign: the signature made by managed key 'faulty' did not verify with the same key (awskms)",
  );
});
