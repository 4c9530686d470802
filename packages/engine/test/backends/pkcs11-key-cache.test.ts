/**
 * The resolved-key cache on SoftHSM2: a steady-state sign is C_SignInit + C_Sign and nothing
 * else (counted at the native binding, below every wrapper the backend has), this process's
 * lifecycle changes show at once, and objects destroyed, re-created or disabled by another
 * session are noticed through the token's own answer (re-lookup once).
 */
import { verify as nodeVerify } from 'node:crypto';
import type { SoftHsmToken } from '@keyplane/emulators';
import * as pkcs11js from 'pkcs11js';
import type { KeyRef } from '../../src/backends/contract';
import { Pkcs11Backend } from '../../src/backends/pkcs11';
import { SessionCounter, backendConfig, createTestToken } from './support/pkcs11-token';
import { rejection } from '../support/rejection';

process.env.METADATA_SERVER_DETECTION = 'none';
process.env.AWS_EC2_METADATA_DISABLED = 'true';

/**
 * Counts calls into the native binding. pkcs11js copies the native methods onto each instance
 * when it is constructed, so the counting pass-through is installed on the native prototype
 * before any module instance of this file exists; every call still reaches SoftHSM.
 */
const calls = new Map<string, number>();
const native = Object.getPrototypeOf(pkcs11js.PKCS11.prototype) as Record<string, unknown>;
const originals = new Map<string, (...args: unknown[]) => unknown>();
for (const name of Object.getOwnPropertyNames(native)) {
  const original = native[name];
  if (!name.startsWith('C_') || typeof original !== 'function') continue;
  const fn = original as (...args: unknown[]) => unknown;
  originals.set(name, fn);
  native[name] = function (this: unknown, ...args: unknown[]) {
    calls.set(name, (calls.get(name) ?? 0) + 1);
    return fn.apply(this, args);
  };
}

/** The native calls `fn` makes, by name. */
async function callsOf(fn: () => Promise<unknown>): Promise<Record<string, number>> {
  calls.clear();
  await fn();
  return Object.fromEntries([...calls].sort(([a], [b]) => a.localeCompare(b)));
}

const DIGEST = Buffer.alloc(32, 0x5a);
const SIGN = { hash: 'sha2-256', input: 'digest' } as const;
const P256 = Buffer.from('06082a8648ce3d030107', 'hex');

let token: SoftHsmToken;
let outside: SessionCounter;
let seq = 0;
const ref = (label: string): KeyRef => ({ name: `kp-cache-${label}-${String(++seq)}` });

beforeAll(async () => {
  token = await createTestToken('kp-key-cache');
  outside = new SessionCounter(token.module);
  outside.open();
});

afterAll(async () => {
  outside.close();
  await token.dispose();
  for (const [name, fn] of originals) native[name] = fn;
});

/** Runs `fn` on a read-write session of the test's own (the backends keep the login up). */
function fromOutside<T>(fn: (p11: pkcs11js.PKCS11, session: Buffer) => T): T {
  const p11 = outside.pkcs11;
  const session = p11.C_OpenSession(
    outside.slot(token.label),
    pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION,
  );
  try {
    return fn(p11, session);
  } finally {
    p11.C_CloseSession(session);
  }
}

function objectsLabelled(p11: pkcs11js.PKCS11, session: Buffer, label: string): Buffer[] {
  p11.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_LABEL, value: label }]);
  const found = p11.C_FindObjects(session, 16);
  p11.C_FindObjectsFinal(session);
  return found;
}

async function withBackend<T>(
  maxParallel: number,
  fn: (b: Pkcs11Backend) => Promise<T>,
): Promise<T> {
  const backend = new Pkcs11Backend(backendConfig(token, { maxParallel }));
  try {
    return await fn(backend);
  } finally {
    await backend.close();
  }
}

describe('steady-state sign', () => {
  it.each([
    ['ecdsa-p256', 1, 'C_Sign'],
    ['rsa-2048', 1, 'C_Sign'],
    // Several sessions: the signature runs on a libuv worker (the callback variant).
    ['ecdsa-p256', 2, 'C_SignCallback'],
  ] as const)('%s, max_parallel %d: C_SignInit + %s only', async (keyType, maxParallel, call) => {
    await withBackend(maxParallel, async (backend) => {
      const key = ref(keyType);
      await backend.generateKey(key, { keyType, usages: ['sign', 'verify'] });
      const first = await callsOf(() => backend.sign(key, DIGEST, SIGN));
      // The first sign after a change (generate) resolves the key: the calls the cache saves.
      expect(first.C_FindObjectsInit).toBeGreaterThan(0);
      const steady = await callsOf(async () => {
        for (let i = 0; i < 5; i++) await backend.sign(key, DIGEST, SIGN);
      });
      expect(steady).toEqual({ C_SignInit: 5, [call]: 5 });
      // Lifecycle reads stay live lookups.
      const read = await callsOf(() => backend.getKey(key));
      expect(read.C_FindObjectsInit).toBeGreaterThan(0);
    });
  });

  it('re-resolves nothing for a versioned or CKA_ID ref once cached', async () => {
    await withBackend(1, async (backend) => {
      const key = ref('refs');
      const created = await backend.generateKey(key, {
        keyType: 'ecdsa-p256',
        usages: ['sign', 'verify'],
      });
      for (const r of [
        { ...key, version: created.version },
        { ...key, id: created.id.toUpperCase() },
      ]) {
        await backend.sign(r, DIGEST, SIGN);
        expect(await callsOf(() => backend.sign(r, DIGEST, SIGN))).toEqual({
          C_SignInit: 1,
          C_Sign: 1,
        });
      }
    });
  });
});

