import { Lab } from '../../lab/lab';
import { startServer } from '../../serve/server';
import type { Command } from '../command';
import { numberOption } from '../parse';
import { printJson } from '../output';

const usage = 'pst-lab serve [--port N] [--host 127.0.0.1] [--allow-remote] [--allow-folder DIR]... [--data-dir DIR] [--json]';

export const serveCommand: Command = {
  path: ['serve'],
  usage,
  summary: 'Serve the full app to a browser on loopback, protected by a fresh random token.',
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'allow-remote': { type: 'boolean' },
    // File channels stay inside the data folder and these folders (src/main/lab/fileAccess.ts).
    'allow-folder': { type: 'string', multiple: true },
  },
  positionals: [0, 0],
  async run({ values, dataDir, json, io }) {
    const port = numberOption(values, 'port', usage, { integer: true, min: 0, max: 65535 }) ?? 0;
    const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
    const allowed = values['allow-folder'];
    const lab = Lab.open({ dataDir, runtime: 'serve', allowedFolders: Array.isArray(allowed) ? allowed.filter((f) => typeof f === 'string') : [] });
    const server = await startServer({ lab, host, port, allowRemote: values['allow-remote'] === true, warn: (m) => io.stderr(`warning: ${m}\n`) });
    if (json) printJson(io, { url: server.url, host: server.host, port: server.port, dataDir });
    else io.stdout(`PST Lab is serving ${dataDir}\nOpen ${server.url}\nPress Ctrl+C to stop.\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void server.close().then(() => {
          lab.close();
          resolve();
        });
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  },
};
