/**
 * Test plumbing for the Azure Key Vault emulator: real `@azure/keyvault-keys` clients pointed
 * at it (fake credential, per-client CA, challenge resource check off), raw HTTPS calls for
 * wire-level checks and the control endpoint, and `.byok` transfer blobs built with the OpenSSL
 * CLI. Nothing here talks to anything but 127.0.0.1 (kms-wire-protocols.md §1).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { request } from 'node:https';
import { CryptographyClient, KeyClient, type JsonWebKey } from '@azure/keyvault-keys';
import { opensslWrap } from '../../../../test/support/openssl';
import type { AzureKeyVaultEmulator } from '../../src/azure-key-vault';

type Credential = ConstructorParameters<typeof KeyClient>[1];

/** A TokenCredential that never leaves the process (never DefaultAzureCredential: it probes IMDS). */
export const fakeCredential: Credential = {
  getToken: () => Promise.resolve({ token: 'fake', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

export interface RetryOptions {
  readonly maxRetries: number;
  readonly retryDelayInMs?: number;
  readonly maxRetryDelayInMs?: number;
}

/** No retries unless asked: error tests must see the first answer. */
export const NO_RETRY: RetryOptions = { maxRetries: 0 };
/** Quick retries for fault-injection tests (the SDK's default waits ~0.8 s and more). */
export const FAST_RETRY: RetryOptions = {
  maxRetries: 3,
  retryDelayInMs: 10,
  maxRetryDelayInMs: 50,
};

export function clientOptions(kv: AzureKeyVaultEmulator, retryOptions: RetryOptions = NO_RETRY) {
  return {
    // Trust only the emulator's CA, for this client only.
    tlsOptions: { ca: kv.caPem },
    // The challenge names vault.azure.net, which 127.0.0.1 is not a subdomain of.
    disableChallengeResourceVerification: true,
    retryOptions,
  };
}

export const keyClient = (kv: AzureKeyVaultEmulator, retry?: RetryOptions): KeyClient =>
  new KeyClient(kv.url, fakeCredential, clientOptions(kv, retry));

export const cryptoClient = (
  kv: AzureKeyVaultEmulator,
  kid: string,
  retry?: RetryOptions,
): CryptographyClient => new CryptographyClient(kid, fakeCredential, clientOptions(kv, retry));

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly json: unknown;
}

/** One HTTPS call to the emulator with its CA (fetch cannot take a per-call CA). */
export function rawRequest(
  kv: AzureKeyVaultEmulator,
  method: string,
  path: string,
  options: { readonly body?: unknown; readonly token?: string | null } = {},
): Promise<RawResponse> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const token = options.token === undefined ? 'fake' : options.token;
  return new Promise((resolve, reject) => {
    const req = request(
      `${kv.url}${path}`,
      {
        method,
        ca: kv.caPem,
        headers: {
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            json: text === '' ? undefined : (JSON.parse(text) as unknown),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** `PUT <url>/_keyplane/<what>` on the emulator's control endpoint. */
export async function control(
  kv: AzureKeyVaultEmulator,
  what: string,
  body: unknown,
): Promise<void> {
  const res = await rawRequest(kv, 'PUT', `/_keyplane/${what}`, { body, token: null });
  if (res.status !== 200)
    throw new Error(`control ${what} failed: ${res.status} ${JSON.stringify(res.json)}`);
}

/** The public key of a key the SDK returned, as a node KeyObject. */
export function publicKeyOf(jwk: JsonWebKey): KeyObject {
  const b64 = (b: Uint8Array | undefined): string =>
    Buffer.from(b ?? new Uint8Array()).toString('base64url');
  const key =
    jwk.kty?.startsWith('EC') === true
      ? {
          kty: 'EC',
          crv: jwk.crv === 'P-256K' ? 'secp256k1' : (jwk.crv ?? ''),
          x: b64(jwk.x),
          y: b64(jwk.y),
        }
      : { kty: 'RSA', n: b64(jwk.n), e: b64(jwk.e) };
  return createPublicKey({ key, format: 'jwk' });
}

export interface ByokHeader {
  readonly kid: string;
  readonly alg?: string;
  readonly enc?: string;
}

/** The `.byok` JSON document of the BYOK specification around a hybrid blob. */
export function byokDocument(header: ByokHeader, blob: Uint8Array): Record<string, unknown> {
  return {
    schema_version: '1.0.0',
    header: { alg: 'dir', enc: 'CKM_RSA_AES_KEY_WRAP', ...header },
    ciphertext: Buffer.from(blob).toString('base64url'),
    generator: 'keyplane emulator tests; OpenSSL CLI',
  };
}

/** OpenSSL-built CKM_RSA_AES_KEY_WRAP blob (OAEP SHA-1, Azure's choice) for `kekPublic`. */
export const wrapForKek = (plaintext: Uint8Array, kekPublic: KeyObject): Buffer =>
  opensslWrap(plaintext, kekPublic.export({ format: 'pem', type: 'spki' }).toString(), {
    scheme: 'rsa-aes-key-wrap',
    hash: 'sha1',
  });

export interface RestErrorLike {
  readonly name: string;
  readonly message: string;
  readonly statusCode?: number;
  readonly code?: string;
}

/**
 * The RestError a call rejects with (fails when it resolves or throws something else). Checked
 * by name: `@azure/core-rest-pipeline` is the SDK's dependency, not this package's.
 */
export async function restError(call: Promise<unknown>): Promise<RestErrorLike> {
  try {
    await call;
  } catch (e) {
    if (e instanceof Error && e.name === 'RestError') return e;
    throw e;
  }
  throw new Error('expected the call to fail with a RestError');
}

/** Typed wrappers of jest's asymmetric matchers (they return `any`). */
export const matching = (pattern: RegExp): string => expect.stringMatching(pattern) as string;
export const anyArray = (): unknown[] => expect.any(Array) as unknown[];

/** `key_hsm` bytes as the SDK wants them in `JsonWebKey.t`. */
export const transferBlob = (doc: Record<string, unknown>): Uint8Array =>
  Buffer.from(JSON.stringify(doc), 'utf8');
