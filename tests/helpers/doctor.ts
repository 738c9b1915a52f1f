// What `pst-lab doctor --json` must report in any environment, checked by the in-process CLI test
// and the built CLI's end-to-end test (each adds what its setting adds).
import { expect } from 'vitest';
import type { DoctorReport } from '../../src/shared/types/app';

/** Parses the report and checks its common part; returns it for the caller's own checks. */
export function expectDoctorReport(stdout: string, dataDir: string): DoctorReport {
  const report = JSON.parse(stdout) as DoctorReport;
  expect(report).toMatchObject({
    node: process.versions.node,
    dataDir,
    electron: { binaryPresent: expect.any(Boolean), note: expect.any(String) },
    database: { path: expect.stringContaining(dataDir), schemaVersion: expect.any(Number), journalMode: 'wal' },
  });
  expect(report.backends.map((b) => b.name)).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
  return report;
}
