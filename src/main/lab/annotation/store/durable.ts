// Durable writes for labels. The lab runs SQLite in WAL mode with synchronous=NORMAL: a commit is
// written to the WAL file (so it survives the process being killed: the bytes are in the OS) but
// not fsynced, so a power cut or OS crash can lose the last commits. An acknowledged label must
// never be lost, so label writes switch the connection to synchronous=FULL for their
// transaction: SQLite then fsyncs the WAL at commit, before the call returns. One fsync per save
// costs a few milliseconds, nothing at human labelling speed; bulk writes (import, checkers) are
// one transaction and pay it once. The pragma is per connection and better-sqlite3 is
// synchronous, so no other statement can run while it is raised; it is restored afterwards so
// training-metric writes keep the cheaper default.
import type { Db } from '../../db/database';

export function durableTransaction<T>(db: Db, fn: () => T): T {
  const previous = db.pragma('synchronous', { simple: true }) as number;
  db.pragma('synchronous = FULL');
  try {
    return db.transaction(fn).immediate();
  } finally {
    db.pragma(`synchronous = ${previous}`);
  }
}
