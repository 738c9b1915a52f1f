// The built CLI as users run it (`node bin/pst-lab.cjs`, what `npx pst-lab` starts).
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runBin, assertBuilt } from '../helpers/e2e/built';
import { expectDoctorReport } from '../helpers/doctor';
import { tempDir } from '../helpers/tempLab';

const dataDir = tempDir('pst-lab-e2e-cli-');
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('built pst-lab CLI', () => {
  it('doctor --json prints one valid JSON report', async () => {
    assertBuilt();
    const { code, stdout, stderr } = await runBin(['doctor', '--json', '--data-dir', dataDir]);
    // Nothing of the lab's own on stderr. Dawn (native code) prints its reason for rejecting a
    // Vulkan adapter straight to the process's stderr (Mesa's lavapipe on a machine without a GPU);
    // the doctor report carries the outcome, so those lines alone are tolerated.
    const dawn = /^(Warning: Vulkan .*| - While initializing adapter .*|\s+at InitializeImpl .*|)$/;
    expect(stderr.split('\n').filter((l) => !dawn.test(l))).toEqual([]);
    expect(code).toBe(0);
    const report = expectDoctorReport(stdout, dataDir);
    expect(report.database.schemaVersion).toBe(report.database.latestSchemaVersion);
  });

  it('a wrong flag exits 2 with a usage line and nothing on stdout', async () => {
    const { code, stdout, stderr } = await runBin(['doctor', '--no-such-flag', '--data-dir', dataDir]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^pst-lab: .*no-such-flag.*\nusage: pst-lab doctor/);
  });

  it('serve refuses a non-loopback host without --allow-remote (exit 1, one line)', async () => {
    const { code, stderr } = await runBin(['serve', '--host', '0.0.0.0', '--data-dir', dataDir]);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/not a loopback address.*--allow-remote/);
  });
});
