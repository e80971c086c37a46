/**
 * Embedded store engine: better-sqlite3 in WAL mode with synchronous=FULL, so every commit is on disk
 * before we acknowledge. better-sqlite3 is synchronous; an async transaction could interleave with
 * other callers on the one connection, so every statement and transaction passes through a mutex.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { SqlDriver, SqlExecutor, SqlValue } from "./sql-driver.js";

type Bindable = string | number | bigint | Buffer | null;

function bind(params: readonly SqlValue[]): Bindable[] {
  return params.map((value) => {
    if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    if (typeof value === "boolean") return value ? 1 : 0;
    if (Array.isArray(value)) return JSON.stringify(value);
    return value as Bindable;
  });
}

class Mutex {
  private tail: Promise<void> = Promise.resolve();
  lock<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

class SqliteExecutor implements SqlExecutor {
  readonly dialect = "sqlite" as const;
  constructor(private readonly db: Database.Database, private readonly statements: Map<string, Database.Statement>) {}

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async all<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    const statement = this.prepare(sql);
    if (!statement.reader) {
      statement.run(...bind(params));
      return [];
    }
    return statement.all(...bind(params)) as Row[];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<{ changes: number }> {
    const info = this.prepare(sql).run(...bind(params));
    return { changes: info.changes };
  }
}

export class SqliteDriver implements SqlDriver {
  readonly dialect = "sqlite" as const;
  private readonly db: Database.Database;
  private readonly executor: SqliteExecutor;
  private readonly mutex = new Mutex();

  constructor(file: string) {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("busy_timeout = 5000");
    this.executor = new SqliteExecutor(this.db, new Map());
  }

  all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
    return this.mutex.lock(() => this.executor.all<Row>(sql, params));
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    return this.mutex.lock(() => this.executor.run(sql, params));
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.mutex.lock(async () => {
      this.db.exec("BEGIN IMMEDIATE");
      try {
        const result = await work(this.executor);
        this.db.exec("COMMIT");
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    await this.mutex.lock(async () => this.db.close());
  }
}
