/**
 * Public key fingerprints: `sha256:<hex>` of the DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7),
 * the same bytes `openssl pkey -pubin -outform DER | sha256sum` hashes. Used for the
 * `fingerprint` of every key version and by the provider's `fingerprint()` function.
 *
 * @module
 */
import { createHash, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { InvalidArgumentError } from '../errors';

/**
 * Fingerprint of a public key given as a KeyObject, SPKI DER, or PEM (`PUBLIC KEY`,
 * `RSA PUBLIC KEY` or a `CERTIFICATE`, whose subject key is used). A private key is refused:
 * fingerprints are computed from public material only.
 */
export function publicKeyFingerprint(key: KeyObject | Buffer | string, field = 'pem'): string {
  const spki = spkiDer(key, field);
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}

function spkiDer(key: KeyObject | Buffer | string, field: string): Buffer {
  if (typeof key !== 'string' && !Buffer.isBuffer(key)) {
    if (key.type !== 'public') {
      throw new InvalidArgumentError(`${field} must be a public key, not a ${key.type} key`, {
        field,
      });
    }
    return key.export({ type: 'spki', format: 'der' });
  }
  const text = typeof key === 'string' ? key : key.toString('latin1');
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new InvalidArgumentError(
      `${field} must be a public key or certificate PEM, not a private key`,
      { field },
    );
  }
  try {
    if (text.includes('-----BEGIN CERTIFICATE-----')) {
      return new X509Certificate(text).publicKey.export({ type: 'spki', format: 'der' });
    }
    const pub =
      typeof key === 'string' || text.includes('-----BEGIN')
        ? createPublicKey(text)
        : createPublicKey({ key, format: 'der', type: 'spki' });
    return pub.export({ type: 'spki', format: 'der' });
  } catch (e) {
    throw new InvalidArgumentError(
      `${field} is not a public key: expected a PEM "PUBLIC KEY" (SPKI), "RSA PUBLIC KEY" or "CERTIFICATE" block`,
      { field, cause: e },
    );
  }
}
