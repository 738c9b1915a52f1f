#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into native/electron-<version>/better_sqlite3.node,
// leaving node_modules' copy (built for Node, used by the CLI and the tests) untouched. The
// Electron main process opens SQLite with better-sqlite3's `nativeBinding` option pointing here.
// Runs before `npm start`/`npm run dev`; does nothing when the binary for this Electron exists.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fail = (msg) => {
  process.stderr.write(`electron-native: ${msg}\n`);
  process.exit(1);
};

const electronPkg = path.join(root, 'node_modules', 'electron', 'package.json');
if (!fs.existsSync(electronPkg)) fail('the electron package is not installed; run `npm ci` first');
const electronVersion = JSON.parse(fs.readFileSync(electronPkg, 'utf8')).version;
if (!fs.existsSync(path.join(root, 'node_modules', 'electron', 'path.txt'))) {
  fail(
    `the Electron ${electronVersion} binary is not installed (was npm run with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or offline?). ` +
      'Reinstall with network access (`npm ci`), or run the app in a browser with `npx pst-lab serve`.',
  );
}

const target = path.join(root, 'native', `electron-${electronVersion}`, 'better_sqlite3.node');
if (fs.existsSync(target)) process.exit(0);

// Work on a copy so node_modules/better-sqlite3/build (Node's binary) is never overwritten.
const src = path.join(root, 'node_modules', 'better-sqlite3');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pst-lab-electron-native-'));
fs.cpSync(src, work, { recursive: true, filter: (p) => !p.startsWith(path.join(src, 'build')) });
const run = (cmd, args) => execFileSync(cmd, args, { cwd: work, stdio: 'inherit', env: { ...process.env } });
const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
try {
  process.stdout.write(`electron-native: fetching a prebuilt better-sqlite3 for Electron ${electronVersion}...\n`);
  run(process.execPath, [path.join(root, 'node_modules', 'prebuild-install', 'bin.js'), '--runtime', 'electron', '--target', electronVersion]);
} catch {
  process.stdout.write('electron-native: no prebuilt binary; compiling against Electron headers with node-gyp...\n');
  try {
    run(process.execPath, [
      path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      '--dist-url=https://electronjs.org/headers',
    ]);
  } catch (err) {
    fs.rmSync(work, { recursive: true, force: true });
    fail(`could not build better-sqlite3 for Electron ${electronVersion}: ${err.message}`);
  }
}
if (!fs.existsSync(built)) fail(`the build produced no ${built}`);
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.copyFileSync(built, target);
fs.rmSync(work, { recursive: true, force: true });
process.stdout.write(`electron-native: wrote ${path.relative(root, target)}\n`);
