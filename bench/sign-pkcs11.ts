/**
 * PKCS#11 backend sign vs a raw pkcs11js C_SignInit/C_Sign loop on the same SoftHSM2 key
 * (budget ≤ 1.10×), and how the backend's session pool scales with `max_parallel`.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pkcs11js from 'pkcs11js';
import { createKmsBackend, type KmsBackend } from '@keyplane/engine';
import { createSoftHsmToken } from '@keyplane/emulators';
import { comparePair, throughput, type PairResult } from './harness';

export const DIGEST = createHash('sha256').update('keyplane bench').digest();
/** DigestInfo for SHA-256 (RFC 8017 §9.2 note 1), built here independently of the engine. */
const SHA256_DIGEST_INFO = Buffer.concat([
  Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  DIGEST,
]);

export interface ScalingRow {
  readonly maxParallel: number;
  readonly opsPerSec: number;
}

export function rawSigner(module: string, label: string, pin: string, keyLabel: string) {
  const p11 = new pkcs11js.PKCS11();
  p11.load(module);
  try {
    p11.C_Initialize();
  } catch (e) {
    if (!(e as Error).message.includes('CKR_CRYPTOKI_ALREADY_INITIALIZED')) throw e;
  }
  const slot = p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).label.trim() === label);
  if (slot === undefined) throw new Error(`token ${label} not found`);
  const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
  try {
    p11.C_Login(session, pkcs11js.CKU_USER, pin);
  } catch (e) {
    if (!(e as Error).message.includes('CKR_USER_ALREADY_LOGGED_IN')) throw e;
  }
  p11.C_FindObjectsInit(session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
    { type: pkcs11js.CKA_LABEL, value: keyLabel },
  ]);
  const [key] = p11.C_FindObjects(session, 1);
  p11.C_FindObjectsFinal(session);
  if (key === undefined) throw new Error(`key ${keyLabel} not found`);
  const out = Buffer.alloc(512);
  return {
    signRsa: () => {
      p11.C_SignInit(session, { mechanism: pkcs11js.CKM_RSA_PKCS }, key);
      return Promise.resolve(p11.C_Sign(session, SHA256_DIGEST_INFO, out));
    },
    signEcdsa: () => {
      p11.C_SignInit(session, { mechanism: pkcs11js.CKM_ECDSA }, key);
      return Promise.resolve(p11.C_Sign(session, DIGEST, out));
    },
    close: () => {
      p11.C_CloseSession(session);
    },
  };
}

export async function benchPkcs11(
  quick: boolean,
): Promise<{ pairs: PairResult[]; scaling: ScalingRow[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'kp-bench-hsm-'));
  const token = await createSoftHsmToken({
    dir,
    label: 'keyplane-bench',
    pin: '1234',
    soPin: '5678',
  });
  process.env.SOFTHSM2_CONF = token.conf;
  const backends: KmsBackend[] = [];
  const open = async (maxParallel: number) => {
    const b = await createKmsBackend({
      type: 'pkcs11',
      library: token.module,
      tokenLabel: token.label,
      pin: token.pin,
      maxParallel,
    });
    backends.push(b);
    return b;
  };
  try {
    const backend = await open(1);
    await backend.generateKey(
      { name: 'bench-rsa' },
      { keyType: 'rsa-2048', usages: ['sign', 'verify'] },
    );
    await backend.generateKey(
      { name: 'bench-ec' },
      { keyType: 'ecdsa-p256', usages: ['sign', 'verify'] },
    );
    const rounds = quick ? 5 : 21;
    const pairs: PairResult[] = [];
    const rawRsa = rawSigner(token.module, token.label, token.pin, 'bench-rsa');
    pairs.push(
      await comparePair(
        'pkcs11 rsa-2048 CKM_RSA_PKCS sign (backend vs raw C_Sign)',
        rawRsa.signRsa,
        () => backend.sign({ name: 'bench-rsa' }, DIGEST, { hash: 'sha2-256', input: 'digest' }),
        { perRound: quick ? 40 : 300, rounds, warmup: quick ? 10 : 300 },
        1.1,
      ),
    );
    rawRsa.close();
    const rawEc = rawSigner(token.module, token.label, token.pin, 'bench-ec');
    pairs.push(
      await comparePair(
        'pkcs11 ecdsa-p256 CKM_ECDSA sign (backend vs raw C_Sign)',
        rawEc.signEcdsa,
        () => backend.sign({ name: 'bench-ec' }, DIGEST, { hash: 'sha2-256', input: 'digest' }),
        // ~2,000 signatures before TurboFan has compiled the backend's path (bench/callgrind.ts).
        { perRound: quick ? 100 : 800, rounds, warmup: quick ? 25 : 2500 },
        1.1,
      ),
    );
    rawEc.close();
    const scaling: ScalingRow[] = [];
    for (const maxParallel of [1, 2, 4]) {
      const b = maxParallel === 1 ? backend : await open(maxParallel);
      const ops = await throughput(
        () => b.sign({ name: 'bench-rsa' }, DIGEST, { hash: 'sha2-256', input: 'digest' }),
        quick ? 80 : 300,
        8,
      );
      scaling.push({ maxParallel, opsPerSec: ops });
    }
    return { pairs, scaling };
  } finally {
    for (const b of backends) await b.close();
    await token.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
