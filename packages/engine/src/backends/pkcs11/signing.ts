/**
 * sign / verify. Hashing happens in node, the token signs the digest: CKM_RSA_PKCS over a
 * DigestInfo built here (so every hash of the table works), CKM_RSA_PKCS_PSS over the digest
 * (only hashes PKCS#11 names), CKM_ECDSA over the digest (raw r‖s out, DER to callers), and
 * CKM_EDDSA over the message. Every refusal happens before the sign request.
 *
 * @module
 */
import * as pkcs11js from 'pkcs11js';
import { HASH_ALGORITHMS } from '../../algorithms/hashes';
import { KEY_TYPES } from '../../algorithms/key-types';
import { lookup } from '../../algorithms/table';
import { ecdsaRawToDer, tryEcdsaDerToRaw } from '../../crypto/ecdsa-encoding';
import { digestForSigning } from '../../crypto/digest';
import { UnsupportedOperationError } from '../../errors';
import { selectScheme } from '../common/signature-scheme';
import type { BackendKeyType, BackendSignOptions, KeyRef } from '../contract';
import { CKM_EDDSA, PSS_PARAMS, SIGNATURE_SCHEMES, familyOf } from './capabilities';
import { ckrName } from './errors';
import { requireUsage, withKey, type Pkcs11Context } from './keys';
import type { KeyInfo } from './objects';
import type { Session } from './session-pool';

interface SignPlan {
  readonly mechanism: pkcs11js.Mechanism;
  /** The token's input from the caller's data (hashing or the digest length check included). */
  readonly input: (data: Uint8Array) => Buffer;
  /** Output buffer size (the signature's maximum length). */
  readonly outputBytes: number;
  /** Token signature → contract encoding (ECDSA: raw → DER). */
  readonly encode: (raw: Buffer) => Buffer;
  /** Contract encoding → token signature; undefined when malformed (verify → false). */
  readonly decode: (sig: Buffer) => Buffer | undefined;
}

const same = (b: Buffer): Buffer => b;

/** Validates the options against the key type and builds the token request. */
function buildPlan(keyType: BackendKeyType, options: BackendSignOptions): SignPlan {
  const family = familyOf(keyType);
  const where = `for ${keyType} keys in pkcs11`;
  const scheme = selectScheme(SIGNATURE_SCHEMES[family], options, where);
  if (scheme.hash === undefined) {
    // Ed25519: CKM_EDDSA over the message itself.
    return {
      mechanism: { mechanism: CKM_EDDSA },
      input: (data) => Buffer.from(data),
      outputBytes: 64,
      encode: same,
      decode: same,
    };
  }
  const hash = HASH_ALGORITHMS[scheme.hash];
  const input = options.input;
  const digest = (data: Uint8Array): Buffer => digestForSigning(hash, data, input);
  const t = KEY_TYPES[keyType as Exclude<BackendKeyType, 'hmac-sha256'>];
  if (t.family === 'ecdsa') {
    const n = t.scalarBytes;
    return {
      mechanism: { mechanism: pkcs11js.CKM_ECDSA },
      input: digest,
      outputBytes: 2 * n,
      encode: (raw) => ecdsaRawToDer(raw, n),
      decode: (der) => tryEcdsaDerToRaw(der, n),
    };
  }
  const outputBytes = t.bits / 8;
  const pssParams = scheme.pss ? lookup(PSS_PARAMS, scheme.hash) : undefined;
  if (pssParams !== undefined) {
    const parameter: pkcs11js.RsaPSS = {
      type: pkcs11js.CK_PARAMS_RSA_PSS,
      ...pssParams,
      saltLen: hash.length,
    };
    const mechanism = { mechanism: pkcs11js.CKM_RSA_PKCS_PSS, parameter };
    return { mechanism, input: digest, outputBytes, encode: same, decode: same };
  }
  const mechanism = { mechanism: pkcs11js.CKM_RSA_PKCS };
  const prefixed = (data: Uint8Array): Buffer =>
    Buffer.concat([hash.digestInfoPrefix, digest(data)]);
  return { mechanism, input: prefixed, outputBytes, encode: same, decode: same };
}

