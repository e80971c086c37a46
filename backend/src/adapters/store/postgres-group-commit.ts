/**
 * Group commit for PostgreSQL: the transactions and single statements that callers start in the same
 * turn of the event loop share one connection and one transaction, and their statements travel
 * together.
 *
 * Why. A customer message takes some fifteen short statements across its jobs. Sent one by one, each
 * costs a socket write that wakes a PostgreSQL backend, a wake-up back, and per transaction a WAL
 * flush; on a 2-core machine running both, those hand-overs, not the statements, were the limit
 * (about 240 replies/s). Jobs of one kind, claimed together, run the same steps in step: here the
 * step of every member goes out in one write, PostgreSQL runs them back to back, the answers come
 * back in one read, and the group commits once.
 *
 * What a member sees. Its statements run in order, each seeing everything the group did before it,
 * its own writes and other members' alike, as if those had committed just before. Nothing is
 * reported to any member before the group has committed: results, `atCommit` rows and `afterCommit`
 * effects all wait for COMMIT. The code here relies on single statements for its invariants (guarded
 * updates, conflict clauses, claim-if-idle inserts), never on a row lock held between two statements,
 * so this is as safe as separate READ COMMITTED transactions. The one rule kept across statements, a
 * lane held by `holdIdleLane`, knows about groups itself (see sql-jobs.ts).
 *
 * Failure. When a member's work fails, a statement fails, or PostgreSQL answers COMMIT with a
 * rollback, the whole group is rolled back and every member runs again on its own, in a transaction
 * of its own (or as a lone statement): the failure may be any one member's, and only alone does each
 * meet exactly its own outcome. Work may thus run twice, once undone: what it changes outside the
 * database belongs in `afterCommit`. Two groups that wait for each other's locks are broken up by
 * PostgreSQL's deadlock detector, and end the same way. Should the connection fail while COMMIT is
 * under way, nobody knows whether it committed: then no work runs again here, every member gets the
 * error, as a transaction of its own would have.
 *
 * A turn with a single caller runs it alone at once, exactly as without grouping.
 */
import type pg from "pg";
import { checkOut, PgExecutor, type CheckedOut } from "./postgres-executor.js";
import { TransactionView, type SqlExecutor } from "./sql-driver.js";

export interface GroupMember<T> {
  /** The member's work, on the group's transaction. */
  inGroup(tx: SqlExecutor): Promise<T>;
  /** The same work on its own: on `client` when given (it stays checked out), else on a connection of its own. */
  alone(client: pg.PoolClient | undefined): Promise<T>;
}

export interface GroupCommitOptions {
  /** Members per group at most; more callers form the next group, on another connection. */
  maxMembers: number;
  /** Told of every group of two or more: its size and whether it committed, was rerun member by member, or failed at COMMIT. */
  onGroup?: (members: number, outcome: "committed" | "rerun" | "failed") => void;
}

interface Waiting {
  member: GroupMember<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class PostgresGroupCommit {
  private waiting: Waiting[] = [];
  private flushScheduled = false;
  /** A flush waits for a connection: it takes every member that arrives meanwhile. */
  private connecting = false;
  private running = 0;
  private readonly idle: Array<() => void> = [];

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: GroupCommitOptions,
  ) {}

  join<T>(member: GroupMember<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ member: member as GroupMember<unknown>, resolve: resolve as (value: unknown) => void, reject });
      this.scheduleFlush();
    });
  }

  /** Resolves once every member handed in so far has settled. */
  drain(): Promise<void> {
    if (this.quiet()) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private quiet(): boolean {
    return this.waiting.length === 0 && this.running === 0 && !this.flushScheduled && !this.connecting;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.connecting || this.waiting.length === 0) return;
    this.flushScheduled = true;
    // At the end of this turn: every caller of this turn joins.
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.connecting = true;
    this.running++;
    let connection: CheckedOut;
    try {
      connection = await checkOut(this.pool);
    } catch (error) {
      this.connecting = false;
      for (const waiting of this.waiting.splice(0)) waiting.reject(error);
      this.finished();
      return;
    }
    this.connecting = false;
    // Taken now, not when the flush was scheduled: whoever arrived while it waited for a connection joins.
    const members = this.waiting.splice(0, this.options.maxMembers);
    this.scheduleFlush();
    try {
      if (members.length === 0) connection.release();
      else if (members.length === 1) await this.alone(members[0]!, connection);
      else await this.group(members, connection);
    } finally {
      this.finished();
    }
  }

  private async alone(waiting: Waiting, connection: CheckedOut): Promise<void> {
    try {
      waiting.resolve(await waiting.member.alone(connection.client));
    } catch (error) {
      waiting.reject(error);
    } finally {
      connection.release();
    }
  }

  private async group(members: Waiting[], connection: CheckedOut): Promise<void> {
    const { client } = connection;
    const tx = new PgExecutor(client, { inTransaction: true });
    // Each member's effects wait in a list of its own: one that throws fails its member alone, after
    // the commit it cannot undo.
    const views = members.map(() => new TransactionView(tx, tx));
    const outcomes = await Promise.allSettled(members.map((waiting, i) => waiting.member.inGroup(views[i]!)));
    let failed = outcomes.some((outcome) => outcome.status === "rejected");
    if (!failed) {
      try {
        await tx.commit();
      } catch (error) {
        failed = true;
        if (tx.commitOutcome !== "rolled back") {
          connection.release(error instanceof Error ? error : undefined);
          this.options.onGroup?.(members.length, "failed");
          for (const waiting of members) waiting.reject(error);
          return;
        }
      }
    }
    if (!failed) {
      connection.release();
      this.options.onGroup?.(members.length, "committed");
      members.forEach((waiting, i) => {
        try {
          views[i]!.committed();
          waiting.resolve((outcomes[i] as PromiseFulfilledResult<unknown>).value);
        } catch (error) {
          waiting.reject(error);
        }
      });
      return;
    }
    let broken: Error | undefined;
    if (tx.open) await client.query("ROLLBACK").catch((error: Error) => (broken = error));
    // A connection that could not roll back is closed rather than handed to the next caller.
    connection.release(broken);
    this.options.onGroup?.(members.length, "rerun");
    await Promise.all(
      members.map((waiting) =>
        waiting.member.alone(undefined).then(
          (value) => waiting.resolve(value),
          (error: unknown) => waiting.reject(error),
        ),
      ),
    );
  }

  private finished(): void {
    this.running--;
    if (this.quiet()) for (const wake of this.idle.splice(0)) wake();
  }
}
