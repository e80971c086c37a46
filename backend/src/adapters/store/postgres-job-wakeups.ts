/**
 * Wakes the job runners of the other processes on the same PostgreSQL database when one of them
 * queues work, with LISTEN/NOTIFY. A web process (PROCESS_ROLE=web) stores a webhook body and its job;
 * without this, a worker process would find it only at its next poll (JOB_POLL_MS, 200 ms by
 * default), and polling faster costs every worker a claim query per interval while idle. Polling
 * stays as the safety net: a notification may be lost while the listening connection is down.
 *
 * Notifications name the process that sent them, so a process that both queues and runs jobs
 * (PROCESS_ROLE=all) does not wake itself a second time: its own runner was poked directly.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import type { JobWakeups } from "../../domain/ports/jobs.js";
import type { SqlExecutor } from "./sql-driver.js";

export const JOB_WAKEUP_CHANNEL = "salesbot_jobs";
/** After the listening connection failed: how long before connecting again, doubling while it keeps failing. */
const RECONNECT_AFTER_MS = 1_000;
const RECONNECT_AFTER_AT_MOST_MS = 30_000;
const CONNECT_TIMEOUT_MS = 5_000;

interface ListenerState {
  client: pg.Client | null;
  stopped: boolean;
  retry: NodeJS.Timeout | null;
  /** Failed connections in a row. */
  failures: number;
}

export interface PostgresJobWakeupsOptions {
  connectionString: string;
  /** Where NOTIFY is sent: a statement of its own, outside anyone's transaction. */
  executor: SqlExecutor;
  onError?: (error: unknown, during: "notify" | "listen") => void;
}

export class PostgresJobWakeups implements JobWakeups {
  private readonly instanceId = randomUUID();
  private notifying = false;
  private notifyAgain = false;
  private listener: ListenerState | null = null;

  constructor(private readonly options: PostgresJobWakeupsOptions) {}

  /** Coalesced: while a NOTIFY is on its way, further calls send one more after it, not one each. */
  announce(): void {
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    this.notifying = true;
    this.options.executor
      .all(`SELECT pg_notify(?, ?)`, [JOB_WAKEUP_CHANNEL, this.instanceId])
      .catch((error: unknown) => this.options.onError?.(error, "notify"))
      .finally(() => {
        this.notifying = false;
        if (!this.notifyAgain) return;
        this.notifyAgain = false;
        this.announce();
      });
  }

  /** Resolves once listening (or once the first attempt failed: it then keeps retrying). */
  async listen(wake: () => void): Promise<() => Promise<void>> {
    if (this.listener) throw new Error("already listening");
    const state: ListenerState = { client: null, stopped: false, retry: null, failures: 0 };
    this.listener = state;

    const connect = async (): Promise<void> => {
      state.retry = null;
      if (state.stopped) return;
      // It sits idle between notifications: TCP keep-alive notices a connection that died unseen (a
      // restarted server, a dropped NAT entry), and a connect that hangs gives up like any other failure.
      const client = new pg.Client({ connectionString: this.options.connectionString, keepAlive: true, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
      let failed = false;
      const fail = (error: unknown) => {
        if (failed) return;
        failed = true;
        if (state.client === client) state.client = null;
        void client.end().catch(() => undefined);
        if (state.stopped) return;
        this.options.onError?.(error, "listen");
        state.retry = setTimeout(() => void connect(), Math.min(RECONNECT_AFTER_AT_MOST_MS, RECONNECT_AFTER_MS * 2 ** state.failures));
        state.failures++;
        state.retry.unref();
      };
      client.on("error", fail);
      client.on("end", () => fail(new Error("the listening connection closed")));
      client.on("notification", (message) => {
        if (message.channel === JOB_WAKEUP_CHANNEL && message.payload !== this.instanceId) wake();
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${JOB_WAKEUP_CHANNEL}`);
      } catch (error) {
        fail(error);
        return;
      }
      if (state.stopped) {
        await client.end().catch(() => undefined);
        return;
      }
      state.client = client;
      state.failures = 0;
      // Work announced while no connection listened went unheard: look once now.
      wake();
    };

    await connect();
    return () => this.close();
  }

  /** Stops listening, if this instance listens. */
  async close(): Promise<void> {
    const state = this.listener;
    if (!state) return;
    this.listener = null;
    state.stopped = true;
    if (state.retry) clearTimeout(state.retry);
    const client = state.client;
    state.client = null;
    await client?.end().catch(() => undefined);
  }
}
