// Serve-mode file transfer: uploads land in <data dir>/uploads and can be imported; downloads are
// limited to the lab's exports/reports folders (real paths, so links cannot escape).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startServer, type RunningServer } from '../../../src/main/serve/server';
import { reportPolicy } from '../../../src/main/lab/reports/html/page';
import type { Lab } from '../../../src/main/lab/lab';
import { openTempLab, tempDir } from '../../helpers/tempLab';

let lab: Lab;
let dataDir: string;
let cleanup: () => void;
let server: RunningServer;
let base: string;
const outside = tempDir('pst-lab-outside-');

beforeAll(async () => {
  ({ lab, dataDir, cleanup } = openTempLab());
  const rendererDir = tempDir('pst-lab-renderer-');
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html>');
  server = await startServer({ lab, port: 0, rendererDir });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
  cleanup();
  fs.rmSync(outside, { recursive: true, force: true });
});

const auth = (): Record<string, string> => ({ Authorization: `Bearer ${server.token}` });

describe('serve uploads and downloads', () => {
  it('stores an upload under the data directory with a safe name, and it imports', async () => {
    const body = [
      '{"question":"2 + 2?","answer":"4","rationale":"2 + 2 = 4."}',
      '{"question":"3 + 3?","answer":"6"}',
    ].join('\n');
    const res = await fetch(`${base}/api/upload?name=${encodeURIComponent('../../evil name.jsonl')}`, {
      method: 'POST',
      headers: auth(),
      body,
    });
    const json = (await res.json()) as { ok: boolean; value: { path: string; bytes: number } };
    expect(json.ok).toBe(true);
    expect(json.value.path.startsWith(path.join(dataDir, 'uploads') + path.sep)).toBe(true);
    expect(path.basename(json.value.path)).toBe('evil name.jsonl');
    expect(json.value.bytes).toBe(Buffer.byteLength(body));
    const imported = await lab.dispatch('datasets.import', { paths: [json.value.path], name: 'uploaded' });
    expect(imported).toMatchObject({ ok: true, value: { examples: 2 } });
  });

  it('deletes an upload as soon as the import that used it has answered, whether it succeeded or failed', async () => {
    const upload = async (name: string, body: string): Promise<string> => {
      const res = await fetch(`${base}/api/upload?name=${name}`, { method: 'POST', headers: auth(), body });
      return ((await res.json()) as { value: { path: string } }).value.path;
    };
    const invoke = async (channel: string, input: unknown): Promise<{ ok: boolean }> => {
      const res = await fetch(`${base}/api/invoke`, {
        method: 'POST',
        headers: { ...auth(), 'Content-Type': 'application/json' },
        body: JSON.stringify({ channel, input }),
      });
      return (await res.json()) as { ok: boolean };
    };
    const good = '{"question":"5 + 5?","answer":"10"}\n{"question":"1 + 1?","answer":"2"}\n';
    // Detecting a file's format does not spend it; the import after it does.
    const a = await upload('a.jsonl', good);
    expect(await invoke('datasets.detect', { paths: [a] })).toMatchObject({ ok: true });
    expect(fs.existsSync(a)).toBe(true);
    expect(await invoke('datasets.import', { paths: [a], name: 'spent' })).toMatchObject({ ok: true });
    expect(fs.existsSync(path.dirname(a))).toBe(false);
    // A failed import leaves nothing behind either.
    const bad = await upload('bad.jsonl', '{"question": "no answer"}\n{not json\n');
    expect(await invoke('datasets.import', { paths: [bad], name: 'bad' })).toMatchObject({ ok: false });
    expect(fs.existsSync(path.dirname(bad))).toBe(false);
    // The same over the WebSocket (the browser UI's transport).
    const c = await upload('c.jsonl', good);
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const answer = new Promise<{ result: { ok: boolean } }>((resolve) =>
      ws.on('message', (d) => {
        const m = JSON.parse(d.toString()) as { type: string; id?: number; result: { ok: boolean } };
        if (m.type === 'result' && m.id === 7) resolve(m);
      }),
    );
    ws.send(JSON.stringify({ type: 'invoke', id: 7, channel: 'datasets.import', input: { paths: [c], name: 'over ws' } }));
    expect((await answer).result.ok).toBe(true);
    ws.close();
    expect(fs.existsSync(path.dirname(c))).toBe(false);
    // Files the lab did not receive as uploads are never touched.
    const own = path.join(outside, 'own.jsonl');
    fs.writeFileSync(own, good);
    expect(await invoke('datasets.import', { paths: [own], name: 'own' })).toBeDefined();
    expect(fs.existsSync(own)).toBe(true);
  });

  it('refuses uploads and downloads without the token', async () => {
    expect((await fetch(`${base}/api/upload?name=x`, { method: 'POST', body: 'x' })).status).toBe(401);
    expect((await fetch(`${base}/api/download?path=/etc/passwd`)).status).toBe(401);
  });

  it('downloads an export, but nothing outside exports/ and reports/, even through a link', async () => {
    const gen = await lab.dispatch('datasets.generate', { task: 'coin_flip', n: 10, seed: 1 });
    expect(gen.ok).toBe(true);
    const exp = await lab.dispatch('datasets.export', {
      dataset: (gen as { value: { datasetId: number } }).value.datasetId,
    });
    const file = (exp as { value: { files: string[] } }).value.files[0]!;
    const ok = await fetch(`${base}/api/download?path=${encodeURIComponent(file)}`, { headers: auth() });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-disposition')).toMatch(/attachment/);
    expect((await ok.text()).trim().split('\n')).toHaveLength(10);

    fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(dataDir, 'exports', 'link.txt'));
    for (const p of [
      path.join(dataDir, 'exports', 'link.txt'),
      path.join(dataDir, 'pst-lab.sqlite'),
      path.join(dataDir, 'exports', '..', 'pst-lab.sqlite'),
      '/etc/passwd',
    ]) {
      const res = await fetch(`${base}/api/download?path=${encodeURIComponent(p)}`, { headers: auth() });
      expect(res.status, p).toBe(403);
    }
  });

  it('opens an HTML report in a tab, sandboxed under its own script hashes; nothing else', async () => {
    const reports = path.join(dataDir, 'reports');
    fs.mkdirSync(reports, { recursive: true });
    const report = path.join(reports, 'r.html');
    fs.writeFileSync(report, '<!doctype html><title>report</title>');
    const view = (p: string, headers: Record<string, string> = auth()): Promise<Response> =>
      fetch(`${base}/api/download/view?path=${encodeURIComponent(p)}`, { headers });
    expect((await view(report, {})).status).toBe(401);
    const ok = await view(report);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(ok.headers.get('content-disposition')).toBeNull();
    const csp = ok.headers.get('content-security-policy')!;
    // Exactly the report's own policy (chart.js and the drawing script by hash), sandboxed: an
    // opaque origin that cannot reach the lab's API, cookies or storage.
    expect(csp.startsWith(`${reportPolicy()}; `)).toBe(true);
    expect(csp).toContain('sandbox allow-scripts;');
    expect(csp).not.toMatch(/allow-same-origin|script-src[^;]*('self'|unsafe-inline)/);
    expect(csp).toContain("default-src 'none'");
    expect(await ok.text()).toContain('<title>report</title>');

    // Only .html files in reports/: not an export, not a non-HTML report, not a link out of the folder.
    fs.writeFileSync(path.join(reports, 'r.csv'), 'a,b');
    fs.mkdirSync(path.join(dataDir, 'exports'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'exports', 'x.html'), '<p>x</p>');
    fs.writeFileSync(path.join(outside, 'evil.html'), '<p>evil</p>');
    fs.symlinkSync(path.join(outside, 'evil.html'), path.join(reports, 'link.html'));
    for (const p of [
      path.join(reports, 'r.csv'),
      path.join(dataDir, 'exports', 'x.html'),
      path.join(reports, 'link.html'),
      path.join(reports, 'none.html'),
    ]) {
      expect((await view(p)).status, p).toBe(403);
    }
  });
});
