/**
 * Keyplane error identity outside jest's realm: Node's own errors (`ERR_OSSL_*`,
 * `ERR_OUT_OF_RANGE`, socket errors) are not Keyplane errors however their code is spelled, so
 * every backend's mapper turns them into ERR_BACKEND (the Node code as backendCode, the original
 * as cause) and the classifiers retry the transient socket ones. A KeyplaneError from another
 * copy of the package still passes through unchanged.
 */
import { runInPlainNode } from './plain-node/run';

interface Mapped {
  readonly keyplane: boolean;
  readonly code: string;
  readonly backendCode: string;
  readonly causeIsOriginal: boolean;
  readonly retryable: boolean;
}
interface Result {
  readonly nodeErrors: Record<
    string,
    { code: string; isKeyplaneError: boolean; mappers: Record<string, Mapped> }
  >;
  readonly keyplane: Record<string, unknown>;
}

const BACKENDS = ['awskms', 'azurekeyvault', 'gcpckms', 'pkcs11'];
/** Which backends retry each Node error (PKCS#11 has no network between us and the module). */
const RETRIED: Record<string, readonly string[]> = {
  ERR_OSSL: [],
  ERR_OUT_OF_RANGE: [],
  ECONNREFUSED: ['awskms', 'azurekeyvault', 'gcpckms'],
  ECONNRESET: ['awskms', 'azurekeyvault', 'gcpckms'],
};

let result: Result;
beforeAll(() => {
  result = runInPlainNode('error-identity.ts') as Result;
});

describe('in plain Node', () => {
  it.each(Object.keys(RETRIED))(
    'a raw %s is no KeyplaneError; each mapper makes it ERR_BACKEND naming the Node code',
    (name) => {
      const entry = result.nodeErrors[name]!;
      expect(entry.code).toMatch(name === 'ERR_OSSL' ? /^ERR_OSSL_/ : new RegExp(`^${name}$`));
      expect(entry.isKeyplaneError).toBe(false);
      for (const backend of BACKENDS) {
        expect({ backend, ...entry.mappers[backend] }).toEqual({
          backend,
          keyplane: true,
          code: 'ERR_BACKEND',
          backendCode: entry.code,
          causeIsOriginal: true,
          retryable: RETRIED[name]!.includes(backend),
        });
      }
    },
  );

  it('recognises Keyplane errors by brand, across copies of the package, and nothing else', () => {
    expect(result.keyplane).toEqual({
      own: true,
      otherCopy: true,
      otherCopyInstanceof: false,
      passesUnchanged: true,
      lookalike: false,
      nonErrors: [false, false, false, false],
    });
  });
});
