// The desktop app's app:// protocol and `pst-lab serve` share one lookup of renderer files: it
// never leaves the built folder (escapes, NUL bytes, symbolic links), and only app://pst-lab pages
// count as the app's own page for navigation and IPC checks.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isOwnPage } from '../../../src/main/electron/ownPage';
import { lookupStatic } from '../../../src/main/serve/static';
import { tempDir } from '../../helpers/tempLab';

const root = tempDir('pst-lab-app-protocol-');
const renderer = path.join(root, 'renderer');
fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html>');
fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), '');
fs.writeFileSync(path.join(root, 'secret.txt'), 'secret');
fs.symlinkSync(path.join(root, 'secret.txt'), path.join(renderer, 'assets', 'link.js'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('renderer file lookup (app:// and serve)', () => {
  it('serves index.html for / and files of the folder with their type', () => {
    expect(lookupStatic(renderer, '/')).toEqual({
      file: fs.realpathSync(path.join(renderer, 'index.html')),
      type: 'text/html; charset=utf-8',
    });
    expect(lookupStatic(renderer, '/assets/app.js')).toMatchObject({ type: 'text/javascript; charset=utf-8' });
  });

  it('refuses escapes, NUL bytes, bad escapes and links that lead out', () => {
    expect(lookupStatic(renderer, '/../secret.txt')).toEqual({ status: 403 });
    expect(lookupStatic(renderer, '/%2e%2e/secret.txt')).toEqual({ status: 403 });
    expect(lookupStatic(renderer, '/a%00b')).toEqual({ status: 400 });
    expect(lookupStatic(renderer, '/%E0%A4%A')).toEqual({ status: 400 });
    expect(lookupStatic(renderer, '/assets/link.js')).toEqual({ status: 404 });
    expect(lookupStatic(renderer, '/missing.js')).toEqual({ status: 404 });
  });

  it('treats only app://pst-lab pages as the app itself', () => {
    const own = 'app://pst-lab/index.html';
    expect(isOwnPage('app://pst-lab/index.html#/datasets', own)).toBe(true);
    expect(isOwnPage('app://evil/index.html', own)).toBe(false);
    expect(isOwnPage('file:///tmp/index.html', own)).toBe(false);
    expect(isOwnPage('https://pst-lab/index.html', own)).toBe(false);
  });
});
