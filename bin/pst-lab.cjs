#!/usr/bin/env node
// Starts the built CLI. `npm install` builds it (the "prepare" script); `npm run build` rebuilds.
const fs = require('node:fs');
const path = require('node:path');

const entry = path.join(__dirname, '..', 'out', 'main', 'cli.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('pst-lab: error: the app is not built yet; run `npm run build` in ' + path.dirname(__dirname) + '\n');
  process.exit(1);
}
require(entry);
