/**
 * CryptoClient — operations through a named signing key (Azure's naming: lifecycle lives in
 * ManagedKeys / SigningKeys, operations here). Each call re-checks what may have changed since
 * the key was configured: the consumer permission (`any_mount` / `allowed_managed_keys`) and
 * the managed key's `usages`. Outputs are versioned strings `keyplane:v<N>:<base64>`.
 *
 * @module
 */
import { hashAlgorithm } from '../algorithms/hashes';
import type { BackendSignOptions, KeyUsage } from '../backends/contract';
import { NotFoundError, UnsupportedOperationError } from '../errors';
import { errorCodeOf } from '../audit/audited';
import { requireUsage, type ManagedKeys, type ResolvedManagedKey } from './managed-keys';
import { checkConsumerAllowed, SigningKeys } from './signing-keys';
import { signOptionsFor } from './signing-rules';
import { prepareStreamInput, type PreparedInput } from './stream-input';
import { formatVersioned, parseVersioned } from './versioned-value';
import type { StoreRecord } from '../store/contract';
import {
  managedKeyFromStore,
  type ManagedKeyRecord,
  type SigningKeyAttributes,
  type SigningKeyVersion,
} from './records';

export interface CryptoSignOptions {
  /** Hash name (the nine Vault's managed-key test/sign accepts). @default 'sha2-256' (or the key's only hash) */
  readonly hash?: string | undefined;
  /** RSA-PSS; @default the managed key's mechanism/algorithm, else false */
  readonly pss?: boolean | undefined;
  /** `'digest'`: `data` already is the digest (one spelling with SignOptions and the backends). @default 'message' */
  readonly input?: 'message' | 'digest' | undefined;
}

export interface SignResult {
  readonly signature: string;
  readonly key_version: number;
}

export interface EncryptOptions {
  readonly aad?: Uint8Array | undefined;
}

/**
 * Sign options of requests without hash or padding, per resolved key. Pinned versions resolve to
 * the same object while the record revision is unchanged (ManagedKeys.resolveRecord), so this is
 * worked out once per key version and input kind; a changed record resolves to a new object.
 */
const DEFAULT_SIGN_OPTIONS = new WeakMap<
  ResolvedManagedKey,
  { message?: BackendSignOptions; digest?: BackendSignOptions }
>();

/** The options of a call that gives none: one object, not one per call. */
const NO_OPTIONS: CryptoSignOptions = Object.freeze({});

/** A signing key's version resolved for one operation. */
interface Used {
  readonly resolved: ResolvedManagedKey;
  readonly version: number;
}

export class CryptoClient {
  private readonly signingKeys: SigningKeys;
  private readonly auditTarget: string;

  constructor(
    private readonly managed: ManagedKeys,
    /** The signing key (consumer) this client acts for, in the managed keys' namespace. */
    readonly keyName: string,
  ) {
    this.signingKeys = new SigningKeys(managed);
    this.auditTarget = `signing_key/${keyName}`;
  }

  /**
   * Signs with the signing key's latest version, audited like every operation. (audited()
   * written out here: the hot path, with one promise of its own.)
   */
  async sign(data: Uint8Array, options: CryptoSignOptions = NO_OPTIONS): Promise<SignResult> {
    try {
      const { resolved, version } = this.useNow('sign') ?? (await this.use('sign'));
      const signOptions = this.signOptions(resolved, options);
      const signature = await resolved.backend.sign(resolved.key, data, signOptions);
      const result = { signature: formatVersioned(version, signature), key_version: version };
      this.queueOk('sign', data, version);
      return result;
    } catch (e) {
      this.queueError('sign', data, e);
      throw e;
    }
  }

  /**
   * {@link sign} for input streamed from a file or stdin: hashed as it arrives with the hash
   * this key signs with, then signed as a digest (stream-input.ts). Never holds the input.
   */
  async signStream(
    input: AsyncIterable<Uint8Array>,
    options: Omit<CryptoSignOptions, 'input'> = {},
  ): Promise<SignResult> {
    const prepared = await this.prepare('sign', undefined, input, options);
    return await this.sign(prepared.data, { ...options, input: prepared.input });
  }

