/**
 * BYOK import: unwraps the key transfer blob a `PUT /keys/{name}` carries in `key.key_hsm`
 * (learn.microsoft.com/azure/key-vault/keys/byok-specification):
 *
 * ```
 * key_hsm    = base64url(UTF-8 JSON document)   (standard base64 also accepted)
 * document   = { schema_version: "1.0.0",
 *                header: { kid: <versioned kid of the KEK>, alg: "dir", enc: "CKM_RSA_AES_KEY_WRAP" },
 *                ciphertext: base64url(blob), generator: "<tool>" }
 * blob       = RSA-OAEP-SHA1(KEK, K) ‖ AES-KWP(K, target)     (PKCS#11 CKM_RSA_AES_KEY_WRAP)
 * target     = PKCS#8 DER (RSA, EC) or raw AES bytes (oct, Managed HSM only)
 * ```
 *
 * The KEK must be an RSA-HSM key of this vault whose key_ops are exactly `["import"]`. Every
 * refusal is 400 BadParameter with a message that names the failing check.
 *
 * @module
 */
import {
  constants,
  createDecipheriv,
  createPrivateKey,
  privateDecrypt,
  type KeyObject,
} from 'node:crypto';
import type { OperationContext } from './context';
import { derElementLength } from '../common/der';
import { decodeBytes, isObject, type Json } from './encoding';
import { badParameter } from './errors';
import {
  KTYS,
  materialFromPrivateKey,
  octMaterial,
  parseCurve,
  type Kty,
  type Material,
} from './jwk';
import { SERVICE_LABEL, SERVICE_RULES } from './services';
import type { KeyVersion } from './store';

const SCHEMA_VERSION = '1.0.0';
const ALG = 'dir';
const ENC = 'CKM_RSA_AES_KEY_WRAP';
/** RFC 5649 §3 alternative initial value. */
const KWP_IV = Buffer.from('A65959A6', 'hex');

interface TransferDocument {
  readonly kid: string;
  readonly ciphertext: Buffer;
}

function parseDocument(keyHsm: unknown): TransferDocument {
  const bytes = decodeBytes(keyHsm, 'key.key_hsm');
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw badParameter('key.key_hsm is not a BYOK key transfer blob (expected a JSON document)');
  }
  if (!isObject(doc)) throw badParameter('key.key_hsm is not a BYOK key transfer blob');
  if (doc.schema_version !== SCHEMA_VERSION)
    throw badParameter(
      `Unsupported key transfer blob schema_version '${String(doc.schema_version)}'; expected '${SCHEMA_VERSION}'`,
    );
  const header = isObject(doc.header) ? doc.header : {};
  if (header.alg !== ALG || header.enc !== ENC)
    throw badParameter(
      `Unsupported key transfer blob header: alg '${String(header.alg)}', enc '${String(header.enc)}'; ` +
        `expected alg '${ALG}' and enc '${ENC}'`,
    );
  if (typeof header.kid !== 'string' || header.kid === '')
    throw badParameter('The key transfer blob header has no kid of the key exchange key');
  return {
    kid: header.kid,
    ciphertext: decodeBytes(doc.ciphertext, 'key transfer blob ciphertext'),
  };
}

/** The KEK named by the document header: same vault, versioned kid, RSA-HSM, key_ops ["import"]. */
function resolveKek(
  ctx: OperationContext,
  kid: string,
): KeyVersion & { material: { family: 'RSA' } } {
  let url: URL;
  try {
    url = new URL(kid);
  } catch {
    throw badParameter(`The key exchange key identifier '${kid}' is not a URL`);
  }
  if (!ctx.isThisVault(url))
    throw badParameter(
      `The key exchange key ${kid} does not belong to this vault; the KEK must be in the vault the key is imported into`,
    );
  const match = /^\/keys\/([^/]+)\/([^/]+)\/?$/.exec(url.pathname);
  if (match === null)
    throw badParameter(
      `The key exchange key identifier must be a versioned kid (…/keys/{name}/{version}), got ${kid}`,
    );
  const [, name = '', version = ''] = match;
  const kek = ctx.store
    .get(decodeURIComponent(name))
    ?.versions.find((v) => v.version === decodeURIComponent(version).toLowerCase());
  if (kek === undefined)
    throw badParameter(`The key exchange key ${kid} was not found in this vault`);
  const ops = kek.keyOps;
  if (
    kek.kty !== 'RSA-HSM' ||
    kek.material.family !== 'RSA' ||
    ops.length !== 1 ||
    ops[0] !== 'import'
  )
    throw badParameter(
      `The key ${kid} is not a key exchange key: a KEK must be an RSA-HSM key whose key_ops are ["import"]`,
    );
  if (!kek.attributes.enabled) throw badParameter(`The key exchange key ${kid} is disabled`);
  return kek as KeyVersion & { material: { family: 'RSA' } };
}

