/**
 * PKCS#11-specific behaviour on SoftHSM2 through pkcs11js: slot selection, login failures,
 * the session pool (sessions counted on the token, not from the backend's bookkeeping), broken
 * sessions, and the shared module registry. One token per file: SoftHSM reads its config once
 * per process initialization.
 */
import { verify as nodeVerify } from 'node:crypto';
import * as pkcs11js from 'pkcs11js';
import { Pkcs11Backend, moduleStats } from '../../src/backends/pkcs11';
import type { Pkcs11BackendConfig } from '../../src/backends/configs';
import { useTestToken, using } from './support/pkcs11-token';
import { rejection } from '../support/rejection';

const TOKEN_LABEL = 'kp-pkcs11';
process.env.METADATA_SERVER_DETECTION = 'none';
process.env.AWS_EC2_METADATA_DISABLED = 'true';

const MESSAGE = Buffer.from('keyplane pkcs11 message');

const hsm = useTestToken(TOKEN_LABEL);

describe('login', () => {
  // First: SoftHSM answers CKR_USER_ALREADY_LOGGED_IN (without checking the PIN) while any
  // session of the process is logged in, so this must run when no backend is open.
  it('refuses a bad PIN with ERR_AUTHENTICATION_FAILED, never echoes it, and leaves no session open', async () => {
    expect(hsm.counter.count(hsm.token.label)).toBe(0);
    const badPin = '98765432';
    await using(hsm.config({ pin: badPin, maxParallel: 3 }), async (backend) => {
      for (const attempt of [backend.generateRandom(8), backend.getKey(hsm.ref('any'))]) {
        const e = await rejection(attempt);
        expect(e).toMatchObject({ code: 'ERR_AUTHENTICATION_FAILED', field: 'pin' });
        expect(e.message).toContain('CKR_PIN_INCORRECT');
        expect(e.message).not.toContain(badPin);
        expect(JSON.stringify(e)).not.toContain(badPin);
      }
      expect(hsm.counter.count(hsm.token.label)).toBe(0);
      expect(backend.openSessions).toBe(0);
    });
  });
});

describe('slot selection', () => {
  it('selects the token by its decimal slot id (SoftHSM reassigns a random one)', async () => {
    expect(hsm.token.slot).toMatch(/^\d+$/);
    expect(BigInt(hsm.token.slot)).toBeGreaterThan(1n);
    await using(hsm.config({ slot: hsm.token.slot, tokenLabel: undefined }), async (backend) => {
      await expect(backend.generateRandom(16)).resolves.toHaveLength(16);
    });
    await using(hsm.config({ slot: hsm.token.slot }), async (backend) => {
      await expect(backend.generateRandom(4)).resolves.toHaveLength(4);
    });
  });

  it('refuses a wrong slot or token label with ERR_NOT_FOUND listing the token labels', async () => {
    const cases: [Partial<Pkcs11BackendConfig>, string][] = [
      [{ slot: '12345', tokenLabel: undefined }, 'slot'],
      [{ tokenLabel: 'no-such-token' }, 'token_label'],
      [{ slot: hsm.token.slot, tokenLabel: 'other-label' }, 'token_label'],
    ];
    for (const [overrides, field] of cases) {
      await using(hsm.config(overrides), async (backend) => {
        const e = await rejection(backend.generateRandom(8));
        expect(e).toMatchObject({ code: 'ERR_NOT_FOUND', field, allowed: [hsm.token.label] });
        expect(e.message).toContain(hsm.token.label);
      });
    }
    expect(() => new Pkcs11Backend(hsm.config({ slot: '0x10' }))).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT', field: 'slot' }) as Error,
    );
  });

  it('names the uninitialized token in a slot as such', async () => {
    const free = hsm.counter.pkcs11
      .C_GetSlotList(true)
      .find(
        (s) => (hsm.counter.pkcs11.C_GetTokenInfo(s).flags & pkcs11js.CKF_TOKEN_INITIALIZED) === 0,
      );
    if (free === undefined) throw new Error('SoftHSM always keeps one free slot');
    const slot = String(free.readBigUInt64LE(0));
    await using(hsm.config({ slot, tokenLabel: undefined }), async (backend) => {
      const e = await rejection(backend.generateRandom(8));
      expect(e).toMatchObject({ code: 'ERR_NOT_FOUND', field: 'slot', allowed: [hsm.token.label] });
      expect(e.message).toContain('uninitialized');
    });
  });
});

