// A second process on the same store, for the tests that need a real one (leases held across
// processes, kill -9 in the middle of a transaction). Runs the compiled engine (dist/).
//   node store-worker.js lease <url> <resource> <ttlMs>   take the lease, print "held", keep it
//   node store-worker.js write <url> <count> <hang>       insert <count> keys in one transaction;
//                                                          with hang=1 print "mid" halfway and hang
//   node store-worker.js bump <url> <name> <times>        increment a counter record <times> times
'use strict';
const { openStore, PassphraseSeal } = require('../../../dist/index.js');

const [mode, url, a, b] = process.argv.slice(2);
const seal = new PassphraseSeal(process.env.WORKER_PASSPHRASE ?? 'contract suite passphrase');

// Lease renewal timers are unref'd (the work holding a lease keeps a process alive): this one
// has no other work, so it keeps itself alive until the test kills it.
const hang = () => new Promise(() => setInterval(() => undefined, 1000));

async function main() {
  const store = await openStore(url, { seal, actor: `worker-${process.pid}` });
  if (mode === 'lease') {
    await store.acquireLease(a, { holder: `worker-${process.pid}`, ttlMs: Number(b) });
    process.stdout.write('held\n');
    await hang(); // renewing until killed
  }
  if (mode === 'write') {
    const count = Number(a);
    await store.transaction(async (tx) => {
      for (let i = 0; i < count; i++) {
        await tx.insert({ kind: 'key', namespace: 'root', name: `k${i}`, attributes: { i } });
        if (b === '1' && i === Math.floor(count / 2)) {
          process.stdout.write('mid\n');
          await hang(); // killed here, mid-transaction
        }
      }
      await tx.audit({
        namespace: 'root',
        operation: 'test.write',
        target: 'key/*',
        outcome: 'ok',
      });
    });
    process.stdout.write('done\n');
  }
  if (mode === 'bump') {
    for (let i = 0; i < Number(b); i++) {
      for (;;) {
        const r = await store.get('key', 'root', a);
        try {
          await store.transaction((tx) => tx.update(r, { attributes: { n: r.attributes.n + 1 } }));
          break;
        } catch (e) {
          if (e.code !== 'ERR_CONFLICT') throw e;
        }
      }
    }
    process.stdout.write('done\n');
  }
  await store.close();
}

main().catch((e) => {
  process.stderr.write(`${e.code ?? ''} ${e.message}\n`);
  process.exit(1);
});
