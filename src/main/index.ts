// Electron main process: thin. It opens the lab (the same Electron-free core the CLI uses) on the
// user's data directory, builds the one hardened window, and bridges the contract over IPC.
import { app, BrowserWindow, dialog, shell } from 'electron';
import path from 'node:path';
import { Lab } from './lab/lab';
import { electronNativeBindingPath, APP_DIR_NAME } from './lab/paths';
import { APP_ORIGIN, handleAppProtocol, registerAppScheme } from './electron/appProtocol';
import { forwardEvents, registerIpc } from './electron/ipc';
import { installMenu } from './electron/menu';
import { electronPdfRenderer } from './electron/pdf';
import { electronWorkerLauncher } from './electron/runLauncher';
import { hardenSessions, hardenWebContents } from './electron/security';
import { loadWindowState, trackWindowState } from './electron/windowState';

// Same folder name as the CLI's default data directory, so both see one lab.
app.setName(APP_DIR_NAME);
registerAppScheme();

/** The dev server in development, else the built renderer over the app:// protocol. */
function rendererUrl(): string {
  return process.env.ELECTRON_RENDERER_URL ?? `${APP_ORIGIN}/index.html`;
}

function createWindow(lab: Lab): BrowserWindow {
  const dir = app.getPath('userData');
  const state = loadWindowState(dir);
  const win = new BrowserWindow({
    ...state.bounds,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'PST Lab',
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    },
  });
  if (state.maximized) win.maximize();
  trackWindowState(win, dir);
  hardenWebContents(win.webContents, rendererUrl());
  forwardEvents(lab, win);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(rendererUrl());
  return win;
}

async function main(): Promise<void> {
  await app.whenReady();
  let lab: Lab;
  try {
    lab = Lab.open({
      dataDir: process.env.PST_LAB_DATA_DIR ?? app.getPath('userData'),
      runtime: 'electron',
      nativeBinding: electronNativeBindingPath(process.versions.electron!),
      launcher: electronWorkerLauncher(path.join(__dirname, 'runWorker.js')),
      pdfRenderer: electronPdfRenderer,
      revealFile: (file) => shell.showItemInFolder(file),
    });
  } catch (err) {
    dialog.showErrorBox('PST Lab cannot open its database', (err as Error).message);
    app.exit(1);
    return;
  }
  hardenSessions();
  handleAppProtocol(path.join(__dirname, '../renderer'));
  installMenu();
  registerIpc(lab, rendererUrl());
  createWindow(lab);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow(lab);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => lab.close());
}

void main();
