// Loads TypeScript sources in a plain `node` process (no jest, no vm realm): each `.ts` file is
// transpiled by swc as jest does, so the scripts here run the engine's sources, never a stale
// dist/. Used as `node -r ./register-ts.js script.ts`.
'use strict';

const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
