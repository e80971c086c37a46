/**
 * PostgreSQL engine for multi-instance deployments: a pg Pool, `?` placeholders numbered once per
 * statement text, BIGINT read as a JS number (our values are epoch milliseconds and row ids, far
 * below 2^53).
 */
import pg from "pg";
import type { SqlDriver, SqlExecutor, SqlValue } from "./sql-driver.js";

const numbered = new Map<string, string>();
function toPositional(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    let index = 0;
    text = sql.replace(/\?/g, () => `$${++index}`);
    numbered.set(sql, text);
  }
  return text;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as "text");
  },
};

function params(values: readonly SqlValue[]): unknown[] {
  return values.map((value) => (value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value) : value));
}

class PgExecutor implements SqlExecutor {
  readonly dialect = "postgres" as const;
  constructor(private readonly client: pg.Pool | pg.PoolClient) {}

  async all<Row>(sql: string, values: readonly SqlValue[] = []): Promise<Row[]> {
    const result = await this.client.query({ text: toPositional(sql), values: params(values) });
    return result.rows as Row[];
  }

  async run(sql: string, values: readonly SqlValue[] = []): Promise<{ changes: number }> {
    const result = await this.client.query({ text: toPositional(sql), values: params(values) });
    return { changes: result.rowCount ?? 0 };
  }
}

export class PostgresDriver implements SqlDriver {
  readonly dialect = "postgres" as const;
  private readonly pool: pg.Pool;
  private readonly executor: PgExecutor;

  constructor(connectionString: string, options: { max?: number } = {}) {
    this.pool = new pg.Pool({ connectionString, max: options.max ?? 10, types });
    // An idle client that loses its connection must not crash the process; the next query reconnects.
    this.pool.on("error", () => undefined);
    this.executor = new PgExecutor(this.pool);
  }

  all<Row>(sql: string, values?: readonly SqlValue[]): Promise<Row[]> {
    return this.executor.all<Row>(sql, values);
  }

  run(sql: string, values?: readonly SqlValue[]): Promise<{ changes: number }> {
    return this.executor.run(sql, values);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(new PgExecutor(client));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
