import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../helpers/cli';
import { expectDoctorReport } from '../../helpers/doctor';
import { tempDir } from '../../helpers/tempLab';

const dataDir = tempDir();
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const cli = (...argv: string[]) => runCliCaptured(argv);

describe('pst-lab CLI', () => {
  it('doctor --json prints the environment report', async () => {
    const { code, stdout, stderr } = await cli('doctor', '--json', '--data-dir', dataDir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = expectDoctorReport(stdout, dataDir);
    for (const b of report.backends) if (!b.available) expect(b.reason).toMatch(/\w/);
    expect(report.backends.find((b) => b.name === 'cpu')?.available).toBe(true);
  });

  it('honours PST_LAB_DATA_DIR when --data-dir is absent', async () => {
    const prev = process.env.PST_LAB_DATA_DIR;
    process.env.PST_LAB_DATA_DIR = dataDir;
    try {
      const { stdout } = await cli('doctor', '--json');
      expect(JSON.parse(stdout).dataDir).toBe(dataDir);
    } finally {
      if (prev === undefined) delete process.env.PST_LAB_DATA_DIR;
      else process.env.PST_LAB_DATA_DIR = prev;
    }
  });

  it('exits 2 with a usage line on a wrong flag, an unknown command or a stray argument', async () => {
    for (const argv of [['doctor', '--bogus'], ['frobnicate'], ['doctor', 'extra'], ['serve', '--port', 'abc']]) {
      const { code, stderr, stdout } = await cli(...argv, '--data-dir', dataDir);
      expect(code, argv.join(' ')).toBe(2);
      expect(stderr).toMatch(/^pst-lab: .+\nusage: pst-lab/);
      expect(stdout).toBe('');
    }
  });

  it('exits 1 with one error line on a runtime error', async () => {
    const notADir = tempDir();
    fs.writeFileSync(`${notADir}/file`, 'x');
    const { code, stderr } = await cli('doctor', '--data-dir', `${notADir}/file`);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^pst-lab: error/);
  });

  it('lists its commands with --help', async () => {
    const { code, stdout } = await cli('--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/doctor/);
    expect(stdout).toMatch(/serve/);
  });
});
