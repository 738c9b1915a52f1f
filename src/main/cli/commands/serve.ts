import { Lab } from '../../lab/lab';
import { startServer } from '../../serve/server';
import { defineCommand, untilSignal } from '../command';
import { numberOption } from '../parse';
import { printJson } from '../output';

// File channels stay inside the data folder and the --allow-folder folders (src/main/lab/fileAccess.ts).
const usage = 'pst-lab serve [--port N] [--host 127.0.0.1] [--allow-remote] [--allow-folder DIR]... [--data-dir DIR] [--json]';

export const serveCommand = defineCommand({
  usage,
  summary: 'Serve the full app to a browser on loopback, protected by a fresh random token.',
  async run({ values, dataDir, json, io }) {
    const port = numberOption(values, 'port', usage, { integer: true, min: 0, max: 65535 }) ?? 0;
    const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
    const allowed = values['allow-folder'];
    const lab = Lab.open({ dataDir, runtime: 'serve', allowedFolders: Array.isArray(allowed) ? allowed.filter((f) => typeof f === 'string') : [] });
    const server = await startServer({ lab, host, port, allowRemote: values['allow-remote'] === true, warn: (m) => io.stderr(`warning: ${m}\n`) });
    if (json) printJson(io, { url: server.url, host: server.host, port: server.port, dataDir });
    else io.stdout(`PST Lab is serving ${dataDir}\nOpen ${server.url}\nPress Ctrl+C to stop.\n`);
    await untilSignal(() => server.close().then(() => lab.close()));
  },
});
