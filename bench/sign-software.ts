/**
 * Engine sign vs raw node:crypto on the same software key (budget ≤ 1.05×).
 *
 * @module
 */
import { constants, sign as nodeSign } from 'node:crypto';
import { generateKeyMaterial, sign } from '@keyplane/engine';
import { comparePair, type PairResult } from './harness';

const MESSAGE = Buffer.alloc(256, 7);

export async function benchSoftwareSign(quick: boolean): Promise<PairResult[]> {
  const rounds = quick ? 5 : 21;
  const rows: PairResult[] = [];
  const cases = [
    {
      type: 'ecdsa-p256',
      hash: 'sha2-256',
      node: 'sha256',
      perRound: quick ? 200 : 2000,
      opts: {},
    },
    {
      type: 'rsa-2048',
      hash: 'sha2-256',
      node: 'sha256',
      perRound: quick ? 50 : 400,
      opts: { padding: constants.RSA_PKCS1_PADDING },
    },
    { type: 'ed25519', hash: undefined, node: null, perRound: quick ? 300 : 3000, opts: {} },
  ] as const;
  for (const c of cases) {
    const { key } = generateKeyMaterial(c.type);
    const engineOptions = c.hash === undefined ? {} : { hash: c.hash };
    rows.push(
      await comparePair(
        `software ${c.type} sign (engine vs node:crypto)`,
        () => Promise.resolve(nodeSign(c.node, MESSAGE, { key, ...c.opts })),
        () => Promise.resolve(sign(key, MESSAGE, engineOptions)),
        // Past JIT warm-up (~2,000 calls, bench/callgrind.ts) before the first timed round.
        { perRound: c.perRound, rounds, warmup: quick ? 25 : 2 * c.perRound },
        1.05,
      ),
    );
  }
  return rows;
}
