/**
 * Runs statements on a PostgreSQL pool or on one connection, inside a transaction or not: `?`
 * placeholders numbered once per statement text, BIGINT read as a JS number (our values are epoch
 * milliseconds and row ids, far below 2^53).
 */
import pg from "pg";
import type { SqlExecutor, SqlValue } from "./sql-driver.js";

/**
 * Statements run as named prepared statements: PostgreSQL parses each text once per connection and,
 * after a few executions, may keep one generic plan instead of planning every call. Parsing and
 * planning were about a third of its CPU on the reply path (some 40 short statements per customer
 * message). A generic plan is only as good as the statistics it was made with, hence
 * postgres-statistics.ts. Our statement texts are a fixed set; past a bound (a bug that builds texts
 * from data) they run unnamed. A statement prepared before a concurrent migration changed
 * its table fails with "cached plan must not change result type"; that text then runs unnamed.
 */
interface PreparedText {
  text: string;
  name: string | undefined;
}

const MAX_NAMED_STATEMENTS = 2_000;
const CACHED_PLAN_CHANGED = "0A000";
const prepared = new Map<string, PreparedText>();

function toPositional(sql: string): PreparedText {
  let entry = prepared.get(sql);
  if (entry === undefined) {
    let index = 0;
    const text = sql.replace(/\?/g, () => `$${++index}`);
    entry = { text, name: prepared.size < MAX_NAMED_STATEMENTS ? `q${prepared.size + 1}` : undefined };
    prepared.set(sql, entry);
  }
  return entry;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const toNumber = (value: string): number => Number(value);
export const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === INT8_OID || oid === NUMERIC_OID) return toNumber;
    return pg.types.getTypeParser(oid, format as "text");
  },
};

function params(values: readonly SqlValue[]): unknown[] {
  return values.map((value) => (value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value) : value));
}

/** COMMIT answers with this tag when the transaction had failed: PostgreSQL rolled it back instead. */
const ROLLED_BACK_TAG = "ROLLBACK";

export class TransactionRolledBackError extends Error {
  constructor() {
    super("PostgreSQL rolled the transaction back at COMMIT: a statement in it had failed");
    this.name = "TransactionRolledBackError";
  }
}

export class PgExecutor implements SqlExecutor {
  readonly dialect = "postgres" as const;
  readonly transactionKey: object = this;
  /**
   * Inside a transaction, BEGIN is not sent on its own: it goes out with the transaction's first
   * statement (the connection pipelines), saving a round trip per transaction.
   */
  private beginPending: boolean;
  /** Statements to send with COMMIT (atCommit). */
  private readonly lastStatements: Array<{ sql: string; values: readonly SqlValue[]; onRows?: (rows: never[]) => void }> = [];
  /** COMMIT has been sent: the transaction is over. */
  private ended = false;
  /** What happens outside the database once COMMIT succeeded (afterCommit); null once it has happened. */
  private effects: Array<() => void> | null = [];
  /**
   * After `commit`: committed; rolled back (PostgreSQL answered so); or unknown, when the connection
   * failed before its answer came.
   */
  commitOutcome: "committed" | "rolled back" | "unknown" | null = null;

  constructor(
    private readonly client: pg.Pool | pg.PoolClient,
    private readonly options: { inTransaction: boolean } = { inTransaction: false },
  ) {
    this.beginPending = options.inTransaction;
  }

  private corked = false;

  /**
   * On a transaction's connection, statements sent in the same turn of the event loop (BEGIN with the
   * first statement, a lane lock with the statement it guards, COMMIT with the last) leave in one
   * write: node-pg writes each statement on its own, and each write to the server's socket wakes it,
   * a cost on both sides of about the size of running a short statement. (node-pg corks the socket
   * per statement; corks nest.)
   */
  private coalesceWrites(): void {
    if (this.corked || this.client instanceof pg.Pool) return;
    const socket = (this.client as { connection?: { stream?: { cork?: () => void; uncork?: () => void } } }).connection?.stream;
    if (!socket?.cork || !socket.uncork) return;
    this.corked = true;
    socket.cork();
    process.nextTick(() => {
      this.corked = false;
      socket.uncork?.();
    });
  }

  /** Whether COMMIT (or, after a failure, ROLLBACK) is still to be sent. */
  get open(): boolean {
    return !this.beginPending && !this.ended;
  }

  async all<Row>(sql: string, values: readonly SqlValue[] = []): Promise<Row[]> {
    return (await this.query(sql, values)).rows as Row[];
  }

  async run(sql: string, values: readonly SqlValue[] = []): Promise<{ changes: number }> {
    return { changes: (await this.query(sql, values)).rowCount ?? 0 };
  }

  async atCommit<Row>(sql: string, values: readonly SqlValue[], onRows?: (rows: Row[]) => void): Promise<void> {
    if (!this.options.inTransaction) {
      const rows = await this.all<Row>(sql, values);
      onRows?.(rows);
      return;
    }
    if (this.ended) throw new Error("a statement after the transaction's COMMIT");
    this.lastStatements.push({ sql, values, onRows: onRows as ((rows: never[]) => void) | undefined });
  }

