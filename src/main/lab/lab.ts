// A running lab: the data directory, the one database connection, the event hub and the
// dispatcher over every contract channel. The Electron main process, the CLI, serve mode and the
// tests all open a Lab the same way; only the transport around `dispatch` differs.
import fs from 'node:fs';
import type { Runtime } from '../../shared/types/app';
import { openDatabase, readUserVersion, type Db } from './db/database';
import { createDispatch, type Dispatch } from './dispatch';
import { EventHub } from './events';
import { fileAccess, type FileAccess } from './fileAccess';
import { buildHandlers } from './handlers';
import { dbPathFor } from './paths';
import { nodeWorkerLauncher, type WorkerLauncher } from './runs/launcher';
import { RunManager } from './runs/manager';
import type { PdfRenderer } from './reports/types';

export interface LabOptions {
  dataDir: string;
  runtime: Runtime;
  /** better-sqlite3 binary for this runtime (the Electron app passes its own build). */
  nativeBinding?: string;
  /** How run processes start (Electron passes utilityProcess; default: Node child processes). */
  launcher?: WorkerLauncher;
  /** How HTML reports become PDF (Electron passes printToPDF; default: headless Chromium). */
  pdfRenderer?: PdfRenderer;
  /** Shows a file in the OS file manager (the desktop app only). */
  revealFile?: (file: string) => void;
  /** Serve mode: folders besides the data folder that file channels may read and write. */
  allowedFolders?: readonly string[];
}

/** What handlers get: everything about the lab except the transports. */
export interface LabContext {
  readonly dataDir: string;
  readonly dbPath: string;
  readonly runtime: Runtime;
  readonly db: Db;
  readonly events: EventHub;
  readonly runs: RunManager;
  readonly pdfRenderer: PdfRenderer | null;
  readonly revealFile: ((file: string) => void) | null;
  /** Where file channels may read and write (confined in serve mode). */
  readonly files: FileAccess;
  schemaVersion(): number;
}

export class Lab {
  readonly dispatch: Dispatch;
  readonly events = new EventHub();
  readonly context: LabContext;
  private closed = false;

  private constructor(opts: LabOptions, db: Db) {
    const dbPath = dbPathFor(opts.dataDir);
    this.context = {
      dataDir: opts.dataDir,
      dbPath,
      runtime: opts.runtime,
      db,
      events: this.events,
      runs: new RunManager(db, this.events, opts.dataDir, opts.launcher ?? nodeWorkerLauncher()),
      pdfRenderer: opts.pdfRenderer ?? null,
      revealFile: opts.revealFile ?? null,
      files: fileAccess(opts.runtime === 'serve', [opts.dataDir, ...(opts.allowedFolders ?? [])]),
      schemaVersion: () => readUserVersion(db),
    };
    this.dispatch = createDispatch(buildHandlers(this.context));
  }

  static open(opts: LabOptions): Lab {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    const db = openDatabase(dbPathFor(opts.dataDir), opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
    return new Lab(opts, db);
  }

  get db(): Db {
    return this.context.db;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.context.runs.close();
    this.context.db.close();
  }
}
