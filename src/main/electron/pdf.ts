// PDF reports in the desktop app: the self-contained HTML report is printed by a hidden,
// sandboxed window with every network request cancelled (Electron's printToPDF), so the app needs
// no separate Chromium. Mirrors the CLI's headless-Chromium renderer (src/main/lab/reports/pdf.ts):
// A4 print width, wait for the charts, then the page's print layout.
import { BrowserWindow, session } from 'electron';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PdfRenderer } from '../lab/reports/types';

const PRINT_WIDTH_PX = 688;
const TIMEOUT_MS = 60_000;

export const electronPdfRenderer: PdfRenderer = async (html) => {
  const partition = 'pst-lab-report-print';
  const ses = session.fromPartition(partition);
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !details.url.startsWith('file:') }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pst-lab-print-'));
  const file = path.join(dir, 'report.html');
  fs.writeFileSync(file, html);
  const win = new BrowserWindow({
    show: false,
    width: PRINT_WIDTH_PX,
    height: 1000,
    webPreferences: { partition, sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true },
  });
  try {
    await win.loadFile(file);
    const started = Date.now();
    while (!(await win.webContents.executeJavaScript("document.documentElement.hasAttribute('data-charts-ready')"))) {
      if (Date.now() - started > TIMEOUT_MS) throw new Error('the report did not finish drawing its charts');
      await new Promise((r) => setTimeout(r, 100));
    }
    await win.webContents.executeJavaScript("window.dispatchEvent(new Event('beforeprint'))");
    const pdf = await win.webContents.printToPDF({ pageSize: 'A4', printBackground: true, preferCSSPageSize: true });
    return new Uint8Array(pdf);
  } finally {
    win.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
};
