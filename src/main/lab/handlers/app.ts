import fs from 'node:fs';
import path from 'node:path';
import type { appChannels } from '../../../shared/contract/app';
import { LabError } from '../errors';
import type { Handlers } from '../dispatch';
import { getBackendStatuses } from '../backendStatus';
import { resolveCudaLibs } from '../compute/cuda';
import { machineCores } from '../compute/wasm';
import { buildDoctorReport, chooseActiveBackend } from '../doctor';
import type { LabContext } from '../lab';
import { appVersion } from '../paths';
import { readSettings, writeSettings } from '../settingsStore';
import { QueueUrlError, parseQueueUrl } from '../queue/redisUrl';

export function appHandlers(ctx: LabContext): Pick<Handlers, keyof typeof appChannels> {
  return {
    'app.info': async () => {
      const active = chooseActiveBackend(await getBackendStatuses(), readSettings(ctx.db).backend);
      return {
        appVersion: appVersion(),
        runtime: ctx.runtime,
        dataDir: ctx.dataDir,
        dbPath: ctx.dbPath,
        schemaVersion: ctx.schemaVersion(),
        activeBackend: active.name,
        activeBackendReason: active.reason,
      };
    },
    'doctor.report': () => buildDoctorReport(ctx),
    'app.revealFile': ({ path: file }) => {
      if (!ctx.revealFile) {
        throw new LabError('UNSUPPORTED', 'showing files in a file manager works in the desktop app; in the browser use the download link');
      }
      const real = fs.existsSync(file) ? fs.realpathSync(file) : null;
      const root = fs.realpathSync(ctx.dataDir);
      if (!real || !real.startsWith(root + path.sep)) throw new LabError('FORBIDDEN', `${file} is not a file in the lab's data directory`);
      ctx.revealFile(real);
      return { revealed: true };
    },
    'settings.get': () => readSettings(ctx.db),
    'settings.update': (patch) => {
      if (patch.queueUrl === '') patch.queueUrl = null;
      if (typeof patch.queueUrl === 'string') {
        try {
          parseQueueUrl(patch.queueUrl);
        } catch (err) {
          if (err instanceof QueueUrlError)
            throw new LabError('INVALID_INPUT', `queueUrl: ${err.message}`, { field: 'queueUrl' });
          throw err;
        }
      }
      // More wasm threads than cores only slows every run down (docs/methods.md, "Compute backends").
      if (typeof patch.threads === 'number' && patch.threads > machineCores()) {
        throw new LabError('INVALID_INPUT', `threads: at most ${machineCores()} (the cores of this machine), got ${patch.threads}`, {
          field: 'threads',
        });
      }
      if (typeof patch.cudaLibs === 'string') {
        try {
          resolveCudaLibs(patch.cudaLibs);
        } catch (err) {
          throw new LabError('INVALID_INPUT', (err as Error).message.replace(/^--cuda-libs/, 'cudaLibs'), { field: 'cudaLibs' });
        }
      }
      const settings = writeSettings(ctx.db, patch as Parameters<typeof writeSettings>[1]);
      ctx.events.emit('settings.changed', settings);
      return settings;
    },
  };
}
