/**
 * A private SoftHSM2 token for one PKCS#11 test file. SoftHSM reads SOFTHSM2_CONF when the
 * module is initialized, and one process initializes it once, so each test file uses exactly
 * one token/config and points the environment at it before the first backend call.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSoftHsmToken, type SoftHsmToken } from '@keyplane/emulators';
import { CKF_OS_LOCKING_OK, CKF_SERIAL_SESSION, PKCS11 } from 'pkcs11js';
import type { Pkcs11BackendConfig } from '../../../src/backends/configs';
import { Pkcs11Backend } from '../../../src/backends/pkcs11';

export const TEST_PIN = '1234';

/**
 * Creates the token and points SoftHSM at it. SoftHSM reads SOFTHSM2_CONF with getenv() at
 * C_Initialize, but Jest hands each test file a copy of process.env, so assigning to it never
 * reaches native code, and process.loadEnvFile (which does) never overrides a variable. So the
 * real variable is set once per process to a fixed per-process path, and each test file copies
 * its own token's config there before its first backend call (the previous file's backends
 * have finalized the module by then).
 */
export async function createTestToken(label: string): Promise<SoftHsmToken> {
  const token = await createSoftHsmToken({ label, pin: TEST_PIN, soPin: '5678' });
  const shared = join(tmpdir(), `keyplane-softhsm2-${String(process.pid)}.conf`);
  const current = process.env.SOFTHSM2_CONF;
  if (current !== undefined && current !== shared) {
    throw new Error(`unset SOFTHSM2_CONF (${current}) to run the PKCS#11 tests on private tokens`);
  }
  copyFileSync(token.conf, shared);
  if (current === undefined) {
    const envFile = join(token.dir, 'softhsm.env');
    writeFileSync(envFile, `SOFTHSM2_CONF=${shared}\n`);
    process.loadEnvFile(envFile);
    process.env.SOFTHSM2_CONF = shared;
  }
  // The next test file in this process writes the shared config again before initializing.
  return {
    ...token,
    dispose: async () =>
      await Promise.all([token.dispose(), rm(shared, { force: true })]).then(() => undefined),
  };
}

export function backendConfig(
  token: SoftHsmToken,
  overrides: Partial<Pkcs11BackendConfig> = {},
): Pkcs11BackendConfig {
  return {
    type: 'pkcs11',
    library: token.module,
    tokenLabel: token.label,
    pin: token.pin,
    maxParallel: 2,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    ...overrides,
  };
}

/**
 * Counts the sessions open in this process on the module, independently of the backend's own
 * bookkeeping: SoftHSM reports ulSessionCount as CK_UNAVAILABLE_INFORMATION, but its session
 * handles are small increasing integers, so every handle up to a freshly opened probe session's
 * is asked C_GetSessionInfo. Needs the module initialized (by `probe`'s own C_Initialize).
 */
export class SessionCounter {
  readonly pkcs11 = new PKCS11();

  constructor(private readonly module: string) {}

  /** Loads and initializes the module first, so backends see CKR_CRYPTOKI_ALREADY_INITIALIZED. */
  open(): void {
    this.pkcs11.load(this.module);
    // OS locking, as the backend asks for: SoftHSM drops its mutexes with NULL init args.
    this.pkcs11.C_Initialize({ flags: CKF_OS_LOCKING_OK });
  }

  slot(label: string): Buffer {
    const slot = this.pkcs11
      .C_GetSlotList(true)
      .find((s) => this.pkcs11.C_GetTokenInfo(s).label.trim() === label);
    if (slot === undefined) throw new Error(`no token ${label}`);
    return slot;
  }

  /** Runs `fn` on a short-lived read-only session of the test's own. */
  withSession<T>(label: string, fn: (session: Buffer) => T): T {
    const session = this.pkcs11.C_OpenSession(this.slot(label), CKF_SERIAL_SESSION);
    try {
      return fn(session);
    } finally {
      this.pkcs11.C_CloseSession(session);
    }
  }

  count(slotLabel: string): number {
    const probe = this.pkcs11.C_OpenSession(this.slot(slotLabel), CKF_SERIAL_SESSION);
    const highest = Number(probe.readBigUInt64LE(0));
    this.pkcs11.C_CloseSession(probe);
    let open = 0;
    for (let h = 1; h < highest; h++) {
      const handle = Buffer.alloc(8);
      handle.writeBigUInt64LE(BigInt(h));
      try {
        this.pkcs11.C_GetSessionInfo(handle);
        open++;
      } catch {
        // CKR_SESSION_HANDLE_INVALID: closed.
      }
    }
    return open;
  }

  close(): void {
    this.pkcs11.C_Finalize();
    this.pkcs11.close();
  }
}

/** Opens, runs, and always closes a backend. */
export async function using<T>(
  cfg: Pkcs11BackendConfig,
  fn: (b: Pkcs11Backend) => Promise<T>,
): Promise<T> {
  const backend = new Pkcs11Backend(cfg);
  try {
    return await fn(backend);
  } finally {
    await backend.close();
  }
}

/** A test file's token, its independent session counter, and config / ref factories. */
export interface TokenFixture {
  readonly token: SoftHsmToken;
  readonly counter: SessionCounter;
  config(overrides?: Partial<Pkcs11BackendConfig>): Pkcs11BackendConfig;
  /** A fresh key label (`kp-<label>-<n>`). */
  ref(label: string): { name: string };
}

/** Creates the file's token and counter in beforeAll and disposes of them in afterAll. */
export function useTestToken(label: string): TokenFixture {
  let token: SoftHsmToken | undefined;
  let counter: SessionCounter | undefined;
  let seq = 0;
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the token fixture is used before beforeAll ran');
    return value;
  };
  beforeAll(async () => {
    token = await createTestToken(label);
    counter = new SessionCounter(token.module);
    counter.open();
  });
  afterAll(async () => {
    counter?.close();
    await token?.dispose();
  });
  return {
    get token() {
      return ready(token);
    },
    get counter() {
      return ready(counter);
    },
    config: (overrides = {}) => backendConfig(ready(token), overrides),
    ref: (name) => ({ name: `kp-${name}-${String(++seq)}` }),
  };
}
