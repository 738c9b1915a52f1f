import type { appChannels } from '../../../shared/contract/app';
import type { Handlers } from '../dispatch';
import { getBackendStatuses } from '../backendStatus';
import { buildDoctorReport, chooseActiveBackend } from '../doctor';
import type { LabContext } from '../lab';
import { appVersion } from '../paths';
import { readSettings, writeSettings } from '../settingsStore';

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
    'settings.get': () => readSettings(ctx.db),
    'settings.update': (patch) => {
      const settings = writeSettings(ctx.db, patch as Parameters<typeof writeSettings>[1]);
      ctx.events.emit('settings.changed', settings);
      return settings;
    },
  };
}
