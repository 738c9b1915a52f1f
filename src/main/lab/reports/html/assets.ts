// chart.js is inlined into every HTML report (no network when the file is opened). It is read from
// the installed package at run time, so the report always carries the version the app ships.
import fs from 'node:fs';
import path from 'node:path';
import { findPackageRoot } from '../../paths';

let cached: { source: string; version: string } | null = null;

export function chartJsSource(root: string = findPackageRoot()): { source: string; version: string } {
  if (cached) return cached;
  const dir = path.join(root, 'node_modules', 'chart.js');
  const file = path.join(dir, 'dist', 'chart.umd.js');
  if (!fs.existsSync(file)) throw new Error(`HTML report: chart.js is missing (${file}); run npm install`);
  const source = fs.readFileSync(file, 'utf8');
  // An inline <script> ends at the first "</script"; the file must not contain one.
  if (/<\/script/i.test(source)) throw new Error(`HTML report: ${file} contains "</script" and cannot be inlined`);
  const version = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  cached = { source, version };
  return cached;
}
