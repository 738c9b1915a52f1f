// Where things live on disk: the package root (for the built renderer and native binaries), the
// default data directory shared by the app and the CLI, and the database file inside it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'pst-lab';
export const DB_FILE_NAME = 'pst-lab.sqlite';

/** Walks up from `from` to the folder whose package.json is PST Lab's (works from src/ and out/). */
export function findPackageRoot(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'pst-lab') return dir;
      } catch {
        // an unreadable package.json is not ours; keep walking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the pst-lab package root above ${from}`);
    dir = parent;
  }
}

let cachedVersion: string | null = null;
export function appVersion(): string {
  if (cachedVersion === null) {
    const pkg = JSON.parse(fs.readFileSync(path.join(findPackageRoot(), 'package.json'), 'utf8')) as { version: string };
    cachedVersion = pkg.version;
  }
  return cachedVersion;
}

/**
 * The per-user folder Electron calls userData for an app named "pst-lab", computed without
 * Electron so that the CLI and serve mode see the same lab as the desktop app by default.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_DIR_NAME);
}

/** `--data-dir` wins, then PST_LAB_DATA_DIR, then the default. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return path.resolve(flag);
  if (env.PST_LAB_DATA_DIR) return path.resolve(env.PST_LAB_DATA_DIR);
  return defaultDataDir(env);
}

export function dbPathFor(dataDir: string): string {
  return path.join(dataDir, DB_FILE_NAME);
}

/**
 * better-sqlite3 is compiled for one ABI. Node uses the copy npm built in node_modules; Electron
 * uses its own copy under native/electron-<version>/ made by scripts/electron-native.mjs, so both
 * runtimes work from one install without rebuilding back and forth.
 */
export function electronNativeBindingPath(electronVersion: string, root: string = findPackageRoot()): string {
  return path.join(root, 'native', `electron-${electronVersion}`, 'better_sqlite3.node');
}
