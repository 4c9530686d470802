/**
 * PKCS#11-specific behaviour on SoftHSM2 through pkcs11js: slot selection, login failures,
 * the session pool (sessions counted on the token, not from the backend's bookkeeping), broken
 * sessions, and the shared module registry. One token per file: SoftHSM reads its config once
 * per process initialization.
 */
import { verify as nodeVerify } from 'node:crypto';
import type { SoftHsmToken } from '@keyplane/emulators';
import * as pkcs11js from 'pkcs11js';
import { Pkcs11Backend, moduleStats } from '../../src/backends/pkcs11';
import type { Pkcs11BackendConfig } from '../../src/backends/configs';
import {
  SessionCounter,
  backendConfig,
  codeOf,
  createTestToken,
  using,
} from './support/pkcs11-token';

const TOKEN_LABEL = 'kp-pkcs11';
process.env.METADATA_SERVER_DETECTION = 'none';
process.env.AWS_EC2_METADATA_DISABLED = 'true';

const MESSAGE = Buffer.from('keyplane pkcs11 message');

let token: SoftHsmToken;
let counter: SessionCounter;
let seq = 0;
const ref = (label: string) => ({ name: `kp-${label}-${String(++seq)}` });

function config(overrides: Partial<Pkcs11BackendConfig> = {}): Pkcs11BackendConfig {
  return backendConfig(token, overrides);
}

beforeAll(async () => {
  token = await createTestToken(TOKEN_LABEL);
  counter = new SessionCounter(token.module);
  counter.open();
});

afterAll(async () => {
  counter.close();
  await token.dispose();
});

describe('login', () => {
  // First: SoftHSM answers CKR_USER_ALREADY_LOGGED_IN (without checking the PIN) while any
  // session of the process is logged in, so this must run when no backend is open.
  it('refuses a bad PIN with ERR_AUTHENTICATION_FAILED, never echoes it, and leaves no session open', async () => {
    expect(counter.count(token.label)).toBe(0);
    const badPin = '98765432';
    await using(config({ pin: badPin, maxParallel: 3 }), async (backend) => {
      for (const attempt of [backend.generateRandom(8), backend.getKey(ref('any'))]) {
        const e = await codeOf(attempt);
        expect(e).toMatchObject({ code: 'ERR_AUTHENTICATION_FAILED', field: 'pin' });
        expect(e.message).toContain('CKR_PIN_INCORRECT');
        expect(e.message).not.toContain(badPin);
        expect(JSON.stringify(e)).not.toContain(badPin);
      }
      expect(counter.count(token.label)).toBe(0);
      expect(backend.openSessions).toBe(0);
    });
  });
});

describe('slot selection', () => {
  it('selects the token by its decimal slot id (SoftHSM reassigns a random one)', async () => {
    expect(token.slot).toMatch(/^\d+$/);
    expect(BigInt(token.slot)).toBeGreaterThan(1n);
    await using(config({ slot: token.slot, tokenLabel: undefined }), async (backend) => {
      await expect(backend.generateRandom(16)).resolves.toHaveLength(16);
    });
    await using(config({ slot: token.slot }), async (backend) => {
      await expect(backend.generateRandom(4)).resolves.toHaveLength(4);
    });
  });

  it('refuses a wrong slot or token label with ERR_NOT_FOUND listing the token labels', async () => {
    const cases: [Partial<Pkcs11BackendConfig>, string][] = [
      [{ slot: '12345', tokenLabel: undefined }, 'slot'],
      [{ tokenLabel: 'no-such-token' }, 'token_label'],
      [{ slot: token.slot, tokenLabel: 'other-label' }, 'token_label'],
    ];
    for (const [overrides, field] of cases) {
      await using(config(overrides), async (backend) => {
        const e = await codeOf(backend.generateRandom(8));
        expect(e).toMatchObject({ code: 'ERR_NOT_FOUND', field, allowed: [token.label] });
        expect(e.message).toContain(token.label);
      });
    }
    expect(() => new Pkcs11Backend(config({ slot: '0x10' }))).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT', field: 'slot' }) as Error,
    );
  });

  it('names the uninitialized token in a slot as such', async () => {
    const free = counter.pkcs11
      .C_GetSlotList(true)
      .find((s) => (counter.pkcs11.C_GetTokenInfo(s).flags & pkcs11js.CKF_TOKEN_INITIALIZED) === 0);
    if (free === undefined) throw new Error('SoftHSM always keeps one free slot');
    const slot = String(free.readBigUInt64LE(0));
    await using(config({ slot, tokenLabel: undefined }), async (backend) => {
      const e = await codeOf(backend.generateRandom(8));
      expect(e).toMatchObject({ code: 'ERR_NOT_FOUND', field: 'slot', allowed: [token.label] });
      expect(e.message).toContain('uninitialized');
    });
  });
});

describe('session pool', () => {
  it('runs 16 concurrent signs on at most maxParallel=4 sessions and closes them all', async () => {
    const baseline = counter.count(token.label);
    const backend = new Pkcs11Backend(config({ maxParallel: 4 }));
    const r = ref('pool');
    await backend.generateKey(r, { keyType: 'ecdsa-p256', usages: ['sign', 'verify'] });
    const publicKey = await backend.getPublicKey(r);
    const samples: number[] = [];
    let sampling = true;
    const sample = (): void => {
      samples.push(counter.count(token.label) - baseline);
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
    expect(counter.count(token.label)).toBe(baseline);
    expect(backend.openSessions).toBe(0);
    await backend.close(); // idempotent
    await expect(backend.generateRandom(1)).rejects.toMatchObject({ code: 'ERR_BACKEND' });
  });

  it('shares one C_Initialize between backends on the same library; closing one keeps the other working', async () => {
    expect(moduleStats(token.module).refs).toBe(0);
    const before = moduleStats(token.module).initializeCalls;
    const a = new Pkcs11Backend(config());
    const b = new Pkcs11Backend(config());
    const r = ref('shared');
    await a.generateKey(r, { keyType: 'ecdsa-p256', usages: ['sign', 'verify'] });
    await b.generateRandom(8);
    expect(moduleStats(token.module)).toEqual({ refs: 2, initializeCalls: before + 1 });
    await a.close();
    expect(moduleStats(token.module).refs).toBe(1);
    const signature = await b.sign(r, MESSAGE, { hash: 'sha2-256' });
    await expect(b.verify(r, MESSAGE, signature, { hash: 'sha2-256' })).resolves.toBe(true);
    await b.close();
    expect(moduleStats(token.module)).toEqual({ refs: 0, initializeCalls: before + 1 });
  });

  it('replaces a session the token closed (and the login it dropped) on retry', async () => {
    await using(config({ maxParallel: 1 }), async (backend) => {
      const r = ref('broken');
      await backend.generateKey(r, { keyType: 'ecdsa-p256', usages: ['sign', 'verify'] });
      expect(backend.openSessions).toBe(1);
      // Pull every session of the process from under the backend: its pooled handle is now
      // CKR_SESSION_HANDLE_INVALID and the token has logged the application out.
      counter.pkcs11.C_CloseAllSessions(counter.slot(token.label));
      expect(counter.count(token.label)).toBe(0);
      const signature = await backend.sign(r, MESSAGE, { hash: 'sha2-256' });
      await expect(backend.verify(r, MESSAGE, signature, { hash: 'sha2-256' })).resolves.toBe(true);
      expect(backend.openSessions).toBe(1);
      expect(counter.count(token.label)).toBe(1);
    });
  });
});
