// A process that is killed with SIGKILL at an injected point of a distribution or rotation
// (compiled engine, dist/), for the crash matrix:
//   node crash-worker.js <store url> distribute <kms> <key> <purpose> <point>
//   node crash-worker.js <store url> rotate <kms> <key> - <point>
// Points: `before-import` / `after-import` kill inside the import of one version (the backend's
// importKeyVersion, or the AWS symmetric target's importVersion): before it calls the cloud (the
// store already holds the distribution / the new version) or after the cloud import returned
// (before the store records it). `after:<Command>` kills right after that AWS SDK command
// returned (e.g. after:CreateKey, before CreateAlias; after:ImportKeyMaterial, before
// RotateKeyOnDemand).
'use strict';
const engine = require('../../../dist/index.js');
const { AwsSymmetricTarget } = require('../../../dist/lifecycle/aws-symmetric.js');
const { KMSClient } = require('@aws-sdk/client-kms');

const [url, op, kms, key, purpose, point] = process.argv.slice(2);
const kill = () => process.kill(process.pid, 'SIGKILL');

/** Wraps `owner[method]` so the kill happens around the one-version import. */
function killAround(owner, method) {
  const original = owner[method];
  owner[method] = async function (...args) {
    if (point === 'before-import') kill();
    const out = await original.apply(this, args);
    if (point === 'after-import') kill();
    return out;
  };
}

const open = engine.LifecycleContext.prototype.backendFor;
engine.LifecycleContext.prototype.backendFor = async function backendFor(record) {
  const backend = await open.call(this, record);
  killAround(backend, 'importKeyVersion');
  return backend;
};
killAround(AwsSymmetricTarget.prototype, 'importVersion');

if (point.startsWith('after:')) {
  const command = point.slice('after:'.length);
  const send = KMSClient.prototype.send;
  KMSClient.prototype.send = async function (cmd, ...rest) {
    const out = await send.call(this, cmd, ...rest);
    if (cmd.constructor.name === `${command}Command`) kill();
    return out;
  };
}

async function main() {
  const store = await engine.openStore(url, {
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
