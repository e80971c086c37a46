/**
 * PostgreSQL engine for multi-instance deployments: a pg Pool whose callers are grouped into shared
 * transactions (postgres-group-commit.ts), and a small pool of its own for the webhook ingest.
 */
import pg from "pg";
import { checkOut, PgExecutor, types } from "./postgres-executor.js";
import { PostgresGroupCommit, type GroupCommitOptions } from "./postgres-group-commit.js";
import { PostgresJobWakeups } from "./postgres-job-wakeups.js";
import { PlannerStatistics } from "./postgres-statistics.js";
import type { SqlDriver, SqlExecutor, SqlValue } from "./sql-driver.js";

export { TransactionRolledBackError } from "./postgres-executor.js";

/** How often planner statistics are checked (see postgres-statistics.ts). */
const STATISTICS_INTERVAL_MS = 2_000;
/** Connections for the webhook ingest, beside the main pool: one per batch in flight (webhook-event-batcher.ts). */
export const POSTGRES_INGEST_CONNECTIONS = 2;
/** Members of one group commit at most (measured at 500 replies/s: 16 kept up, 8 fell behind). */
const MAX_GROUP_MEMBERS = 64;

export interface PostgresDriverOptions {
  /** Connections of the main pool. */
  max?: number;
  statisticsIntervalMs?: number | null;
  onStatisticsError?: (error: unknown) => void;
  /** Told of every group commit of two or more callers (see postgres-group-commit.ts). */
  onGroup?: GroupCommitOptions["onGroup"];
  /** A wake-up could not be sent, or the connection that listens for them failed (it reconnects). */
  onWakeupError?: (error: unknown, during: "notify" | "listen") => void;
}

export class PostgresDriver implements SqlDriver {
  readonly dialect = "postgres" as const;
  readonly transactionKey: object = this;
  private readonly pool: pg.Pool;
  /** Statements on the pool, outside any transaction: for a caller that runs alone. */
  private readonly executor: PgExecutor;
  /**
   * Single statements that never join a group's transaction: a statement that locks many rows at once
   * (renewing the leases of every running job, reclaiming expired ones) would, in a group, hold them
   * until the whole group commits, and wait for, or deadlock with, the groups that complete those jobs.
   */
  readonly outsideGroups: SqlExecutor;
  private readonly groups: PostgresGroupCommit;
  private readonly ingestPool: pg.Pool;
  /**
   * For the webhook ingest, on connections of its own. Each webhook's acknowledgement waits for its
   * insert; in line with hundreds of jobs for the main pool's connections it waited up to seconds on a
   * busy process, and Meta retries what it does not see acknowledged soon, adding load.
   */
  readonly ingest: SqlExecutor;

  private readonly statistics: PlannerStatistics | null;
  /** Between the processes on this database: see postgres-job-wakeups.ts. */
  readonly jobWakeups: PostgresJobWakeups;

  constructor(connectionString: string, options: PostgresDriverOptions = {}) {
    // Pipelining: a connection sends a statement without waiting for the answers to earlier ones, so
    // the statements of a group's members, and BEGIN or COMMIT with them, leave together.
    this.pool = new pg.Pool({ connectionString, max: options.max ?? 10, types, pipeline: true });
    // An idle client that loses its connection must not crash the process; the next query reconnects.
    this.pool.on("error", () => undefined);
    this.executor = new PgExecutor(this.pool);
    this.outsideGroups = this.executor;
    this.jobWakeups = new PostgresJobWakeups({ connectionString, executor: this.executor, ...(options.onWakeupError ? { onError: options.onWakeupError } : {}) });
    this.groups = new PostgresGroupCommit(this.pool, { maxMembers: MAX_GROUP_MEMBERS, onGroup: options.onGroup });
    this.ingestPool = new pg.Pool({ connectionString, max: POSTGRES_INGEST_CONNECTIONS, types, pipeline: true });
    this.ingestPool.on("error", () => undefined);
    this.ingest = new PgExecutor(this.ingestPool);
    const intervalMs = options.statisticsIntervalMs === undefined ? STATISTICS_INTERVAL_MS : options.statisticsIntervalMs;
    // ANALYZE takes a while: alone, so no group waits for it.
    const alone = { transaction: <T>(work: (tx: SqlExecutor) => Promise<T>) => this.transactionAlone(work) };
    this.statistics = intervalMs === null ? null : new PlannerStatistics(alone, { intervalMs, onError: options.onStatisticsError });
    this.statistics?.start();
  }

  /** A statement outside a transaction: it may share one with other callers' work (see postgres-group-commit.ts). */
  all<Row>(sql: string, values: readonly SqlValue[] = []): Promise<Row[]> {
    return this.groups.join({
      inGroup: (tx) => tx.all<Row>(sql, values),
      alone: (client) => (client ? new PgExecutor(client) : this.executor).all<Row>(sql, values),
    });
  }

  run(sql: string, values: readonly SqlValue[] = []): Promise<{ changes: number }> {
    return this.groups.join({
      inGroup: (tx) => tx.run(sql, values),
      alone: (client) => (client ? new PgExecutor(client) : this.executor).run(sql, values),
    });
  }

  async atCommit<Row>(sql: string, values: readonly SqlValue[], onRows?: (rows: Row[]) => void): Promise<void> {
    const rows = await this.all<Row>(sql, values);
    onRows?.(rows);
  }

  afterCommit(effect: () => void): void {
    effect();
  }

  /** May share its transaction with other callers (see postgres-group-commit.ts); `work` may then run twice. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.groups.join({
      inGroup: async (tx) => work(tx),
      alone: (client) => this.transactionAlone(work, client),
    });
  }

  /** A transaction of its own, on `client` if given (the caller releases it), else on a pool connection. */
  async transactionAlone<T>(work: (tx: SqlExecutor) => Promise<T>, given?: pg.PoolClient): Promise<T> {
    const connection = given ? null : await checkOut(this.pool);
    const client = given ?? connection!.client;
    const executor = new PgExecutor(client, { inTransaction: true });
    let broken: Error | undefined;
    try {
      const result = await work(executor);
      await executor.commit();
      return result;
    } catch (error) {
      if (executor.open) await client.query("ROLLBACK").catch((failure: Error) => (broken = failure));
      throw error;
    } finally {
      connection?.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.jobWakeups.close();
    await this.statistics?.stop();
    await this.groups.drain();
    await Promise.all([this.pool.end(), this.ingestPool.end()]);
  }
}
