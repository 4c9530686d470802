// A second process rotating a central key on the same store (compiled engine, dist/), for the
// concurrent-rotation test: node rotate-worker.js <store url> <key name>; prints the new version.
'use strict';
const { KeyClient, openStore, PassphraseSeal } = require('../../../dist/index.js');

const [url, name] = process.argv.slice(2);

async function main() {
  const store = await openStore(url, { seal: new PassphraseSeal('lifecycle test passphrase') });
  const keys = new KeyClient({ store });
  try {
    const view = await keys.rotate(name);
    process.stdout.write(`${String(view.latest_version)}\n`);
  } finally {
    await keys.close();
    await store.close();
  }
}

main().catch((e) => {
  process.stderr.write(`${e.code ?? 'ERR'} ${e.message}\n`);
  process.exit(1);
});
