// Jest runs every package's tests from the root. Tests are TypeScript, transpiled by swc
// (type-checking is `tsc -b` / `npm run typecheck`, not the test runner's job), and workspace
// imports resolve to sources so a test never runs against a stale dist/.
'use strict';

const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
  ],
};

const moduleNameMapper = {
  '^@keyplane/engine$': `${__dirname}/packages/engine/src/index.ts`,
  // Subpath entry points (package.json "exports"): `@keyplane/engine/keys` → src/keys.ts.
  '^@keyplane/engine/(env|errors|keys|internal)$': `${__dirname}/packages/engine/src/$1.ts`,
  '^@keyplane/engine/lifecycle-rules$': `${__dirname}/packages/engine/src/lifecycle/rules.ts`,
  '^@keyplane/engine/policy$': `${__dirname}/packages/engine/src/policy/index.ts`,
  '^@keyplane/engine/managed-parameters$': `${__dirname}/packages/engine/src/managed/parameters.ts`,
  '^@keyplane/emulators$': `${__dirname}/packages/emulators/src/index.ts`,
  '^terraform-provider-keyplane$': `${__dirname}/packages/provider/src/index.ts`,
  '^terraform-provider-keyplane/install$': `${__dirname}/packages/provider/src/install.ts`,
  '^@keyplane/cdktf$': `${__dirname}/packages/cdktf/src/index.ts`,
  '^@keyplane/cdktf/gen$': `${__dirname}/packages/cdktf/src/gen/index.ts`,
};

// @keyplane/cdktn is @keyplane/cdktf's source with the core import `cdktf` switched to `cdktn`
// (packages/cdktf/scripts/build-cdktn.mjs); the `cdktn` project runs the same construct tests
// with that same switch made at module resolution, so every test runs against both cores.
const cdktnMapper = { '^cdktf$': require.resolve('cdktn'), ...moduleNameMapper };

/** @param {string} name @param {string} dir @param {Record<string, string>} [mapper] */
function project(name, dir, mapper = moduleNameMapper) {
  return {
    displayName: name,
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    modulePathIgnorePatterns: ['<rootDir>/packages/.*/dist/'],
    transform,
    moduleNameMapper: mapper,
    // The AWS SDK's Node-version notice stays out of the CI log (see jest.setup.js).
    setupFiles: [`${__dirname}/jest.setup.js`],
  };
}

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    project('engine', '<rootDir>/packages/engine'),
    project('emulators', '<rootDir>/packages/emulators'),
    project('cli', '<rootDir>/packages/cli'),
    project('provider', '<rootDir>/packages/provider'),
    project('cdktf', '<rootDir>/packages/cdktf'),
    project('cdktn', '<rootDir>/packages/cdktf', cdktnMapper),
    // Each example's own test: synth + real terraform against `keyplane dev`.
    project('example-multi-cloud-byok', '<rootDir>/examples/multi-cloud-byok'),
    project('example-team-policy', '<rootDir>/examples/team-policy'),
    // End-to-end: the README's commands and, later, terraform + provider + emulators.
    project('e2e', '<rootDir>'),
    // examples/hcl: the hand-written Terraform example applied against `keyplane dev up`.
    project('example-hcl', '<rootDir>/examples/hcl'),
  ],
  testTimeout: 60_000,
  // Much of the suite waits on openssl child processes, so two workers help even on 2 cores.
  maxWorkers: 2,
};
