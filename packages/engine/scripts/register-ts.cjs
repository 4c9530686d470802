// Loads the engine's TypeScript sources outside jest — in a plain `node` process
// (test/plain-node, `node -r`) or a worker thread started under jest (src/store/ts-worker.cjs) —
// each `.ts` file transpiled by @swc/core with the settings jest uses (jest.config.js), so they
// run the sources, never a stale dist/. Development only: not built, not in the package.
'use strict';

const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