  /** {@link verify} for streamed input, as {@link signStream}. */
  async verifyStream(
    input: AsyncIterable<Uint8Array>,
    signature: string,
    options: Omit<CryptoSignOptions, 'input'> = {},
  ): Promise<boolean> {
    const { version } = parseVersioned(signature, 'signature');
    const prepared = await this.prepare('verify', version, input, options);
    return await this.verify(prepared.data, signature, { ...options, input: prepared.input });
  }

  /** The hash the version signs with decides how the stream is consumed. */
  private async prepare(
    usage: 'sign' | 'verify',
    version: number | undefined,
    input: AsyncIterable<Uint8Array>,
    options: CryptoSignOptions,
  ): Promise<PreparedInput> {
    const { resolved } = await this.use(usage, version);
    return await prepareStreamInput(input, this.signOptions(resolved, options).hash);
  }

  /** false for a wrong signature; accepts `vault:v<N>:` signatures too. */
  async verify(
    data: Uint8Array,
    signature: string,
    options: CryptoSignOptions = NO_OPTIONS,
  ): Promise<boolean> {
    return await this.audited('verify', data, async () => {
      const parsed = parseVersioned(signature, 'signature');
      const { resolved } =
        this.useNow('verify', parsed.version) ?? (await this.use('verify', parsed.version));
      const signOptions = this.signOptions(resolved, options);
      return await resolved.backend.verify(resolved.key, data, parsed.bytes, signOptions);
    });
  }

  async encrypt(plaintext: Uint8Array, options: EncryptOptions = {}): Promise<string> {
    return await this.audited('encrypt', plaintext, async () => {
      const { resolved, version } = this.useNow('encrypt') ?? (await this.use('encrypt'));
      const encrypt = resolved.backend.encrypt?.bind(resolved.backend);
      if (encrypt === undefined) throw unsupported(resolved, 'encrypt');
      return formatVersioned(version, await encrypt(resolved.key, plaintext, aadOption(options)));
    });
  }

  async decrypt(ciphertext: string, options: EncryptOptions = {}): Promise<Buffer> {
    return await this.audited('decrypt', ciphertext, async () => {
      const parsed = parseVersioned(ciphertext, 'ciphertext');
      const { resolved } =
        this.useNow('decrypt', parsed.version) ?? (await this.use('decrypt', parsed.version));
      const decrypt = resolved.backend.decrypt?.bind(resolved.backend);
      if (decrypt === undefined) throw unsupported(resolved, 'decrypt');
      return await decrypt(resolved.key, parsed.bytes, aadOption(options));
    });
  }

  async hmac(data: Uint8Array): Promise<string> {
    return await this.audited('hmac', data, async () => {
      const { resolved, version } = this.useNow('mac') ?? (await this.use('mac'));
      const mac = resolved.backend.mac?.bind(resolved.backend);
      if (mac === undefined) throw unsupported(resolved, 'mac');
      return formatVersioned(version, await mac(resolved.key, data));
    });
  }

  /**
   * Runs one operation and queues its audit entry (group-committed off the hot path; flushed by
   * the store's close). The input is logged only as an HMAC under the store's audit key.
   */
  private async audited<T>(
    operation: string,
    input: Uint8Array | string,
    fn: () => Promise<T>,
  ): Promise<T> {
    try {
      const result = await fn();
      const version = (result as { key_version?: unknown } | undefined)?.key_version;
      this.queueOk(operation, input, typeof version === 'number' ? version : undefined);
      return result;
    } catch (e) {
      this.queueError(operation, input, e);
      throw e;
    }
  }

  /** The entry of a successful operation; `version` for those that return one. */
  private queueOk(operation: string, input: Uint8Array | string, version?: number): void {
    const { store, namespace } = this.managed;
    const target = this.auditTarget;
    // Built whole (no spreads): this runs once per operation.
    store.queueAudit(
      version === undefined
        ? { namespace, operation, target, outcome: 'ok', secrets: { input } }
        : {
            namespace,
            operation,
            target,
            outcome: 'ok',
            details: { version },
            secrets: { input },
          },
    );
  }

