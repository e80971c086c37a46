/**
 * The little the store needs from a SQL engine. Statements are written once with `?` placeholders;
 * the PostgreSQL driver numbers them. Values are plain JS: numbers, strings, null, Uint8Array.
 */
import type { JobWakeups } from "../../domain/ports/jobs.js";

export type SqlValue = string | number | null | Uint8Array | boolean | readonly string[] | readonly number[] | readonly (string | null)[];

export interface SqlExecutor {
  readonly dialect: "sqlite" | "postgres";
  /**
   * Which transaction this executor works in: the same object for the members of a shared one
   * (PostgreSQL group commit), which see each other's writes and hold each other's locks.
   */
  readonly transactionKey: object;
  all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  /**
   * Inside a transaction: `sql` is one of its last statements. It runs once the transaction's work has
   * succeeded, never if that work fails, and `onRows` gets its rows before the transaction settles.
   * PostgreSQL sends these statements and COMMIT in one write, so the transaction ends in a single
   * round trip. The embedded engine (whose commits are grouped anyway) and an executor outside a
   * transaction run it at once.
   */
  atCommit<Row>(sql: string, params: readonly SqlValue[], onRows?: (rows: Row[]) => void): Promise<void>;
  /**
   * Inside a transaction: `effect` runs once the transaction has committed, never when it rolls back.
   * State outside the database that describes the transaction's writes changes here, not before: a
   * driver may run a transaction's work a second time (PostgreSQL group commit, see
   * postgres-group-commit.ts), and only the run that committed may leave a trace. Outside a
   * transaction it runs at once.
   */
  afterCommit(effect: () => void): void;
}

export interface SqlDriver extends SqlExecutor {
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Where a driver shares transactions between callers (PostgreSQL): single statements that never join one. */
  readonly outsideGroups?: SqlExecutor;
  /** Where several processes share the database (PostgreSQL): how they wake each other's job runners. */
  readonly jobWakeups?: JobWakeups;
  close(): Promise<void>;
}

/**
 * `column` is one of the values of a single array parameter: one statement text whatever the number
 * of values (the PostgreSQL driver prepares each text once), no placeholder list to build.
 */
export function isAnyOf(db: SqlExecutor, column: string): string {
  return db.dialect === "postgres" ? `${column} = ANY(?)` : `${column} IN (SELECT value FROM json_each(?))`;
}

/**
 * One transaction's view of an executor it shares with others: its statements run there, its effects
 * wait in its own list until the shared transaction has committed (`committed`), so an effect that
 * throws fails this transaction's caller alone. `transactionKey`: the transaction it belongs to, by
 * default one of its own (SQLite runs each transaction in a savepoint of a shared group), or the one
 * it shares with others (the members of a PostgreSQL group commit).
 */
export class TransactionView implements SqlExecutor {
  readonly dialect: SqlExecutor["dialect"];
  readonly transactionKey: object;
  private readonly effects: Array<() => void> = [];

  constructor(
    private readonly shared: SqlExecutor,
    transactionKey?: object,
  ) {
    this.dialect = shared.dialect;
    this.transactionKey = transactionKey ?? this;
  }

  all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
    return this.shared.all<Row>(sql, params);
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    return this.shared.run(sql, params);
  }

  atCommit<Row>(sql: string, params: readonly SqlValue[], onRows?: (rows: Row[]) => void): Promise<void> {
    return this.shared.atCommit(sql, params, onRows);
  }

  afterCommit(effect: () => void): void {
    this.effects.push(effect);
  }

  /** The transaction has committed: what waited for it happens now. */
  committed(): void {
    for (const effect of this.effects.splice(0)) effect();
  }
}