/**
 * Plans per key type and options (a handful of rows in practice). The plan depends on nothing
 * else, and only accepted combinations are kept, so every refusal still comes from buildPlan;
 * the steady-state signature skips the scheme selection, table lookups and closures — measured
 * with bench/callgrind.ts, they were a large part of the backend's overhead over raw C_Sign.
 * Rows are matched field by field: a string key built per call cost its concatenation and hash.
 */
interface PlanRow {
  readonly hash: BackendSignOptions['hash'];
  readonly pss: boolean;
  readonly input: BackendSignOptions['input'];
  readonly plan: SignPlan;
}

const PLANS = new Map<BackendKeyType, PlanRow[]>();
/** Rows per key type: every hash × PSS or not × each input spelling fits many times over. */
const MAX_ROWS = 64;

function plan(keyType: BackendKeyType, options: BackendSignOptions): SignPlan {
  const { hash, input } = options;
  const pss = options.pss === true;
  let rows = PLANS.get(keyType);
  if (rows === undefined) {
    rows = [];
    PLANS.set(keyType, rows);
  }
  for (const row of rows) {
    if (row.hash === hash && row.pss === pss && row.input === input) return row.plan;
  }
  const built = buildPlan(keyType, options);
  if (rows.length < MAX_ROWS) rows.push({ hash, pss, input, plan: built });
  return built;
}

/**
 * Never throws: every failure is the returned promise's rejection. With `ctx.inline` and a free
 * session the whole signature is synchronous (C_SignInit + C_Sign on the JS thread).
 */
export function sign(
  ctx: Pkcs11Context,
  ref: KeyRef,
  data: Uint8Array,
  options: BackendSignOptions,
): Promise<Buffer> {
  return ctx.run('sign', 'ro', (session) =>
    withKey(session, ref, (info) => signWith(ctx.inline, session, info, data, options)),
  );
}

function signWith(
  inline: boolean,
  session: Session,
  info: KeyInfo,
  data: Uint8Array,
  options: BackendSignOptions,
): Buffer | Promise<Buffer> {
  const p = plan(info.keyType, options);
  const input = p.input(data);
  requireUsage(info, 'private', pkcs11js.CKA_SIGN, 'signing');
  const { pkcs11, handle } = session;
  pkcs11.C_SignInit(handle, p.mechanism, info.handle);
  // A pooled buffer (a zero-filled one is its own allocation, measurable per signature);
  // only the part the token wrote is returned, and it is ours alone, so no copy either.
  const out = Buffer.allocUnsafe(p.outputBytes);
  if (inline) return p.encode(pkcs11.C_Sign(handle, input, out));
  return pkcs11.C_SignAsync(handle, input, out).then(p.encode);
}

const INVALID_SIGNATURE = new Set(['CKR_SIGNATURE_INVALID', 'CKR_SIGNATURE_LEN_RANGE']);

export async function verify(
  ctx: Pkcs11Context,
  ref: KeyRef,
  data: Uint8Array,
  signature: Uint8Array,
  options: BackendSignOptions,
): Promise<boolean> {
  return await ctx.run('verify', 'ro', (session) =>
    withKey(session, ref, async (info) => {
      const p = plan(info.keyType, options);
      const input = p.input(data);
      requireUsage(info, 'public', pkcs11js.CKA_VERIFY, 'verification');
      const raw = p.decode(Buffer.from(signature));
      if (raw === undefined) return false;
      if (info.publicHandle === undefined) {
        throw new UnsupportedOperationError(
          `key '${info.label}' has no public key object to verify with`,
          {
            field: 'operation',
          },
        );
      }
      session.pkcs11.C_VerifyInit(session.handle, p.mechanism, info.publicHandle);
      try {
        return await session.pkcs11.C_VerifyAsync(session.handle, input, raw);
      } catch (error) {
        if (INVALID_SIGNATURE.has(ckrName(error) ?? '')) return false;
        throw error;
      }
    }),
  );
}
