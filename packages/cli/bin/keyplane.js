#!/usr/bin/env node
// Committed launcher (keeps its executable bit in git); the CLI itself is compiled to dist/.
'use strict';
require('../dist/main.js').runProcess();
