/**
 * The in-process overhead pairs counted by bench/callgrind.ts: each opens its two sides on the
 * same key (software KeyObject, or the SoftHSM2 token the parent prepared) and signs once per call.
 *
 * @module
 */
import { sign as nodeSign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CryptoClient,
  createKmsBackend,
  generateKeyMaterial,
  ManagedKeys,
  openStore,
  PassphraseSeal,
  sign,
  SigningKeys,
} from '@keyplane/engine';
import { DIGEST, rawSigner } from './sign-pkcs11';

export type CallgrindSide = 'baseline' | 'subject';

/** What the parent passes to the workers about its token. */
export interface TokenEnv {
  readonly KP_BENCH_MODULE: string;
  readonly KP_BENCH_TOKEN: string;
  readonly KP_BENCH_PIN: string;
}

type Op = () => Promise<unknown>;

interface OpenPair {
  readonly baseline: Op;
  readonly subject: Op;
  readonly close: () => Promise<void>;
}

interface CallgrindPair {
  readonly title: string;
  readonly budget: number;
  /**
   * Steady-state operations counted, after `warmup` ones: with fewer than ~2,000 warm-up
   * signatures TurboFan is still compiling the engine's path and its cost lands in the count
   * (PKCS#11 ECDSA read 1.15× after 500 warm-up signatures, 1.02× after 3,000). RSA signs cost
   * ~20× an ECDSA one.
   */
  readonly ops: number;
  readonly warmup: number;
  /**
   * The full collection runs this many operations before the counted ones (callgrind.ts
   * `worker`), for every pair: a mark-compact frees the maps of short-lived objects, V8 throws
   * away optimized code that embeds them ("deoptimization, reason: weak objects") and compiles it
   * again over the next operations. Collected right at the window, that recompilation is counted
   * on both sides, more on the side running more JavaScript; `settle` operations later it is
   * done. Each pair warms up twice its old warm-up and collects at the old one.
   */
  readonly settle: number;
  readonly open: (token: TokenEnv) => Promise<OpenPair>;
}

const MESSAGE = Buffer.alloc(256, 7);

function softwarePair(type: 'ecdsa-p256' | 'ed25519'): CallgrindPair {
  return {
    title: `software ${type} sign (engine vs node:crypto)`,
    budget: 1.05,
    ops: 2000,
    warmup: 6000,
    settle: 3000,
    open: () => {
      const { key } = generateKeyMaterial(type);
      const hash = type === 'ed25519' ? null : 'sha256';
      const engineOptions = type === 'ed25519' ? {} : { hash: 'sha2-256' as const };
      return Promise.resolve({
        baseline: () => Promise.resolve(nodeSign(hash, MESSAGE, key)),
        subject: () => Promise.resolve(sign(key, MESSAGE, engineOptions)),
        close: () => Promise.resolve(),
      });
    },
  };
}

function pkcs11Pair(keyType: 'rsa-2048' | 'ecdsa-p256'): CallgrindPair {
  const name = keyType === 'rsa-2048' ? 'bench-rsa' : 'bench-ec';
  const mechanism = keyType === 'rsa-2048' ? 'CKM_RSA_PKCS' : 'CKM_ECDSA';
  return {
    title: `pkcs11 ${keyType} ${mechanism} sign (backend vs raw C_Sign)`,
    budget: 1.1,
    ops: keyType === 'rsa-2048' ? 200 : 2000,
    warmup: keyType === 'rsa-2048' ? 600 : 6000,
    settle: keyType === 'rsa-2048' ? 300 : 3000,
    open: async (token) => {
      const raw = rawSigner(token.KP_BENCH_MODULE, token.KP_BENCH_TOKEN, token.KP_BENCH_PIN, name);
      const backend = await createKmsBackend({
        type: 'pkcs11',
        library: token.KP_BENCH_MODULE,
        tokenLabel: token.KP_BENCH_TOKEN,
        pin: token.KP_BENCH_PIN,
      });
      const options = { hash: 'sha2-256', input: 'digest' } as const;
      return {
        baseline: keyType === 'rsa-2048' ? raw.signRsa : raw.signEcdsa,
        subject: () => backend.sign({ name }, DIGEST, options),
        close: async () => {
          raw.close();
          await backend.close();
        },
      };
    },
  };
}

