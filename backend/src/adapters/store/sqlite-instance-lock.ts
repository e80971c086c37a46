/**
 * One backend per embedded store. A second `npm start` on the same DATA_DIR (another terminal, a
 * service manager's restart racing the old process) would run a second job runner on the same SQLite
 * file: SQLite keeps the writes atomic, but not the per-conversation order the runner keeps in memory.
 *
 * The lock is an exclusive SQLite lock on a file of its own, held by a connection for the life of the
 * process: the operating system releases it when the process ends, however it ends (kill -9 included),
 * so there is no stale PID file to clean up. The CLI (`npm run jobs`) does not take it: it may inspect
 * and replay jobs while the backend runs.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";

const INSTANCE_LOCK_FILE = "instance.lock";

export class InstanceAlreadyRunningError extends Error {
  readonly code = "EINSTANCELOCKED";
  constructor(readonly dataDir: string) {
    super(`another backend is already running on the embedded store in ${dataDir} (DATA_DIR); stop it, or set DATA_DIR to another directory`);
    this.name = "InstanceAlreadyRunningError";
  }
}

export class SqliteInstanceLock {
  private constructor(private readonly db: Database.Database) {}

  /** Takes the lock at once, or throws InstanceAlreadyRunningError. */
  static acquire(dataDir: string): SqliteInstanceLock {
    mkdirSync(dataDir, { recursive: true });
    const db = new Database(join(dataDir, INSTANCE_LOCK_FILE));
    try {
      // In exclusive locking mode the connection keeps the lock its first write transaction takes.
      db.pragma("locking_mode = EXCLUSIVE");
      db.exec("BEGIN EXCLUSIVE; COMMIT;");
      return new SqliteInstanceLock(db);
    } catch (error) {
      db.close();
      if ((error as { code?: unknown }).code === "SQLITE_BUSY") throw new InstanceAlreadyRunningError(dataDir);
      throw error;
    }
  }

  release(): void {
    if (this.db.open) this.db.close();
  }
}
