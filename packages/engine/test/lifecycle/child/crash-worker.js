// A process that is killed with SIGKILL at an injected point of a distribution or rotation
// (compiled engine, dist/), for the crash matrix:
//   node crash-worker.js <db path> distribute <kms> <key> <purpose> <before-import|after-import>
//   node crash-worker.js <db path> rotate <kms> <key> - <before-import|after-import>
// The kill happens inside the backend's importKeyVersion: before it calls the cloud (the store
// already holds the distribution / the new version) or after the cloud import returned (before
// the store records it).
'use strict';
const engine = require('../../../dist/index.js');

const [path, op, kms, key, purpose, point] = process.argv.slice(2);

const open = engine.LifecycleContext.prototype.backendFor;
engine.LifecycleContext.prototype.backendFor = async function backendFor(record) {
  const backend = await open.call(this, record);
  const importKeyVersion = backend.importKeyVersion.bind(backend);
  backend.importKeyVersion = async (...args) => {
    if (point === 'before-import') process.kill(process.pid, 'SIGKILL');
    const out = await importKeyVersion(...args);
    if (point === 'after-import') process.kill(process.pid, 'SIGKILL');
    return out;
  };
  return backend;
};

async function main() {
  const store = await engine.openStore(path, {
    seal: new engine.PassphraseSeal('lifecycle test passphrase'),
  });
  // A short lease, so the next run need not wait long for the killed holder's lease to expire.
  const keys = new engine.KeyClient({ store, leaseTtlMs: 1500 });
  if (op === 'distribute') await keys.distributions.distribute(kms, key, { purpose });
  else await keys.rotate(key);
  process.stdout.write('finished without being killed\n');
  process.exit(3);
}

main().catch((e) => {
  process.stderr.write(`${e.code ?? 'ERR'} ${e.message}\n`);
  process.exit(1);
});
