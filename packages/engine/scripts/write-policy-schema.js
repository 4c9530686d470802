#!/usr/bin/env node
// Writes schema/keyplane-policy.schema.json from the built engine's rule table (run after
// `npm run build`); the schema test fails when the committed file differs from policyJsonSchema().
'use strict';
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const prettier = require('prettier');
const { policyJsonSchema } = require('../dist/index.js');

const file = join(__dirname, '..', 'schema', 'keyplane-policy.schema.json');
prettier
  .resolveConfig(file)
  .then((options) =>
    prettier.format(JSON.stringify(policyJsonSchema()), { ...options, filepath: file }),
  )
  .then((text) => {
    writeFileSync(file, text);
    process.stdout.write(`wrote ${file}\n`);
  });
