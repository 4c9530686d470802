/**
 * Fixtures and helpers for the BYOK refusal tests: one key of every type, KEKs of every size
 * (including a too-small RSA-1024), non-RSA public keys, and a detector that fails a test when
 * an error message (or its `allowed` list or cause) contains any fragment of a private key.
 */
import {
  createSecretKey,
  generateKeyPair,
  randomBytes,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import {
  isKeyplaneError,
  keyMaterialFromKeyObject,
  type KeyplaneError,
  type KeyMaterial,
} from '@keyplane/engine';
import { ALL_KEY_TYPES, type TestKeyType } from './byok-matrix';

const generate = promisify(generateKeyPair);

export const KEK_SIZES = [1024, 2048, 3072, 4096] as const;
export type KekSize = (typeof KEK_SIZES)[number];

export interface RefusalFixtures {
  readonly targets: Readonly<Record<TestKeyType, KeyMaterial>>;
  readonly keks: Readonly<
    Record<KekSize, { readonly public: KeyObject; readonly private: KeyObject }>
  >;
  readonly ecPublic: KeyObject;
  readonly ed25519Public: KeyObject;
  /** Every 16-character window of every encoding of every private/secret key above. */
  readonly secretWindows: ReadonlySet<string>;
}

async function generateTarget(t: TestKeyType): Promise<KeyObject> {
  switch (t) {
    case 'aes256-gcm96':
      return createSecretKey(randomBytes(32));
    case 'rsa-2048':
    case 'rsa-3072':
    case 'rsa-4096':
      return (await generate('rsa', { modulusLength: Number(t.slice(4)) })).privateKey;
    case 'ecdsa-p256':
      return (await generate('ec', { namedCurve: 'prime256v1' })).privateKey;
    case 'ecdsa-p384':
      return (await generate('ec', { namedCurve: 'secp384r1' })).privateKey;
    case 'ecdsa-p521':
      return (await generate('ec', { namedCurve: 'secp521r1' })).privateKey;
    case 'ed25519':
      return (await generate('ed25519')).privateKey;
  }
}

export const WINDOW = 16;

/** Hex, base64, base64url of the key's bytes and of each private JWK component. */
function secretEncodings(key: KeyObject): string[] {
  const der = key.type === 'secret' ? key.export() : key.export({ format: 'der', type: 'pkcs8' });
  const jwk: JsonWebKey = key.export({ format: 'jwk' });
  const parts = [jwk.k, jwk.d, jwk.p, jwk.q, jwk.dp, jwk.dq, jwk.qi].filter(
    (v): v is string => typeof v === 'string',
  );
  const buffers = [der, ...parts.map((p) => Buffer.from(p, 'base64url'))];
  return buffers.flatMap((b) => {
    const hex = b.toString('hex');
    return [hex, hex.toUpperCase(), b.toString('base64'), b.toString('base64url')];
  });
}

export function windowsOf(secrets: readonly string[]): Set<string> {
  const windows = new Set<string>();
  for (const s of secrets) {
    for (let i = 0; i + WINDOW <= s.length; i++) windows.add(s.slice(i, i + WINDOW));
  }
  return windows;
}

/** The first fragment of `text` found among the secret windows, if any. */
export function leakedFragment(text: string, windows: ReadonlySet<string>): string | undefined {
  for (let i = 0; i + WINDOW <= text.length; i++) {
    const w = text.slice(i, i + WINDOW);
    if (windows.has(w)) return w;
  }
  return undefined;
}

export async function createRefusalFixtures(): Promise<RefusalFixtures> {
  const [targetKeys, kekPairs, ec, ed] = await Promise.all([
    Promise.all(ALL_KEY_TYPES.map(generateTarget)),
    Promise.all(KEK_SIZES.map((modulusLength) => generate('rsa', { modulusLength }))),
    generate('ec', { namedCurve: 'prime256v1' }),
    generate('ed25519'),
  ]);
  const targets = Object.fromEntries(
    ALL_KEY_TYPES.map((t, i) => [t, keyMaterialFromKeyObject(targetKeys[i]!, t)]),
  ) as Record<TestKeyType, KeyMaterial>;
  const keks = Object.fromEntries(
    KEK_SIZES.map((bits, i) => [
      bits,
      { public: kekPairs[i]!.publicKey, private: kekPairs[i]!.privateKey },
    ]),
  ) as RefusalFixtures['keks'];
  const privates = [
    ...targetKeys,
    ...kekPairs.map((p) => p.privateKey),
    ec.privateKey,
    ed.privateKey,
  ];
  return {
    targets,
    keks,
    ecPublic: ec.publicKey,
    ed25519Public: ed.publicKey,
    secretWindows: windowsOf(privates.flatMap(secretEncodings)),
  };
}

/** Everything an error exposes as text: message, allowed values, and the cause's message. */
function errorText(e: KeyplaneError): string {
  const cause: unknown = e.cause;
  const causeText = cause instanceof Error ? cause.message : typeof cause === 'string' ? cause : '';
  return [e.message, ...(e.allowed ?? []), e.field ?? '', causeText, String(e)].join('\n');
}

const describeThrown = (thrown: unknown): string =>
  thrown === undefined
    ? 'no error'
    : thrown instanceof Error
      ? `${thrown.name}: ${thrown.message}`
      : typeof thrown;

/**
 * Runs `fn`, requires it to throw a KeyplaneError, and requires that error to carry no fragment
 * of any fixture key. Returns the error for code / field / message assertions.
 */
export function refusal(fx: RefusalFixtures, fn: () => unknown): KeyplaneError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  if (!isKeyplaneError(caught)) {
    throw new Error(`expected a KeyplaneError, got ${describeThrown(caught)}`);
  }
  const leak = leakedFragment(errorText(caught), fx.secretWindows);
  if (leak !== undefined) throw new Error(`error ${caught.code} leaks key bytes: '${leak}'`);
  return caught;
}
