/**
 * Public keys, AsymmetricSign and local verification. A version has one algorithm, so the
 * requested (hash, padding) must be exactly its scheme — checked before the sign request.
 * Message input is hashed here and sent as `digest` (the service's documented input);
 * Ed25519 sends `data`. Cloud KMS has no asymmetric Verify RPC: verification is local with the
 * version's (cached) public key.
 *
 * @module
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { HASH_ALGORITHMS } from '../../algorithms/hashes';
import { lookup } from '../../algorithms/table';
import { verify as localVerify } from '../../crypto/sign';
import { digestForSigning } from '../../crypto/digest';
import { UnsupportedOperationError } from '../../errors';
import { selectScheme } from '../common/signature-scheme';
import type { BackendSignOptions, KeyRef, SignatureScheme } from '../contract';
import { DIGEST_FIELDS, type AlgorithmRow } from './algorithms';
import { callOptions } from './client';
import type { GcpContext } from './context';
import { IntegrityError, checkCrc, checkVerified, crcValue } from './crc32c';
import { resolveForUse, versionSubject, type Resolved } from './keys';
import { toBuffer } from './wire';

/** A row's one scheme as a stable list, so scheme selection memoizes across calls. */
const SCHEMES = new WeakMap<AlgorithmRow, readonly SignatureScheme[]>();
function schemesOfRow(row: AlgorithmRow): readonly SignatureScheme[] {
  let schemes = SCHEMES.get(row);
  if (schemes === undefined) {
    schemes = row.signature === undefined ? [] : [row.signature];
    SCHEMES.set(row, schemes);
  }
  return schemes;
}

/** The version's scheme (a GCP version has exactly one), or the typed refusal. */
export function checkScheme(row: AlgorithmRow, options: BackendSignOptions): SignatureScheme {
  return selectScheme(
    schemesOfRow(row),
    options,
    `for ${row.keyType} keys in gcpckms (key algorithm ${row.name})`,
  );
}

export async function publicKeyOf(ctx: GcpContext, ref: KeyRef, use: Resolved): Promise<KeyObject> {
  if (use.row.purpose !== 'sign' && use.row.purpose !== 'asymmetric-decrypt') {
    throw new UnsupportedOperationError(
      `key '${ref.name}' (${use.row.name}) is symmetric and has no public key`,
      { field: 'operation' },
    );
  }
  const cached = ctx.publicKeys.get(use.versionName);
  if (cached !== undefined) return cached;
  const name = use.versionName;
  const key = await ctx.call('GetPublicKey', versionSubject(ref), async (kms) => {
    const [res] = await kms.getPublicKey({ name }, callOptions());
    const pem = res.pem ?? '';
    checkCrc('pem', pem, res.pemCrc32c);
    if (res.name !== name) throw new IntegrityError('name');
    return createPublicKey(pem);
  });
  ctx.publicKeys.set(name, key);
  return key;
}

export async function getPublicKey(ctx: GcpContext, ref: KeyRef): Promise<KeyObject> {
  return await publicKeyOf(ctx, ref, await resolveForUse(ctx, ref));
}

/** The AsymmetricSign request body: a digest (with its CRC32C) or, for Ed25519, the data. */
function signInput(
  scheme: SignatureScheme,
  data: Uint8Array,
  input: 'message' | 'digest',
):
  | { digest: Record<string, Buffer>; digestCrc32c: { value: number } }
  | { data: Buffer; dataCrc32c: { value: number } } {
  if (scheme.hash === undefined) return { data: Buffer.from(data), dataCrc32c: crcValue(data) };
  const hash = HASH_ALGORITHMS[scheme.hash];
  const field = lookup(DIGEST_FIELDS, scheme.hash);
  if (field === undefined) throw new Error(`no GCP digest field for ${scheme.hash}`); // table invariant
  const digest = digestForSigning(hash, data, input);
  return { digest: { [field]: digest }, digestCrc32c: crcValue(digest) };
}

export async function sign(
  ctx: GcpContext,
  ref: KeyRef,
  data: Uint8Array,
  options: BackendSignOptions,
): Promise<Buffer> {
  const use = await resolveForUse(ctx, ref);
  const scheme = checkScheme(use.row, options);
  const body = signInput(scheme, data, options.input ?? 'message');
  const name = use.versionName;
  return await ctx.call('AsymmetricSign', versionSubject(ref), async (kms) => {
    const [res] = await kms.asymmetricSign({ name, ...body }, callOptions());
    const signature = toBuffer(res.signature);
    checkCrc('signature', signature, res.signatureCrc32c);
    if ('digest' in body) checkVerified('digest_crc32c', res.verifiedDigestCrc32c);
    else checkVerified('data_crc32c', res.verifiedDataCrc32c);
    if (res.name !== name) throw new IntegrityError('name');
    return signature;
  });
}

export async function verify(
  ctx: GcpContext,
  ref: KeyRef,
  data: Uint8Array,
  signature: Uint8Array,
  options: BackendSignOptions,
): Promise<boolean> {
  const use = await resolveForUse(ctx, ref);
  const scheme = checkScheme(use.row, options);
  const publicKey = await publicKeyOf(ctx, ref, use);
  return localVerify(publicKey, data, signature, {
    ...(scheme.hash === undefined ? {} : { hash: scheme.hash }),
    pss: scheme.pss,
    input: options.input ?? 'message',
    signatureEncoding: 'der',
  });
}
