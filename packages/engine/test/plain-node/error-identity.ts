/**
 * Plain-node script (see run.ts): Keyplane error identity and the four backends' error mappers
 * applied to Node's own errors, produced for real (OpenSSL, Buffer, sockets). Prints JSON.
 */
import { createPrivateKey } from 'node:crypto';
import { createRequire } from 'node:module';
import { connect, createServer, type AddressInfo } from 'node:net';
import { classifyAwsError, mapAwsError } from '../../src/backends/aws-kms/errors';
import { classifyAzureError, mapAzureError } from '../../src/backends/azure-key-vault/errors';
import { classifyGcpError, mapGcpError } from '../../src/backends/gcp-kms/errors';
import { classifyPkcs11, mapPkcs11Error } from '../../src/backends/pkcs11/errors';
import { InvalidArgumentError, isKeyplaneError } from '../../src/errors';

const thrown = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
};

/** The error a real socket reports for `connect` to `port`. */
const socketError = (port: number) =>
  new Promise<Error>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', resolve);
  });

async function resetError(): Promise<Error> {
  const server = createServer((socket) => {
    socket.resetAndDestroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const socket = connect(port, '127.0.0.1');
  const error = await new Promise<Error>((resolve) => {
    socket.on('error', resolve);
    socket.on('connect', () => socket.write('x'));
  });
  server.close();
  return error;
}

async function refusedError(): Promise<Error> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return await socketError(port);
}

const summary = (e: Error) => ({
  keyplane: isKeyplaneError(e),
  code: (e as { code?: unknown }).code,
  backendCode: (e as { backendCode?: unknown }).backendCode,
  causeIsOriginal: false,
});

function throughMappers(error: Error) {
  const mapped = {
    awskms: mapAwsError(error, 'Sign alias/k'),
    azurekeyvault: mapAzureError(error, { what: "sign 'k'", redact: (t) => t }),
    gcpckms: mapGcpError(error, 'AsymmetricSign', { field: 'crypto_key', name: 'k' }),
    pkcs11: mapPkcs11Error(error, 'C_Sign'),
  };
  const retry = {
    awskms: classifyAwsError(error),
    azurekeyvault: classifyAzureError(error),
    gcpckms: classifyGcpError(error),
    pkcs11: classifyPkcs11(error),
  };
  const out: Record<string, unknown> = {};
  for (const [backend, e] of Object.entries(mapped)) {
    out[backend] = {
      ...summary(e),
      causeIsOriginal: e.cause === error,
      retryable: retry[backend as keyof typeof retry].retryable,
    };
  }
  return out;
}

async function main() {
  const nodeErrors: Record<string, Error> = {
    ERR_OSSL: thrown(() => createPrivateKey('not a key')),
    ERR_OUT_OF_RANGE: thrown(() => Buffer.alloc(1).writeUInt8(300)),
    ECONNREFUSED: await refusedError(),
    ECONNRESET: await resetError(),
  };
  const results: Record<string, unknown> = {};
  for (const [name, error] of Object.entries(nodeErrors)) {
    results[name] = {
      code: (error as { code?: unknown }).code,
      isKeyplaneError: isKeyplaneError(error),
      mappers: throughMappers(error),
    };
  }

  // A KeyplaneError passes through every mapper unchanged, also from another copy of the
  // package (a second install): the brand is process-wide, `instanceof` is not.
  const own = new InvalidArgumentError('bad', { field: 'x' });
  const load = createRequire(__filename);
  const errorsPath = load.resolve('../../src/errors');
  Reflect.deleteProperty(load.cache, errorsPath);
  const copy = load(errorsPath) as typeof import('../../src/errors');
  const foreign = new copy.InvalidArgumentError('bad', { field: 'x' });
  const keyplane = {
    own: isKeyplaneError(own),
    otherCopy: isKeyplaneError(foreign),
    otherCopyInstanceof: foreign instanceof InvalidArgumentError,
    passesUnchanged: [
      mapAwsError(foreign, 'w'),
      mapAzureError(foreign, { what: 'w', redact: (t) => t }),
      mapGcpError(foreign, 'w', { field: 'f', name: 'n' }),
      mapPkcs11Error(foreign, 'w'),
    ].every((e) => e === foreign),
    lookalike: isKeyplaneError(Object.assign(new Error('x'), { code: 'ERR_INVALID_ARGUMENT' })),
    nonErrors: [null, undefined, 'ERR_X', { code: 'ERR_INVALID_ARGUMENT' }].map(isKeyplaneError),
  };
  process.stdout.write(JSON.stringify({ nodeErrors: results, keyplane }));
}

void main();
