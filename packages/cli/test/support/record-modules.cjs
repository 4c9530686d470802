// Preloaded with `node --require` by cli-startup.test.ts: when the process exits, writes every
// CommonJS module it loaded (require.cache keys, absolute paths) to $KEYPLANE_TEST_MODULES_OUT.
'use strict';
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  writeFileSync(process.env.KEYPLANE_TEST_MODULES_OUT, JSON.stringify(Object.keys(require.cache)));
});
