/**
 * `provider::keyplane::fingerprint(pem)`: `sha256:<hex>` of a public key's SubjectPublicKeyInfo,
 * the format of every `versions[*].fingerprint` Keyplane reports.
 *
 * @module
 */
import { FunctionError, type ProviderFunction } from '../../framework/function';
import { engine } from '../engine';

export const fingerprintFunction = {
  name: 'fingerprint',
  summary: 'SHA-256 fingerprint of a public key',
  description:
    "Returns `sha256:` followed by the lowercase hex SHA-256 of the DER SubjectPublicKeyInfo of a PEM public key (`PUBLIC KEY` or `RSA PUBLIC KEY`) or of a certificate's subject key — the same value as `openssl pkey -pubin -outform DER | sha256sum` and as the `fingerprint` of a `keyplane_key` version. Private keys are refused.",
  parameters: [{ name: 'pem', type: 'string', description: 'A PEM public key or certificate.' }],
  returnType: 'string',
  run([pem]) {
    if (typeof pem !== 'string') throw new FunctionError('pem must be a string', 0);
    try {
      return engine().publicKeyFingerprint(pem, 'pem');
    } catch (e) {
      throw new FunctionError(e instanceof Error ? e.message : String(e), 0);
    }
  },
} satisfies ProviderFunction;
