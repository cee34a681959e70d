#!/usr/bin/env node
// Entry of `npx genesys-otel-enricher <command>`: runs the compiled CLI (build with `npm run build`).
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const main = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!fs.existsSync(main)) {
  process.stderr.write('genesys-otel-enricher is not built yet: run `npm run build` in ' + path.join(__dirname, '..') + '\n');
  process.exit(2);
}
require(main);
