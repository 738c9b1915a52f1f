// Foundation channels: information about the running lab, the doctor report, settings.
import { z } from 'zod';
import { channel } from './define';
import type { AppInfo, DoctorReport, Settings } from '../types/app';
import { BACKEND_NAMES, MAX_THREADS } from '../types/app';

const empty = z.object({}).strict();

export const appChannels = {
  'app.info': channel<AppInfo>()(empty, 'Version, runtime, data directory, schema version and active backend.'),
  'doctor.report': channel<DoctorReport>()(
    empty,
    'Environment report: Node/Electron versions, Electron binary, tfjs backends and why others fail, database.',
  ),
  'settings.get': channel<Settings>()(empty, 'The lab settings.'),
  'settings.update': channel<Settings>()(
    z
      .object({
        annotatorName: z.string().trim().max(80).optional(),
        theme: z.enum(['system', 'light', 'dark']).optional(),
        backend: z.enum(['auto', ...BACKEND_NAMES]).optional(),
        // redis://[user:password@]host:port[/db]; null or '' removes it. Stored as given, shown redacted.
        queueUrl: z.string().trim().max(2048).nullable().optional(),
        queueTls: z.boolean().optional(),
        threads: z.number().int().min(1).max(MAX_THREADS).nullable().optional(),
        cudaLibs: z.string().trim().min(1).max(4096).nullable().optional(),
      })
      .strict(),
    'Changes some settings; returns all settings.',
  ),
  'app.revealFile': channel<{ revealed: boolean }>()(
    z.object({ path: z.string().min(1).max(4096) }).strict(),
    "Shows a file the lab wrote (inside its data directory) in the system's file manager (desktop app only).",
  ),
} as const;
