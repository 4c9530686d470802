/**
 * PKCS#11 backend (pkcs11js): HSM keys addressed by CKA_LABEL / CKA_ID on one token, used
 * through a pool of logged-in sessions. The constructor does no I/O; the module is loaded,
 * initialized (once per library per process) and logged in on first use.
 *
 * @module
 */
import type { KeyObject } from 'node:crypto';
import type { OaepHash } from '../../algorithms/wrapping-algorithms';
import { isTokenKey, type TransferableKey } from '../../crypto/token-key';
import {
  InvalidArgumentError,
  MissingParameterError,
  NotFoundError,
  UnsupportedOperationError,
} from '../../errors';
import { CallPolicy } from '../common/call-policy';
import type { Pkcs11BackendConfig } from '../configs';
import type {
  BackendCapabilities,
  BackendEncryptOptions,
  BackendKey,
  BackendKeyVersion,
  BackendSignOptions,
  ImportOptions,
  KeyRef,
  KeySpec,
  KmsBackend,
} from '../contract';
import { PKCS11_CAPABILITIES } from './capabilities';
import * as ops from './crypto-ops';
import { classifyPkcs11, mapPkcs11Error } from './errors';
import { exportWrapped } from './export';
import { generateKey } from './generate';
import { importKeyVersion } from './import';
import { lookupKey, toBackendKey, withKey, type Pkcs11Context } from './keys';
import * as lifecycle from './lifecycle';
import { publicKeyOf } from './public-key';
import { SessionPool, type Session, type SessionMode } from './session-pool';
import { sign, verify } from './signing';

export { moduleStats } from './module-registry';

/** `PKCS#11 sign` etc., built once per operation instead of once per call. */
const OPERATION_NAMES = new Map<string, string>();

function operationName(what: string): string {
  let name = OPERATION_NAMES.get(what);
  if (name === undefined) {
    name = `PKCS#11 ${what}`;
    OPERATION_NAMES.set(what, name);
  }
  return name;
}

export class Pkcs11Backend implements KmsBackend {
  readonly type = 'pkcs11' as const;
  readonly capabilities: BackendCapabilities = PKCS11_CAPABILITIES;
  private readonly policy: CallPolicy;
  private readonly pool: SessionPool;
  private readonly ctx: Pkcs11Context;

  constructor(config: Pkcs11BackendConfig) {
    if (config.library === '') {
      throw new MissingParameterError('library (PKCS#11 module path) is required', {
        field: 'library',
      });
    }
    if (typeof config.pin !== 'string' || config.pin === '') {
      throw new MissingParameterError('pin is required', { field: 'pin' });
    }
    const maxParallel = config.maxParallel ?? 1;
    if (config.slot !== undefined && !/^\d{1,20}$/.test(config.slot)) {
      throw new InvalidArgumentError(`slot '${config.slot}' must be a decimal slot id`, {
        field: 'slot',
      });
    }
    this.policy = new CallPolicy({
      maxParallel,
      retry: config.retry,
      timeout: config.timeout,
      endpoint: `PKCS#11 module ${config.library}`,
      classify: classifyPkcs11,
      mapError: mapPkcs11Error,
    });
    this.pool = new SessionPool({
      library: config.library,
      slot: config.slot,
      tokenLabel: config.tokenLabel,
      pin: config.pin,
      size: maxParallel,
      forceRwSession: config.forceRwSession ?? false,
    });
    const { policy, pool } = this;
    this.ctx = {
      run: <T>(what: string, mode: SessionMode, fn: (session: Session) => T | Promise<T>) =>
        policy.call(operationName(what), () => pool.withSession(mode, fn)),
      inline: maxParallel === 1,
    };
  }

  /** Sessions currently open by this backend (tests, metrics). */
  get openSessions(): number {
    return this.pool.openSessions;
  }

  /** Always a live lookup (state changed elsewhere shows here), which also refreshes the cache. */
  async findKey(ref: KeyRef): Promise<BackendKey | undefined> {
    return await this.ctx.run('findKey', 'ro', (session) => {
      const info = lookupKey(session, ref);
      return Promise.resolve(info === undefined ? undefined : toBackendKey(ref, info));
    });
  }

