'use strict';
// Runs a worker thread's TypeScript entry from the engine's sources — only under jest, which
// maps @keyplane/* to src/ (a Worker cannot be handed a .ts file). Built code never comes here:
// sqlite-audit-group.ts starts the compiled .js worker from dist/. @swc/core is the transpiler
// jest itself uses (jest.config.js), with the same settings, so the worker runs what the tests do.
const { readFileSync } = require('node:fs');
const { workerData } = require('node:worker_threads');
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

require(workerData.entry);