describe('coherence', () => {
  it("reflects this process's lifecycle changes at once, in every backend on the token", async () => {
    await withBackend(1, async (a) => {
      await withBackend(2, async (b) => {
        const key = ref('lifecycle');
        await a.generateKey(key, { keyType: 'ecdsa-p256', usages: ['sign', 'verify'] });
        await a.sign(key, DIGEST, SIGN);
        await b.sign(key, DIGEST, SIGN);
        await b.setVersionEnabled(key, false);
        for (const backend of [a, b]) {
          expect(await rejection(backend.sign(key, DIGEST, SIGN))).toMatchObject({
            code: 'ERR_KEY_STATE',
          });
        }
        expect((await a.getKey(key)).enabled).toBe(false);
        await a.setVersionEnabled(key, true);
        for (const backend of [a, b]) {
          await expect(backend.sign(key, DIGEST, SIGN)).resolves.toBeInstanceOf(Buffer);
        }
        await b.scheduleVersionDeletion(key);
        for (const backend of [a, b]) {
          expect(await rejection(backend.sign(key, DIGEST, SIGN))).toMatchObject({
            code: 'ERR_NOT_FOUND',
          });
        }
      });
    });
  });

  it('re-looks up a handle destroyed by another session: ERR_NOT_FOUND, then the re-created key', async () => {
    await withBackend(1, async (backend) => {
      const key = ref('destroyed');
      await backend.generateKey(key, { keyType: 'ecdsa-p256', usages: ['sign', 'verify'] });
      await backend.sign(key, DIGEST, SIGN);
      const oldPublic = await backend.getPublicKey(key);
      fromOutside((p11, session) => {
        for (const object of objectsLabelled(p11, session, key.name))
          p11.C_DestroyObject(session, object);
      });
      const gone = await callsOf(async () => {
        const e = await rejection(backend.sign(key, DIGEST, SIGN));
        expect(e).toMatchObject({ code: 'ERR_NOT_FOUND', field: 'name' });
        expect(e.message).toContain(key.name);
      });
      // The stale handle was tried once, then one live lookup answered.
      expect(gone.C_SignInit).toBe(1);
      expect(gone.C_FindObjectsInit).toBeGreaterThan(0);

      fromOutside((p11, session) => {
        const common = [
          { type: pkcs11js.CKA_TOKEN, value: true },
          { type: pkcs11js.CKA_LABEL, value: key.name },
          { type: pkcs11js.CKA_ID, value: Buffer.from('re-created') },
        ];
        p11.C_GenerateKeyPair(
          session,
          { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN },
          [
            ...common,
            { type: pkcs11js.CKA_EC_PARAMS, value: P256 },
            { type: pkcs11js.CKA_VERIFY, value: true },
          ],
          [
            ...common,
            { type: pkcs11js.CKA_PRIVATE, value: true },
            { type: pkcs11js.CKA_SENSITIVE, value: true },
            { type: pkcs11js.CKA_SIGN, value: true },
          ],
        );
      });
      const message = Buffer.from('signed by the re-created key');
      const signature = await backend.sign(key, message, { hash: 'sha2-256' });
      const newPublic = await backend.getPublicKey(key);
      expect(newPublic.equals(oldPublic)).toBe(false);
      expect(nodeVerify('sha256', message, newPublic, signature)).toBe(true);
    });
  });

  it('refuses with ERR_KEY_STATE a key disabled by another session, and signs again once re-enabled there', async () => {
    await withBackend(1, async (backend) => {
      const key = ref('disabled-outside');
      await backend.generateKey(key, { keyType: 'ecdsa-p256', usages: ['sign', 'verify'] });
      await backend.sign(key, DIGEST, SIGN);
      const setSign = (value: boolean) => {
        fromOutside((p11, session) => {
          const [privateKey] = objectsLabelled(p11, session, key.name).filter(
            (o) =>
              p11
                .C_GetAttributeValue(session, o, [{ type: pkcs11js.CKA_CLASS }])[0]
                ?.value.readUInt32LE(0) === pkcs11js.CKO_PRIVATE_KEY,
          );
          if (privateKey === undefined) throw new Error('no private key');
          p11.C_SetAttributeValue(session, privateKey, [{ type: pkcs11js.CKA_SIGN, value }]);
        });
      };
      setSign(false);
      expect(await rejection(backend.sign(key, DIGEST, SIGN))).toMatchObject({
        code: 'ERR_KEY_STATE',
      });
      setSign(true);
      // Refusals are never cached: the next request looks up live and finds it usable.
      await expect(backend.sign(key, DIGEST, SIGN)).resolves.toBeInstanceOf(Buffer);
    });
  });
});
