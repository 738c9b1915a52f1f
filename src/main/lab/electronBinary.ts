// Whether the Electron binary is installed, found without starting it: the electron package
// records the binary's relative path in path.txt once its postinstall download succeeded.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { findPackageRoot } from './paths';

export interface ElectronBinaryStatus {
  version: string | null;
  binaryPresent: boolean;
  binaryPath: string | null;
  note: string;
}

export function electronBinaryStatus(): ElectronBinaryStatus {
  let pkgDir: string;
  let version: string | null = null;
  try {
    // Resolve from the package root so this works from src/ (tests) and out/ (bundle) alike.
    const pkgJson = createRequire(path.join(findPackageRoot(), 'package.json')).resolve('electron/package.json');
    pkgDir = path.dirname(pkgJson);
    version = (JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  } catch {
    return { version: null, binaryPresent: false, binaryPath: null, note: 'the electron package is not installed' };
  }
  const pathTxt = path.join(pkgDir, 'path.txt');
  if (!fs.existsSync(pathTxt)) {
    return {
      version,
      binaryPresent: false,
      binaryPath: null,
      note:
        'the Electron binary was not downloaded (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1 or without network); ' +
        'use `pst-lab serve` to run the app in a browser',
    };
  }
  const binaryPath = path.join(pkgDir, 'dist', fs.readFileSync(pathTxt, 'utf8').trim());
  const present = fs.existsSync(binaryPath);
  return {
    version,
    binaryPresent: present,
    binaryPath: present ? binaryPath : null,
    note: present ? 'Electron binary installed' : `path.txt names ${binaryPath}, which is missing`,
  };
}
