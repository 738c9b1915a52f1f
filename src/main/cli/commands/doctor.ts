import { call, labCommand } from '../call';
import { printFields } from '../output';

export const doctorCommand = labCommand({
  usage: 'pst-lab doctor [--json] [--data-dir DIR]',
  summary: 'Report Node/Electron versions, tfjs backends (and why others do not load), and the database.',
  ask: () => (lab) => call(lab, 'doctor.report', {}),
  print(report, { io }) {
    printFields(io, [
      ['PST Lab', report.appVersion],
      ['Node', report.node],
      ['Electron', report.electron.version],
      ['Electron binary', report.electron.binaryPresent ? report.electron.binaryPath ?? 'present' : `absent: ${report.electron.note}`],
      ['Platform', `${report.platform} ${report.arch}, ${report.cpus} cores, ${report.memoryGiB} GiB`],
      ['Data directory', report.dataDir],
      ['Database', `${report.database.path} (schema ${report.database.schemaVersion}/${report.database.latestSchemaVersion}, SQLite ${report.database.sqlite}, ${report.database.journalMode})`],
      ['Active backend', report.activeBackend ? `${report.activeBackend} (${report.activeBackendReason})` : `none: ${report.activeBackendReason}`],
    ]);
    io.stdout('\ntfjs backends (load order):\n');
    for (const b of report.backends) {
      io.stdout(`  ${b.available ? 'ok  ' : 'no  '} ${b.name.padEnd(15)} ${b.package}${b.version ? '@' + b.version : ''}${b.reason ? ' - ' + b.reason : ''}\n`);
      const what = describeDetails(b.details);
      if (what) io.stdout(`       ${''.padEnd(15)} ${what}\n`);
      if (b.autoSkip) io.stdout(`       ${''.padEnd(15)} not chosen automatically: ${b.autoSkip}\n`);
    }
    io.stdout(`\nwasm threads per run: ${report.threads}\n`);
    if (report.cuda.cudaLibs)
      io.stdout(
        `CUDA library folder: ${report.cuda.cudaLibs}${report.cuda.problem ? ` - ${report.cuda.problem}` : ''}\n`,
      );
    else if (report.cuda.missing.length)
      io.stdout(`CUDA 11 / cuDNN 8 libraries not on the library path: ${report.cuda.missing.join(', ')}\n`);
  },
});

/** One line for a backend's details: the WebGPU adapter, or the wasm build and threads. */
function describeDetails(d: Record<string, unknown> | null): string | null {
  if (!d) return null;
  const a = d.adapter as
    { vendor: string; architecture: string; device: string; description: string; software: boolean } | undefined;
  if (a)
    return `adapter: ${[a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(', ')}${a.software ? ' (software adapter)' : ''}`;
  if (typeof d.threads === 'number')
    return `${d.build as string}, ${d.threads} thread(s)${d.note ? ` (${d.note as string})` : ''}`;
  return null;
}
