/**
 * A pool of at most `size` sessions on one token, opened lazily and logged in as CKU_USER.
 * Read-only sessions serve lookups and crypto; read-write ones (or every session with
 * `forceRwSession`) serve object creation, attribute changes and destruction. A session that
 * fails with a session-level CKR (closed, device error, logged out) is closed instead of being
 * returned, so the retry runs on a fresh one.
 *
 * @module
 */
import * as pkcs11js from 'pkcs11js';
import { isPending, type Answer } from '../common/answer';
import { AuthenticationFailedError, BackendError } from '../../errors';
import { ckrName, isAuthFailure, isBrokenSession } from './errors';
import type { KeyCache } from './key-cache';
import {
  acquireModule,
  joinSlot,
  keyCacheFor,
  leaveSlot,
  releaseModule,
  rescanModule,
} from './module-registry';
import { selectSlot, type SelectedSlot } from './slots';

export type SessionMode = 'ro' | 'rw';

export interface Session {
  readonly pkcs11: pkcs11js.PKCS11;
  readonly handle: Buffer;
  readonly rw: boolean;
  readonly slot: SelectedSlot;
  /** The slot's resolved keys (shared by the process's backends on this module and slot). */
  readonly keys: KeyCache;
}

export interface SessionPoolOptions {
  readonly library: string;
  readonly slot?: string | undefined;
  readonly tokenLabel?: string | undefined;
  readonly pin: string;
  readonly size: number;
  readonly forceRwSession: boolean;
}

interface Opened {
  readonly pkcs11: pkcs11js.PKCS11;
  readonly slot: SelectedSlot;
  readonly keys: KeyCache;
}

export class SessionPool {
  private opened: Opened | undefined;
  private joined = false;
  private closed = false;
  private readonly idle: Session[] = [];
  private busy = 0;
  private readonly waiters: (() => void)[] = [];
  private drained: (() => void) | undefined;

  constructor(private readonly options: SessionPoolOptions) {}

  /** Sessions this pool holds open right now (idle + in use). */
  get openSessions(): number {
    return this.idle.length + this.busy;
  }

  /** The token label, once the pool has opened (for messages). */
  get tokenLabel(): string {
    return this.opened?.slot.label ?? this.options.tokenLabel ?? `slot ${this.options.slot ?? ''}`;
  }

  /**
   * Runs `fn` on a pooled session; broken sessions are closed, all others returned. A read-write
   * request creates, changes or destroys objects, so it clears the slot's key cache when it
   * ends (succeeded or not: a failed one may have changed something before failing).
   *
   * Synchronous when a session is free and `fn` answers synchronously (a PKCS#11 call on the JS
   * thread), so the signing fast path awaits nothing; a promise from `fn` is returned settled
   * the same way, and only a pool with no free session waits.
   */
  withSession<T>(mode: SessionMode, fn: (session: Session) => Answer<T>): Answer<T> {
    const session = this.take(mode === 'rw' || this.options.forceRwSession);
    if (session === undefined) return this.withSessionLater(mode, fn);
    let answer: Answer<T>;
    try {
      answer = fn(session);
    } catch (error) {
      this.finish(session, mode, isBrokenSession(error));
      throw error;
    }
    if (!isPending(answer)) {
      this.finish(session, mode, false);
      return answer;
    }
    return answer.then(
      (value) => {
        this.finish(session, mode, false);
        return value;
      },
      (error: unknown) => {
        this.finish(session, mode, isBrokenSession(error));
        throw error;
      },
    );
  }

  private async withSessionLater<T>(
    mode: SessionMode,
    fn: (session: Session) => Answer<T>,
  ): Promise<T> {
    await this.free();
    return await this.withSession(mode, fn);
  }

  /** The end of one request on `session`: see {@link withSession}. */
  private finish(session: Session, mode: SessionMode, broken: boolean): void {
    if (mode === 'rw') session.keys.clear();
    this.release(session, broken);
  }

