'use strict';
// Runs a worker thread's TypeScript entry from the engine's sources — only under jest, which
// maps @keyplane/* to src/ (a Worker cannot be handed a .ts file). Built code never comes here:
// sqlite-audit-group.ts starts the compiled .js worker from dist/.
const { workerData } = require('node:worker_threads');
require('../../scripts/register-ts.cjs');

require(workerData.entry);
