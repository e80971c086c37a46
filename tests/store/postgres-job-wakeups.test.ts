/**
 * LISTEN/NOTIFY between processes on one PostgreSQL database: a process that queued work wakes the
 * job runners of the others, never its own, and a listener whose connection was cut connects again
 * and looks for work it may have missed.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PostgresDriver } from "../../backend/src/adapters/store/postgres-driver.js";
import { JOB_WAKEUP_CHANNEL, PostgresJobWakeups } from "../../backend/src/adapters/store/postgres-job-wakeups.js";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../support/postgres.js";

/** Real timers only: vi.waitFor polls with them. */
const until = (what: string, condition: () => boolean) =>
  vi.waitFor(() => {
    if (!condition()) throw new Error(`still waiting for ${what}`);
  }, { timeout: 5_000, interval: 10 });

describe.skipIf(!(await postgresAvailable()))("job wake-ups between processes on PostgreSQL", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.drop());

  it("wakes the other process's runner, not its own", async () => {
    const web = new PostgresDriver(database.url, { max: 2, statisticsIntervalMs: null });
    const worker = new PostgresDriver(database.url, { max: 2, statisticsIntervalMs: null });
    let woken = 0;
    try {
      await worker.jobWakeups.listen(() => woken++);
      // Listening started with one look for work announced before.
      expect(woken).toBe(1);
      // Its own announcement first, then the web process's: notifications arrive in commit order.
      worker.jobWakeups.announce();
      await new Promise((resolve) => setTimeout(resolve, 50));
      web.jobWakeups.announce();
      await until("the web process's wake-up", () => woken >= 2);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(woken).toBe(2);
    } finally {
      await web.close();
      await worker.close();
    }
  });

  it("listens again after its connection was cut, and looks for work it may have missed", async () => {
    const web = new PostgresDriver(database.url, { max: 2, statisticsIntervalMs: null });
    const errors: string[] = [];
    const worker = new PostgresDriver(database.url, { max: 2, statisticsIntervalMs: null, onWakeupError: (_error, during) => errors.push(during) });
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    let woken = 0;
    try {
      await worker.jobWakeups.listen(() => woken++);
      const { rowCount } = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = $1`, [
        `LISTEN ${JOB_WAKEUP_CHANNEL}`,
      ]);
      expect(rowCount).toBe(1);
      await until("the listener to notice", () => errors.includes("listen"));
      const afterCut = woken;
      // Reconnected, it looks once on its own, then hears announcements again.
      await until("the look after reconnecting", () => woken > afterCut);
      const reconnected = woken;
      web.jobWakeups.announce();
      await until("a wake-up on the new connection", () => woken > reconnected);
    } finally {
      await admin.end();
      await web.close();
      await worker.close();
    }
  });

  it("waits longer before each new attempt while the database stays unreachable", async () => {
    const driver = new PostgresDriver(database.url, { max: 1, statisticsIntervalMs: null });
    let failures = 0;
    // Nothing listens on port 9: every connection attempt is refused at once.
    const wakeups = new PostgresJobWakeups({ connectionString: "postgres://postgres@127.0.0.1:9/none", executor: driver.outsideGroups, onError: () => failures++ });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      await wakeups.listen(() => undefined);
      expect(failures).toBe(1);
      const attemptAfter = async (ms: number, expected: number) => {
        vi.advanceTimersByTime(ms - 1);
        await new Promise((resolve) => setImmediate(resolve));
        expect(failures).toBe(expected - 1);
        vi.advanceTimersByTime(1);
        // The refused connection settles on real I/O, outside the faked timers.
        const deadline = performance.now() + 5_000;
        while (failures < expected && performance.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
        expect(failures).toBe(expected);
      };
      await attemptAfter(1_000, 2);
      await attemptAfter(2_000, 3);
      await attemptAfter(4_000, 4);
    } finally {
      vi.useRealTimers();
      await wakeups.close();
      await driver.close();
    }
  });

  it("stops listening when the driver closes", async () => {
    const worker = new PostgresDriver(database.url, { max: 2, statisticsIntervalMs: null });
    await worker.jobWakeups.listen(() => undefined);
    await worker.close();
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      // The backend goes away shortly after the client's Terminate message.
      let listening = 1;
      for (let i = 0; i < 100 && listening > 0; i++) {
        listening = (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query = $1`, [`LISTEN ${JOB_WAKEUP_CHANNEL}`])).rowCount ?? 0;
        if (listening > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(listening).toBe(0);
    } finally {
      await admin.end();
    }
  });
});