/** CKM_RSA_AES_KEY_WRAP unwrap: split at the modulus length, OAEP-SHA1 the head, KWP the tail. */
function unwrapBlob(kek: KeyObject, modulusBytes: number, blob: Buffer): Buffer {
  // The shortest KWP output is 16 bytes (one semiblock of data plus the integrity block).
  if (blob.length < modulusBytes + 16)
    throw badParameter(
      `The key transfer blob ciphertext is ${blob.length} bytes; a ${modulusBytes * 8}-bit KEK needs ` +
        `${modulusBytes} bytes of RSA-OAEP block followed by an AES key wrap block`,
    );
  let aesKey: Buffer;
  try {
    aesKey = privateDecrypt(
      { key: kek, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      blob.subarray(0, modulusBytes),
    );
  } catch {
    throw badParameter(
      'The key transfer blob could not be decrypted with the key exchange key (RSA-OAEP with SHA-1): ' +
        'it was wrapped for another KEK or the ciphertext is corrupted',
    );
  }
  if (![16, 24, 32].includes(aesKey.length))
    throw badParameter(
      `The transfer blob's wrapping key is ${aesKey.length} bytes; expected an AES key`,
    );
  try {
    const decipher = createDecipheriv(`id-aes${aesKey.length * 8}-wrap-pad`, aesKey, KWP_IV);
    return Buffer.concat([decipher.update(blob.subarray(modulusBytes)), decipher.final()]);
  } catch {
    throw badParameter(
      'The key transfer blob failed the AES key wrap (RFC 5649) integrity check: the ciphertext is corrupted',
    );
  }
}

/** Checks the unwrapped bytes are exactly one key of the declared type (and curve). */
function parseTarget(kty: Kty, jwk: Json, plain: Buffer): Material {
  const { family } = KTYS[kty];
  if (family === 'oct') {
    const result = octMaterial(plain);
    if (typeof result === 'string')
      throw badParameter(`The imported key material is invalid: ${result}`);
    return result;
  }
  // Node's DER parser ignores bytes after the PrivateKeyInfo; the service must not.
  if (derElementLength(plain) !== plain.length)
    throw badParameter(
      'The imported key material is not a single PKCS#8 PrivateKeyInfo (malformed or followed by trailing bytes)',
    );
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: plain, format: 'der', type: 'pkcs8' });
  } catch {
    throw badParameter('The imported key material is not a PKCS#8 private key');
  }
  const material = materialFromPrivateKey(key);
  if (typeof material === 'string')
    throw badParameter(`The imported key material is invalid: ${material}`);
  if (material.family !== family)
    throw badParameter(`The imported key material is an ${material.family} key but kty is ${kty}`);
  if (material.family === 'EC') {
    if (jwk.crv === undefined) throw badParameter('crv is required to import an EC-HSM key');
    const declared = parseCurve(jwk.crv);
    if (declared.crv !== material.curve.crv)
      throw badParameter(
        `The imported key material is a ${material.curve.crv} key but crv is ${declared.crv}`,
      );
  }
  return material;
}

/** Unwraps `key.key_hsm` for an import of key type `kty`; returns the target key material. */
export function importTransferBlob(ctx: OperationContext, kty: Kty, jwk: Json): Material {
  if (!SERVICE_RULES[ctx.service].byok.includes(kty))
    throw badParameter(
      `${SERVICE_LABEL[ctx.service]} does not accept BYOK import of ${kty} keys ` +
        `(supported: ${SERVICE_RULES[ctx.service].byok.join(', ')})`,
    );
  const doc = parseDocument(jwk.key_hsm);
  const kek = resolveKek(ctx, doc.kid);
  const plain = unwrapBlob(kek.material.privateKey, kek.material.bits / 8, doc.ciphertext);
  return parseTarget(kty, jwk, plain);
}
