/**
 * Key Vault's error shape: `{"error":{"code","message","innererror"?:{"code"}}}` with the HTTP
 * status the service uses. The SDK turns it into a `RestError` carrying `statusCode` and `code`,
 * so those two are what callers (and the engine) branch on; messages follow the service's
 * wording where it is known from SDK recordings and troubleshooting guides.
 *
 * @module
 */

export class VaultError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly innerCode?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'VaultError';
  }

  get body(): unknown {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.innerCode === undefined ? {} : { innererror: { code: this.innerCode } }),
      },
    };
  }
}

export const badParameter = (message: string): VaultError =>
  new VaultError(400, 'BadParameter', message);

/** Wording of the service for a missing key or version (404 KeyNotFound). */
export const keyNotFound = (name: string, version?: string): VaultError =>
  new VaultError(
    404,
    'KeyNotFound',
    `A key with (name/id) ${name}${version ? `/${version}` : ''} was not found in this key vault. ` +
      'If you recently deleted this key you may be able to recover it using the correct recovery ' +
      'command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182',
  );

/** What `GET /deletedkeys/{name}` answers while nothing by that name is soft-deleted. */
export const deletedKeyNotFound = (name: string): VaultError =>
  new VaultError(404, 'KeyNotFound', `Deleted Key not found: ${name}`);

/** 409 while a soft-deleted key holds the name: it must be recovered or purged first. */
export const deletedButRecoverable = (name: string): VaultError =>
  new VaultError(
    409,
    'Conflict',
    `Key ${name} is currently in a deleted but recoverable state, and its name cannot be reused; ` +
      'in this state, the key can only be recovered or purged.',
    'ObjectIsDeletedButRecoverable',
  );

export const forbidden = (message: string, innerCode: string): VaultError =>
  new VaultError(403, 'Forbidden', message, innerCode);

export const throttled = (retryAfterSeconds: number): VaultError =>
  new VaultError(
    429,
    'Throttled',
    'Request was not processed because too many requests were received. ' +
      `Retry after ${retryAfterSeconds} seconds.`,
    undefined,
    { 'retry-after': String(retryAfterSeconds) },
  );

/** Recorded from a vault: 401 with this body (a Managed HSM answers with an empty body). */
export const unauthorized = (): VaultError =>
  new VaultError(401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.');

/** Recorded: a request naming no key (`/keys//create`, …) is 400 "Operation not specified". */
export const operationNotSpecified = (): VaultError => badParameter('Operation not specified');