  /** Closes every session, logs out when this is the slot's last backend, releases the module. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Anyone still waiting for a session wakes up to the "closed" refusal.
    for (const wake of this.waiters.splice(0)) wake();
    if (this.busy > 0) {
      await new Promise<void>((resolve) => (this.drained = resolve));
    }
    const opened = this.opened;
    if (opened === undefined) return;
    const first = this.idle[0];
    if (this.joined && leaveSlot(this.options.library, opened.slot.id) && first !== undefined) {
      try {
        opened.pkcs11.C_Logout(first.handle);
      } catch {
        // Already logged out (or the token went away): nothing left to undo.
      }
    }
    for (const session of this.idle.splice(0)) this.closeQuietly(session);
    this.opened = undefined;
    releaseModule(this.options.library);
  }

  private open(): Opened {
    if (this.opened !== undefined) return this.opened;
    const pkcs11 = acquireModule(this.options.library);
    try {
      const library = this.options.library;
      const slot = selectSlot(pkcs11, this.options, () => rescanModule(library));
      this.opened = { pkcs11, slot, keys: keyCacheFor(this.options.library, slot.id) };
      return this.opened;
    } catch (error) {
      releaseModule(this.options.library);
      throw error;
    }
  }

  /**
   * A session for this request right now — an idle one, a newly opened one, or one opened in
   * place of an idle read-only one — or undefined when all `size` are in use.
   */
  private take(rw: boolean): Session | undefined {
    if (this.closed) {
      throw new BackendError('the PKCS#11 backend is closed', { backendCode: 'CLOSED' });
    }
    const opened = this.open();
    const idle = this.idle;
    // The longest idle one first; no closure or spliced array when it is the only one.
    for (let i = 0; i < idle.length; i++) {
      const session = idle[i];
      if (session !== undefined && (session.rw || !rw)) {
        if (idle.length === 1) idle.pop();
        else idle.splice(i, 1);
        this.busy++;
        return session;
      }
    }
    if (this.openSessions < this.options.size) return this.openSession(opened, rw);
    // Full, but an idle read-only session can make room for the read-write one we need.
    const spare = idle.shift();
    if (spare !== undefined) {
      this.closeQuietly(spare);
      return this.openSession(opened, rw);
    }
    return undefined;
  }

  /**
   * Waits until a session is released (or the pool closes). The CallPolicy limiter has the same
   * size, so this only happens around close().
   */
  private async free(): Promise<void> {
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private openSession(opened: Opened, rw: boolean): Session {
    const flags = pkcs11js.CKF_SERIAL_SESSION | (rw ? pkcs11js.CKF_RW_SESSION : 0);
    const handle = opened.pkcs11.C_OpenSession(opened.slot.handle, flags);
    const { pkcs11, slot, keys } = opened;
    const session: Session = { pkcs11, handle, rw, slot, keys };
    try {
      // Login is per application and token: after the first one PKCS#11 answers
      // CKR_USER_ALREADY_LOGGED_IN, which is what we want; it also re-logs in after the
      // token dropped the login because every session had been closed.
      opened.pkcs11.C_Login(handle, pkcs11js.CKU_USER, this.options.pin);
    } catch (error) {
      if (ckrName(error) !== 'CKR_USER_ALREADY_LOGGED_IN') {
        this.closeQuietly(session);
        throw this.loginError(error);
      }
    }
    if (!this.joined) {
      joinSlot(this.options.library, opened.slot.id);
      this.joined = true;
    }
    this.busy++;
    return session;
  }

  private loginError(error: unknown): Error {
    if (!isAuthFailure(error)) return error as Error;
    // Never the PIN itself: only the token label and the CKR name.
    return new AuthenticationFailedError(
      `PKCS#11 login to token '${this.tokenLabel}' failed: ${ckrName(error) ?? 'unknown'}`,
      { field: 'pin' },
    );
  }

  private release(session: Session, broken: boolean): void {
    this.busy--;
    if (broken || this.closed) this.closeQuietly(session);
    else this.idle.push(session);
    this.waiters.shift()?.();
    if (this.closed && this.busy === 0) this.drained?.();
  }

  private closeQuietly(session: Session): void {
    try {
      session.pkcs11.C_CloseSession(session.handle);
    } catch {
      // A broken session may already be gone; the handle is dropped either way.
    }
  }
}