  async getKey(ref: KeyRef): Promise<BackendKey> {
    const key = await this.findKey(ref);
    if (key === undefined) {
      throw new NotFoundError(
        `PKCS#11 key '${ref.name}' not found on token '${this.pool.tokenLabel}'`,
        {
          field: 'name',
        },
      );
    }
    return key;
  }

  async generateKey(ref: KeyRef, spec: KeySpec): Promise<BackendKey> {
    return await generateKey(this.ctx, ref, spec);
  }

  async getPublicKey(ref: KeyRef): Promise<KeyObject> {
    return await this.ctx.run('getPublicKey', 'ro', (session) =>
      withKey(session, ref, (info) => Promise.resolve(publicKeyOf(session, info))),
    );
  }

  /** Not `async`: the signing fast path adds no promise of its own (sign() never throws). */
  sign(ref: KeyRef, data: Uint8Array, options: BackendSignOptions): Promise<Buffer> {
    return sign(this.ctx, ref, data, options);
  }

  async verify(
    ref: KeyRef,
    data: Uint8Array,
    signature: Uint8Array,
    options: BackendSignOptions,
  ): Promise<boolean> {
    return await verify(this.ctx, ref, data, signature, options);
  }

  async encrypt(
    ref: KeyRef,
    plaintext: Uint8Array,
    options?: BackendEncryptOptions,
  ): Promise<Buffer> {
    return await ops.encrypt(this.ctx, ref, plaintext, options);
  }

  async decrypt(
    ref: KeyRef,
    ciphertext: Uint8Array,
    options?: BackendEncryptOptions,
  ): Promise<Buffer> {
    return await ops.decrypt(this.ctx, ref, ciphertext, options);
  }

  async wrapKey(ref: KeyRef, key: Uint8Array, options?: BackendEncryptOptions): Promise<Buffer> {
    return await ops.wrapKey(this.ctx, ref, key, options);
  }

  async unwrapKey(
    ref: KeyRef,
    wrapped: Uint8Array,
    options?: BackendEncryptOptions,
  ): Promise<Buffer> {
    return await ops.unwrapKey(this.ctx, ref, wrapped, options);
  }

  async exportWrapped(ref: KeyRef, kek: KeyObject, oaepHash: OaepHash): Promise<Buffer> {
    return await exportWrapped(this.ctx, ref, kek, oaepHash);
  }

  async mac(ref: KeyRef, data: Uint8Array): Promise<Buffer> {
    return await ops.mac(this.ctx, ref, data);
  }

  async verifyMac(ref: KeyRef, data: Uint8Array, tag: Uint8Array): Promise<boolean> {
    return await ops.verifyMac(this.ctx, ref, data, tag);
  }

  async generateRandom(length: number): Promise<Buffer> {
    return await ops.generateRandom(this.ctx, length);
  }

  async importKeyVersion(
    ref: KeyRef,
    material: TransferableKey,
    options: ImportOptions,
  ): Promise<BackendKeyVersion> {
    if (isTokenKey(material)) {
      throw new UnsupportedOperationError(
        'a key held in a PKCS#11 token (origin hsm) cannot be imported into another token',
        { field: 'key' },
      );
    }
    return await importKeyVersion(this.ctx, ref, material, options);
  }

  async listVersions(ref: KeyRef): Promise<BackendKeyVersion[]> {
    return await lifecycle.listVersions(this.ctx, ref);
  }

  async setVersionEnabled(ref: KeyRef, enabled: boolean): Promise<BackendKeyVersion> {
    return await lifecycle.setVersionEnabled(this.ctx, ref, enabled);
  }

  /** HSMs have no pending window: the version is destroyed at once (`pendingWindowDays` unused). */
  async scheduleVersionDeletion(
    ref: KeyRef,
    _options?: { readonly pendingWindowDays?: number | undefined },
  ): Promise<BackendKeyVersion> {
    return await lifecycle.scheduleVersionDeletion(this.ctx, ref);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
