// scripts/set-fuses.ts on a stand-in binary carrying Electron's fuse wire (sentinel, version,
// length, one byte per fuse, all enabled as in a stock build): the packaged app's fuses end up
// with RunAsNode, NODE_OPTIONS, inspect arguments and file:// privileges off, ASAR integrity on.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyFuses } from '../../../scripts/set-fuses';
import { tempDir } from '../../helpers/tempLab';

const dir = tempDir('pst-lab-fuses-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function fakeElectron(): string {
  const file = path.join(dir, `electron-${Math.random().toString(36).slice(2)}`);
  const wire = Buffer.concat([
    Buffer.from('\x7fELF...binary code...'),
    Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
    Buffer.from([1, 8]),
    Buffer.from('11111111'),
    Buffer.from('...more code'),
  ]);
  fs.writeFileSync(file, wire);
  return file;
}

describe('Electron fuses at package time', () => {
  it('turns off running as Node, NODE_OPTIONS, inspect arguments and file:// privileges', async () => {
    const wire = await applyFuses(fakeElectron(), { asar: false });
    expect(wire).toMatchObject({
      RunAsNode: '0',
      EnableCookieEncryption: '1',
      EnableNodeOptionsEnvironmentVariable: '0',
      EnableNodeCliInspectArguments: '0',
      GrantFileProtocolExtraPrivileges: '0',
      // Untouched without --asar: an unpacked app would not start with them.
      EnableEmbeddedAsarIntegrityValidation: '1',
      OnlyLoadAppFromAsar: '1',
    });
  });

  it('with --asar also requires ASAR integrity and loading only from the archive', async () => {
    const file = fakeElectron();
    fs.writeFileSync(file, fs.readFileSync(file).toString('latin1').replace('11111111', '11110011'), 'latin1');
    const wire = await applyFuses(file, { asar: true });
    expect(wire).toMatchObject({
      RunAsNode: '0',
      EnableEmbeddedAsarIntegrityValidation: '1',
      OnlyLoadAppFromAsar: '1',
    });
  });
});
