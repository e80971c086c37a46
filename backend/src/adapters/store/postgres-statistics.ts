/**
 * Planner statistics kept fresh for our tables. Statements run as prepared statements, so after a few
 * executions PostgreSQL may settle on one generic plan per statement, chosen with the statistics of
 * that moment. On a new database those say "empty", and a plan that scans a whole table stays cached
 * until the next ANALYZE invalidates it; autovacuum looks only once a minute, by which time a busy new
 * installation has tens of thousands of rows behind sequential scans. Measured here at 250 replies/s:
 * p99 680 ms when every call was planned afresh to stay clear of such plans, 165 ms with generic plans
 * and this refresh.
 *
 * So every two seconds one instance (an advisory lock decides which) analyzes each of our tables that
 * has grown by a fifth, and by at least 500 rows, since its last analysis. Growth, not every change,
 * as autovacuum counts: what misleads the planner is a table far larger than its statistics say. Rows
 * that are only updated (a conversation touched at every message) or come and go (the job queue)
 * leave the size alone; counted as changes, they had the busiest tables analyzed every two seconds
 * for as long as traffic lasted. Their drifting value distributions are autovacuum's to follow.
 */
import type { SqlDriver } from "./sql-driver.js";

/** "salesbot:stats" as a 64-bit advisory lock key; any constant unlikely to collide will do. */
const LOCK_KEY = 7_362_891_004_118_233;
const MIN_NEW_ROWS = 500;
const GROWTH_SHARE = 0.2;
/**
 * ANALYZE samples 300 rows per unit of target. PostgreSQL's default (100: 30,000 rows, with
 * histograms of every column, wide JSON ones included) took 170–320 ms of CPU for the messages table
 * of a busy new installation, a stall that measured replies felt. Our statements look rows up by
 * keys; the planner needs table sizes and rough distinct counts from the statistics, which a smaller
 * sample gives as well.
 */
const STATISTICS_TARGET = 10;

export interface PlannerStatisticsOptions {
  intervalMs: number;
  onError?: (error: unknown) => void;
}

export class PlannerStatistics {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly driver: Pick<SqlDriver, "transaction">,
    private readonly options: PlannerStatisticsOptions,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.refresh(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Analyzes the tables that need it now; returns their names (none if another instance holds the lock). */
  async refreshNow(): Promise<string[]> {
    return this.driver.transaction(async (tx) => {
      const [lock] = await tx.all<{ held: boolean }>(`SELECT pg_try_advisory_xact_lock(?) AS held`, [LOCK_KEY]);
      if (!lock?.held) return [];
      // reltuples: the row count at the last analysis (or vacuum); -1 before the first.
      const stale = await tx.all<{ relname: string }>(
        `SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
         WHERE s.schemaname = current_schema()
           AND s.n_live_tup >= GREATEST(c.reltuples, 0) + GREATEST(?::bigint, ?::float8 * GREATEST(c.reltuples, 0))
         ORDER BY s.relname`,
        [MIN_NEW_ROWS, GROWTH_SHARE],
      );
      if (stale.length > 0) await tx.run(`SET LOCAL default_statistics_target = ${STATISTICS_TARGET}`);
      for (const { relname } of stale) await tx.run(`ANALYZE "${relname.replace(/"/g, '""')}"`);
      return stale.map((row) => row.relname);
    });
  }

  private async refresh(): Promise<void> {
    if (this.running) return;
    this.running = this.refreshNow()
      .then(() => undefined)
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.running = null;
      });
    await this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
