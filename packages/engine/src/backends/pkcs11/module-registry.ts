/**
 * One loaded + initialized PKCS#11 module per library path per process. Cryptoki state (the
 * `C_Initialize` call, the application-wide login) belongs to the process, not to a backend:
 * two backends on the same library must share one initialization, and the library is only
 * finalized when the last backend using it closes.
 *
 * @module
 */
import * as pkcs11js from 'pkcs11js';
import { ckrName } from './errors';
import { KeyCache } from './key-cache';

interface ModuleEntry {
  readonly pkcs11: pkcs11js.PKCS11;
  refs: number;
  /** False when someone else (another loader in this process) had already initialized it. */
  readonly ownsInitialization: boolean;
  /** Backends logged in per slot (decimal slot id): logout only when the last one leaves. */
  readonly slotUsers: Map<string, number>;
  /** Resolved keys per slot: handles are the application's, so backends share them. */
  readonly keyCaches: Map<string, KeyCache>;
}

const MODULES = new Map<string, ModuleEntry>();

/** `C_Initialize` calls this registry made per library path (tests assert exactly one). */
const INITIALIZE_CALLS = new Map<string, number>();

/**
 * Loads and initializes `library` (or takes another reference to it). OS locking is requested
 * because pkcs11js's async calls run on libuv worker threads: with NULL init args SoftHSM
 * switches its mutexes off and concurrent sessions would race.
 */
export function acquireModule(library: string): pkcs11js.PKCS11 {
  const existing = MODULES.get(library);
  if (existing !== undefined) {
    existing.refs++;
    return existing.pkcs11;
  }
  const pkcs11 = new pkcs11js.PKCS11();
  pkcs11.load(library);
  let ownsInitialization = true;
  try {
    INITIALIZE_CALLS.set(library, (INITIALIZE_CALLS.get(library) ?? 0) + 1);
    pkcs11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (error) {
    if (ckrName(error) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
      pkcs11.close();
      throw error;
    }
    ownsInitialization = false;
  }
  MODULES.set(library, {
    pkcs11,
    refs: 1,
    ownsInitialization,
    slotUsers: new Map(),
    keyCaches: new Map(),
  });
  return pkcs11;
}

/** Blocks the thread for `ms` (only on the rare re-scan path, which is synchronous). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Finalizes and initializes `library` again so the module rescans its tokens; false (nothing
 * done) unless this registry initialized it and the caller holds the only reference — another
 * backend's sessions and login would not survive `C_Finalize`. Why: SoftHSM2 reads its token
 * directory once, at `C_Initialize`, and silently skips a token whose files another process is
 * rewriting at that moment (every login rewrites token.object), so a process started during a
 * neighbour's login sees no token at all although nothing is misconfigured. The short pause
 * lets that rewrite finish; it is only paid when the configured token was not found.
 */
export function rescanModule(library: string): boolean {
  const entry = MODULES.get(library);
  if (entry === undefined || entry.refs !== 1 || !entry.ownsInitialization) return false;
  try {
    entry.pkcs11.C_Finalize();
  } catch {
    // Not initialized any more: initializing below is all that is needed.
  }
  entry.keyCaches.clear();
  entry.slotUsers.clear();
  pause(RESCAN_PAUSE_MS);
  INITIALIZE_CALLS.set(library, (INITIALIZE_CALLS.get(library) ?? 0) + 1);
  entry.pkcs11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  return true;
}

/** How long a rescan waits for another process's token rewrite (a few small files). */
const RESCAN_PAUSE_MS = 30;

/** Drops one reference; the last one finalizes (if this registry initialized) and unloads. */
export function releaseModule(library: string): void {
  const entry = MODULES.get(library);
  if (entry === undefined) return;
  entry.refs--;
  if (entry.refs > 0) return;
  MODULES.delete(library);
  try {
    if (entry.ownsInitialization) entry.pkcs11.C_Finalize();
  } catch {
    // Finalizing is best effort: the process keeps running either way.
  } finally {
    entry.pkcs11.close();
  }
}

/** The slot's key cache; dropped with the module (a finalized module's handles are gone). */
export function keyCacheFor(library: string, slot: string): KeyCache {
  const entry = MODULES.get(library);
  if (entry === undefined) return new KeyCache();
  let cache = entry.keyCaches.get(slot);
  if (cache === undefined) {
    cache = new KeyCache();
    entry.keyCaches.set(slot, cache);
  }
  return cache;
}

/** Registers a backend as a user of the slot's login. */
export function joinSlot(library: string, slot: string): void {
  const entry = MODULES.get(library);
  if (entry === undefined) return;
  entry.slotUsers.set(slot, (entry.slotUsers.get(slot) ?? 0) + 1);
}

/**
 * Unregisters a backend from the slot; true when it was the last one, so logging out does
 * not pull the (application-wide) login from under another backend.
 */
export function leaveSlot(library: string, slot: string): boolean {
  const entry = MODULES.get(library);
  if (entry === undefined) return true;
  const users = (entry.slotUsers.get(slot) ?? 1) - 1;
  if (users > 0) entry.slotUsers.set(slot, users);
  else entry.slotUsers.delete(slot);
  return users <= 0;
}

/** Test / metrics view of the registry. */
export function moduleStats(library: string): { refs: number; initializeCalls: number } {
  return {
    refs: MODULES.get(library)?.refs ?? 0,
    initializeCalls: INITIALIZE_CALLS.get(library) ?? 0,
  };
}