/**
 * bench/store.ts's sign pair: the same backend sign with the records in memory vs through a
 * signing key on a SQLite store (cached reads, the audit entry queued and group-committed).
 * The loop never leaves the microtask queue (an inline PKCS#11 sign does no I/O), so the 20 ms
 * group-commit timer never fires and every group is a full AUDIT_GROUP_MAX (256 entries) — as in
 * a real run signing faster than 256 per 20 ms; slower callers commit smaller groups, and each
 * group's fixed cost (transaction, metadata MAC, commit) weighs more per sign than here. Kernel
 * time (fsync) is not counted. Warm-up: the audit path runs per group as well as per sign, and
 * after the forced collection it takes ~2,000 signs to be compiled again (`settle`). Collected
 * right at the window (`--warmup 3000 --settle 0`, both sides recompiling inside it) the same
 * build reads 1.23 (615,989 vs 757,389 Ir/op), settled 1.20 (541,058 vs 650,932); after the
 * PKCS#11 backend's synchronous fast path made both sides ~35k Ir cheaper, 1.233 settled (506,694
 * vs 624,877): the store's absolute cost is unchanged. Then the three record reads became
 * synchronous cache hits (KeyStore.cached) and, on SQLite, a worker thread commits the audit
 * groups once the caller fills one (AdaptiveAuditQueue): with `--threads`, 506,753 vs 646,515 =
 * 1.276 in all threads, 506,487 vs 537,441 = 1.061 on the caller's (main) thread. The total grew:
 * the per-entry work (SHA-256 for the input HMAC and the chain hash, mostly block compression,
 * which valgrind runs without the CPU's SHA extensions; the SQLite row; JSON and hex text) moved
 * to the worker, plus the structured clone that takes it there (~5k Ir per entry).
 */
const storeSignPair: CallgrindPair = {
  title: 'pkcs11 ecdsa-p256 sign (in-memory records vs SQLite store)',
  budget: 1.1,
  ops: 2000,
  warmup: 6000,
  settle: 3000,
  open: async (token) => {
    const dir = mkdtempSync(join(tmpdir(), 'kp-callgrind-store-'));
    const store = await openStore(join(dir, 'sign.db'), {
      seal: new PassphraseSeal('keyplane bench passphrase'),
    });
    const keys = new ManagedKeys({ store });
    await keys.create('pkcs11', 'hsm', {
      library: token.KP_BENCH_MODULE,
      token_label: token.KP_BENCH_TOKEN,
      pin: token.KP_BENCH_PIN,
      key_label: 'bench-ec',
      mechanism: '0x1041',
      curve: 'P256',
      any_mount: true,
    });
    await new SigningKeys(keys).create('signer', { managed_key: 'hsm' });
    const client = new CryptoClient(keys, 'signer');
    const resolved = await keys.resolve('hsm');
    const options = { hash: 'sha2-256', input: 'message' } as const;
    return {
      baseline: () => resolved.backend.sign(resolved.key, MESSAGE, options),
      subject: () => client.sign(MESSAGE),
      close: async () => {
        await keys.close();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const CALLGRIND_PAIRS: Readonly<Record<string, CallgrindPair>> = {
  'software-ecdsa': softwarePair('ecdsa-p256'),
  'software-ed25519': softwarePair('ed25519'),
  'pkcs11-ecdsa': pkcs11Pair('ecdsa-p256'),
  'pkcs11-rsa': pkcs11Pair('rsa-2048'),
  'store-sign': storeSignPair,
};