describe('session pool', () => {
  it('runs 16 concurrent signs on at most maxParallel=4 sessions and closes them all', async () => {
    const baseline = hsm.counter.count(hsm.token.label);
    const backend = new Pkcs11Backend(hsm.config({ maxParallel: 4 }));
    const r = hsm.ref('pool');
    await backend.generateKey(r, { keyType: 'ecdsa-p256', usages: ['sign', 'verify'] });
    const publicKey = await backend.getPublicKey(r);
    const samples: number[] = [];
    let sampling = true;
    const sample = (): void => {
      samples.push(hsm.counter.count(hsm.token.label) - baseline);
      if (sampling) setImmediate(sample);
    };
    const signing = Promise.all(
      Array.from({ length: 16 }, () => backend.sign(r, MESSAGE, { hash: 'sha2-256' })),
    );
    sample();
    const signatures = await signing;
    sampling = false;
    for (const s of signatures) expect(nodeVerify('sha256', MESSAGE, publicKey, s)).toBe(true);
    expect(samples.length).toBeGreaterThan(1);
    expect(Math.max(...samples)).toBe(4);
    expect(backend.openSessions).toBeLessThanOrEqual(4);
    await backend.close();
    expect(hsm.counter.count(hsm.token.label)).toBe(baseline);
    expect(backend.openSessions).toBe(0);
    await backend.close(); // idempotent
    await expect(backend.generateRandom(1)).rejects.toMatchObject({ code: 'ERR_BACKEND' });
  });

  it('shares one C_Initialize between backends on the same library; closing one keeps the other working', async () => {
    expect(moduleStats(hsm.token.module).refs).toBe(0);
    const before = moduleStats(hsm.token.module).initializeCalls;
    const a = new Pkcs11Backend(hsm.config());
    const b = new Pkcs11Backend(hsm.config());
    const r = hsm.ref('shared');
    await a.generateKey(r, { keyType: 'ecdsa-p256', usages: ['sign', 'verify'] });
    await b.generateRandom(8);
    expect(moduleStats(hsm.token.module)).toEqual({ refs: 2, initializeCalls: before + 1 });
    await a.close();
    expect(moduleStats(hsm.token.module).refs).toBe(1);
    const signature = await b.sign(r, MESSAGE, { hash: 'sha2-256' });
    await expect(b.verify(r, MESSAGE, signature, { hash: 'sha2-256' })).resolves.toBe(true);
    await b.close();
    expect(moduleStats(hsm.token.module)).toEqual({ refs: 0, initializeCalls: before + 1 });
  });

  it('replaces a session the token closed (and the login it dropped) on retry', async () => {
    await using(hsm.config({ maxParallel: 1 }), async (backend) => {
      const r = hsm.ref('broken');
      await backend.generateKey(r, { keyType: 'ecdsa-p256', usages: ['sign', 'verify'] });
      expect(backend.openSessions).toBe(1);
      // Pull every session of the process from under the backend: its pooled handle is now
      // CKR_SESSION_HANDLE_INVALID and the token has logged the application out.
      hsm.counter.pkcs11.C_CloseAllSessions(hsm.counter.slot(hsm.token.label));
      expect(hsm.counter.count(hsm.token.label)).toBe(0);
      const signature = await backend.sign(r, MESSAGE, { hash: 'sha2-256' });
      await expect(backend.verify(r, MESSAGE, signature, { hash: 'sha2-256' })).resolves.toBe(true);
      expect(backend.openSessions).toBe(1);
      expect(hsm.counter.count(hsm.token.label)).toBe(1);
    });
  });
});
