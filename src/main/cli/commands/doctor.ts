import type { Command } from '../command';
import { call, withLab } from '../call';
import { printFields, printJson } from '../output';

export const doctorCommand: Command = {
  path: ['doctor'],
  usage: 'pst-lab doctor [--json] [--data-dir DIR]',
  summary: 'Report Node/Electron versions, tfjs backends (and why others do not load), and the database.',
  options: {},
  positionals: [0, 0],
  async run({ dataDir, json, io }) {
    const report = await withLab(dataDir, (lab) => call(lab, 'doctor.report', {}));
    if (json) return printJson(io, report);
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
    }
  },
};