  private queueError(operation: string, input: Uint8Array | string, error: unknown): void {
    const { store, namespace } = this.managed;
    store.queueAudit({
      namespace,
      operation,
      target: this.auditTarget,
      outcome: 'error',
      errorCode: errorCodeOf(error),
      secrets: { input },
    });
  }

  private signOptions(
    resolved: ResolvedManagedKey,
    options: CryptoSignOptions,
  ): BackendSignOptions {
    if (options.hash === undefined && options.pss === undefined) {
      // The common request names neither: its options depend on the resolved key alone.
      const input = options.input ?? 'message';
      let known = DEFAULT_SIGN_OPTIONS.get(resolved);
      if (known === undefined) DEFAULT_SIGN_OPTIONS.set(resolved, (known = {}));
      return (known[input] ??= signOptionsFor(resolved, { input }));
    }
    return signOptionsFor(resolved, {
      hash: options.hash === undefined ? undefined : hashAlgorithm(options.hash).name,
      pss: options.pss,
      input: options.input ?? 'message',
    });
  }

  /**
   * {@link use} when the store's cache holds all three records and the pinned version was
   * resolved for them before: the same checks, in the same order, without a promise. undefined:
   * something is not known without I/O, and use() answers (from the start, so a record that
   * changed meanwhile is read once, whole).
   */
  private useNow(usage: KeyUsage, requested?: number): Used | undefined {
    const { store, namespace } = this.managed;
    const signingKey = store.cached<SigningKeyAttributes>('signing_key', namespace, this.keyName);
    if (signingKey === undefined) return undefined;
    const stored = store.cached('managed_key', namespace, signingKey.attributes.managed_key);
    if (stored === undefined) return undefined;
    const record = managedKeyFromStore(stored);
    const version = checkedVersion(signingKey, record, usage, requested);
    const pinned = store.cached<SigningKeyVersion>(
      'signing_key_version',
      signingKey.namespace,
      String(version),
      signingKey.id,
    );
    if (pinned === undefined) return undefined;
    const { attributes } = pinned;
    const resolved = this.managed.resolvedNow(record, attributes.backend_version, attributes);
    return resolved === undefined ? undefined : { resolved, version };
  }

  /**
   * Loads the signing key, checks consumer permission and usage, resolves version N (default
   * latest). Every read here is served from the store's cache while nothing changed.
   */
  private async use(usage: KeyUsage, requested?: number): Promise<Used> {
    const signingKey = await this.signingKeys.stored(this.keyName);
    const record = await this.managed.record(signingKey.attributes.managed_key);
    const version = checkedVersion(signingKey, record, usage, requested);
    const pinned = await this.signingKeys.version(signingKey, version);
    if (pinned === undefined) {
      const latest = signingKey.attributes.latest_version;
      throw new NotFoundError(
        `signing key '${this.keyName}' has no version ${String(version)} (latest is v${String(latest)})`,
        { field: 'version' },
      );
    }
    const resolved = await this.managed.resolveRecord(record, pinned.backend_version, pinned);
    return { resolved, version };
  }
}

/**
 * The checks every use of a signing key makes once its records are loaded — consumer permission,
 * then usage — and the version it uses: the one asked for, else the latest. One place for
 * {@link CryptoClient}'s cached and loading paths, so they cannot drift apart.
 */
function checkedVersion(
  signingKey: StoreRecord<SigningKeyAttributes>,
  record: ManagedKeyRecord,
  usage: KeyUsage,
  requested: number | undefined,
): number {
  checkConsumerAllowed(signingKey.name, signingKey.attributes.allowed_managed_keys, record);
  requireUsage(record, usage);
  return requested ?? signingKey.attributes.latest_version;
}

function aadOption(options: EncryptOptions): { aad?: Uint8Array } {
  return options.aad === undefined ? {} : { aad: options.aad };
}

function unsupported(resolved: ResolvedManagedKey, operation: string): UnsupportedOperationError {
  return new UnsupportedOperationError(
    `managed key '${resolved.record.name}': ${resolved.record.type} keys cannot ${operation} through Keyplane`,
    { field: 'usages' },
  );
}