  afterCommit(effect: () => void): void {
    if (!this.options.inTransaction) return effect();
    // An `atCommit` statement's rows may still register one: those run before the effects.
    if (!this.effects) throw new Error("an effect registered after the transaction's COMMIT");
    this.effects.push(effect);
  }

  private runEffects(): void {
    const effects = this.effects ?? [];
    this.effects = null;
    for (const effect of effects) effect();
  }

  /**
   * Sends the statements kept for the end with COMMIT, in one write. Should one fail, PostgreSQL
   * answers the COMMIT with a rollback, and that statement's error is the one thrown.
   */
  async commit(): Promise<void> {
    if (this.lastStatements.length === 0 && this.beginPending) {
      this.ended = true;
      this.commitOutcome = "committed";
      this.runEffects();
      return;
    }
    const statements = this.lastStatements.splice(0);
    const results = statements.map((statement) => this.query(statement.sql, statement.values));
    this.ended = true;
    const committed = commit(this.client).then(
      () => {
        this.commitOutcome = "committed";
      },
      (error: unknown) => {
        // An answer from the server (ROLLBACK, or an error at COMMIT) says nothing was committed.
        this.commitOutcome = error instanceof TransactionRolledBackError || error instanceof pg.DatabaseError ? "rolled back" : "unknown";
        throw error;
      },
    );
    const settled = await Promise.allSettled([...results, committed]);
    const failed = settled.find((outcome) => outcome.status === "rejected");
    if (failed) throw failed.reason;
    statements.forEach((statement, i) => statement.onRows?.((settled[i] as PromiseFulfilledResult<pg.QueryResult>).value.rows as never[]));
    this.runEffects();
  }

  private async query(sql: string, values: readonly SqlValue[]): Promise<pg.QueryResult> {
    if (this.ended) throw new Error("a statement after the transaction's COMMIT");
    const statement = toPositional(sql);
    this.coalesceWrites();
    try {
      if (!this.beginPending) return await submit(this.client, statement, params(values));
      this.beginPending = false;
      const [, result] = await Promise.all([this.client.query("BEGIN"), submit(this.client, statement, params(values))]);
      return result;
    } catch (error) {
      if (statement.name === undefined || (error as { code?: unknown }).code !== CACHED_PLAN_CHANGED) throw error;
      statement.name = undefined;
      // Inside a transaction the failure has aborted it: the caller's retry runs the text unnamed.
      if (this.options.inTransaction) throw error;
      return this.client.query({ text: statement.text, values: params(values) });
    }
  }
}

/**
 * Runs a statement. node-pg copies a query's config object, property descriptors and all, before it
 * runs it: about 2 % of the server's time in a CPU profile of the reply benchmark, 1 to 2 µs a
 * statement. A query object it is handed is not copied. Through the pool the config object is kept:
 * the pool passes the answer to a callback of its own, which releases the connection, and it cannot
 * set that callback on a query object that already has one.
 */
function submit(client: pg.Pool | pg.PoolClient, statement: PreparedText, values: unknown[]): Promise<pg.QueryResult> {
  if (client instanceof pg.Pool) return client.query({ name: statement.name, text: statement.text, values });
  return new Promise((resolve, reject) => {
    const query = new pg.Query(statement.text, values) as pg.Query & { name?: string; callback?: (error: Error | null, result: pg.QueryResult) => void };
    query.name = statement.name;
    query.callback = (error, result) => (error ? reject(error) : resolve(result));
    client.query(query);
  });
}

/** COMMIT, reporting a transaction PostgreSQL rolled back (a failed statement whose error was caught) as an error. */
async function commit(client: pg.Pool | pg.PoolClient): Promise<void> {
  const result = await client.query("COMMIT");
  if (result.command === ROLLED_BACK_TAG) throw new TransactionRolledBackError();
}

export interface CheckedOut {
  client: pg.PoolClient;
  /** Back to the pool; as broken (closed, not reused) with `error`, or when the connection failed meanwhile. */
  release(error?: Error): void;
}

/**
 * A connection of the pool, held by us until `release`. node-pg reports a connection that fails while
 * no query waits on it as an 'error' event of the client, and the pool listens only to idle clients:
 * unheard, that event would end the process (PostgreSQL restarting, say, between two statements of
 * a transaction). Heard here, it marks the connection broken, and queries on it fail as they would.
 */
export async function checkOut(pool: pg.Pool): Promise<CheckedOut> {
  const client = await pool.connect();
  let failure: Error | undefined;
  const onError = (error: Error) => {
    failure ??= error;
  };
  client.on("error", onError);
  return {
    client,
    release(error?: Error) {
      client.removeListener("error", onError);
      client.release(error ?? failure);
    },
  };
}
