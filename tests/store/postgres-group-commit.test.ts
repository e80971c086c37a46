/**
 * Group commit on PostgreSQL (postgres-group-commit.ts): callers of one event-loop turn share a
 * transaction; nothing is reported before it commits; a failure reruns every member alone, so each
 * meets exactly its own outcome; effects outside the database happen once, for the run that committed.
 */
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PostgresDriver } from "../../backend/src/adapters/store/postgres-driver.js";
import { SqlStore } from "../../backend/src/adapters/store/sql-store.js";
import type { JobHandoff } from "../../backend/src/domain/ports/jobs.js";
import { SecretBox } from "../../backend/src/security/secret-box.js";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../support/postgres.js";

const available = await postgresAvailable();

type Group = { members: number; outcome: "committed" | "rerun" | "failed" };

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe.skipIf(!available)("PostgreSQL group commit", () => {
  let database: TestDatabase;
  let driver: PostgresDriver;
  let groups: Group[];

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.drop());

  beforeEach(async () => {
    groups = [];
    driver = new PostgresDriver(database.url, { max: 4, statisticsIntervalMs: null, onGroup: (members, outcome) => groups.push({ members, outcome }) });
    await driver.run(`DROP TABLE IF EXISTS g`);
    await driver.run(`CREATE TABLE g (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`);
  });
  afterEach(async () => driver?.close());

  const rows = async () => (await driver.all<{ id: number; v: string }>(`SELECT id, v FROM g ORDER BY id`)).map((r) => `${r.id}:${r.v}`);

  it("runs the transactions and statements of one turn in one transaction, on one connection", async () => {
    const session = `SELECT pg_backend_pid() AS pid, txid_current_if_assigned() IS NOT NULL AS wrote, txid_current() AS txid`;
    const results = await Promise.all([
      driver.transaction(async (tx) => {
        await tx.run(`INSERT INTO g (id, v) VALUES (?, ?)`, [1, "a"]);
        return (await tx.all<{ pid: number; txid: number }>(session))[0]!;
      }),
      driver.transaction(async (tx) => {
        await tx.run(`INSERT INTO g (id, v) VALUES (?, ?)`, [2, "b"]);
        return (await tx.all<{ pid: number; txid: number }>(session))[0]!;
      }),
      driver.all<{ pid: number; txid: number }>(session).then((r) => r[0]!),
    ]);
    expect(new Set(results.map((r) => r.pid)).size).toBe(1);
    expect(new Set(results.map((r) => r.txid)).size).toBe(1);
    expect(groups).toEqual([{ members: 3, outcome: "committed" }]);
    expect(await rows()).toEqual(["1:a", "2:b"]);
  });

  it("lets a member see what the members before it wrote, and runs a lone caller alone", async () => {
    const [, seen] = await Promise.all([
      driver.transaction((tx) => tx.run(`INSERT INTO g (id, v) VALUES (?, ?)`, [1, "first"])),
      driver.transaction(async (tx) => {
        await nextTurn();
        return tx.all<{ v: string }>(`SELECT v FROM g WHERE id = ?`, [1]);
      }),
    ]);
    expect(seen).toEqual([{ v: "first" }]);
    groups = [];
    await driver.transaction((tx) => tx.run(`INSERT INTO g (id, v) VALUES (?, ?)`, [2, "alone"]));
    expect(groups).toEqual([]);
  });

  it("reports nothing to any member, and runs no effect, before the whole group has committed", async () => {
    const slow = deferred();
    const events: string[] = [];
    const quick = driver.transaction(async (tx) => {
      await tx.run(`INSERT INTO g (id, v) VALUES (?, ?)`, [1, "quick"]);
      tx.afterCommit(() => events.push("quick effect"));
      return "quick done";
    });
    const read = driver.all<{ n: number }>(`SELECT COUNT(*) AS n FROM g`);
    const waiting = driver.transaction(async (tx) => {
      await slow.promise;
      await tx.run(`INSERT INTO g (id, v) VALUES (?, ?)`, [2, "slow"]);
    });
    void quick.then(() => events.push("quick settled"));
    void read.then(() => events.push("read settled"));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events).toEqual([]);
    slow.resolve();
    await Promise.all([quick, read, waiting]);
    expect(events).toEqual(["quick effect", "quick settled", "read settled"]);
    expect(await rows()).toEqual(["1:quick", "2:slow"]);
  });

  it("reruns every member alone when one fails: the others commit once, the failing one gets its own error", async () => {
    const runs = { good: 0, failing: 0, duplicate: 0 };
    const effects: string[] = [];
    await driver.run(`INSERT INTO g (id, v) VALUES (?, ?)`, [9, "existing"]);
    const outcomes = await Promise.allSettled([
      driver.transaction(async (tx) => {
        runs.good++;
        await tx.run(`INSERT INTO g (id, v) VALUES (?, ?)`, [1, "good"]);
        tx.afterCommit(() => effects.push(`good effect after run ${runs.good}`));
        return "good";
      }),
      driver.transaction(async (tx) => {
        runs.failing++;
        await tx.run(`INSERT INTO g (id, v) VALUES (?, ?)`, [2, "undone"]);
        tx.afterCommit(() => effects.push("failing effect"));
        throw new Error("the member's own failure");
      }),
      driver.transaction(async (tx) => {
        runs.duplicate++;
        await tx.run(`INSERT INTO g (id, v) VALUES (?, ?)`, [9, "duplicate"]);
      }),
      driver.run(`INSERT INTO g (id, v) VALUES (?, ?)`, [3, "statement"]),
    ]);
    expect(outcomes[0]).toEqual({ status: "fulfilled", value: "good" });
    expect(outcomes[1]).toMatchObject({ status: "rejected", reason: { message: "the member's own failure" } });
    expect(outcomes[2]).toMatchObject({ status: "rejected", reason: { code: "23505" } });
    expect(outcomes[3]).toEqual({ status: "fulfilled", value: { changes: 1 } });
    expect(groups).toEqual([{ members: 4, outcome: "rerun" }]);
    // Each ran in the group, then alone; only the run that committed left an effect.
    expect(runs).toEqual({ good: 2, failing: 2, duplicate: 2 });
    expect(effects).toEqual(["good effect after run 2"]);
    expect(await rows()).toEqual(["1:good", "3:statement", "9:existing"]);
  });

  it("fails only its member when an effect throws after the commit, and reruns nothing", async () => {
    const runs: number[] = [0, 0];
    const outcomes = await Promise.allSettled([
      driver.transaction(async (tx) => {
        runs[0]!++;
        await tx.run(`INSERT INTO g (id, v) VALUES (?, ?)`, [1, "committed"]);
        tx.afterCommit(() => {
          throw new Error("the effect failed");
        });
      }),
      driver.transaction(async (tx) => {
        runs[1]!++;
        await tx.run(`INSERT INTO g (id, v) VALUES (?, ?)`, [2, "committed too"]);
      }),
    ]);
    expect(outcomes[0]).toMatchObject({ status: "rejected", reason: { message: "the effect failed" } });
    expect(outcomes[1]).toEqual({ status: "fulfilled", value: undefined });
    expect(runs).toEqual([1, 1]);
    expect(groups).toEqual([{ members: 2, outcome: "committed" }]);
    expect(await rows()).toEqual(["1:committed", "2:committed too"]);
  });

  it("gives every member the error, and runs nothing again, when the connection fails while COMMIT is under way", async () => {
    const runs = [0, 0];
    const outcomes = await Promise.allSettled([
      driver.transaction(async (tx) => {
        runs[0]!++;
        await tx.run(`INSERT INTO g (id, v) VALUES (?, ?)`, [1, "lost with the connection"]);
        // Sent with COMMIT, and ends this session before COMMIT is read: the client cannot tell whether it committed.
        await tx.atCommit(`SELECT pg_terminate_backend(pg_backend_pid())`, []);
      }),
      driver.transaction(async (tx) => {
        runs[1]!++;
        await tx.run(`INSERT INTO g (id, v) VALUES (?, ?)`, [2, "lost too"]);
      }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected"]);
    expect(runs).toEqual([1, 1]);
    expect(groups).toEqual([{ members: 2, outcome: "failed" }]);
    expect(await rows()).toEqual([]);
  });

  it("fails a transaction whose connection ends between two statements, and goes on serving", async () => {
    const failure = driver.transaction(async (tx) => {
      const [{ pid }] = (await tx.all<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)) as [{ pid: number }];
      const killer = new pg.Client({ connectionString: database.url });
      await killer.connect();
      await killer.query(`SELECT pg_terminate_backend($1)`, [pid]);
      await killer.end();
      // The connection is gone while no statement waits on it: node-pg reports that as an event.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await tx.run(`INSERT INTO g (id, v) VALUES (?, ?)`, [1, "never"]);
    });
    await expect(failure).rejects.toThrow();
    expect(await driver.all<{ n: number }>(`SELECT COUNT(*) AS n FROM g`)).toEqual([{ n: 0 }]);
  });

  it("reruns the members when a statement kept for COMMIT fails, and reports that statement's error to its member only", async () => {
    await driver.run(`INSERT INTO g (id, v) VALUES (?, ?)`, [9, "existing"]);
    const outcomes = await Promise.allSettled([
      driver.transaction((tx) => tx.atCommit(`INSERT INTO g (id, v) VALUES (?, ?)`, [9, "clash at commit"])),
      driver.transaction((tx) => tx.run(`INSERT INTO g (id, v) VALUES (?, ?)`, [1, "kept"])),
    ]);
    expect(outcomes[0]).toMatchObject({ status: "rejected", reason: { code: "23505" } });
    expect(outcomes[1]).toEqual({ status: "fulfilled", value: { changes: 1 } });
    expect(groups).toEqual([{ members: 2, outcome: "rerun" }]);
    expect(await rows()).toEqual(["1:kept", "9:existing"]);
  });

  it("comes out of a deadlock between two groups with every member's work committed once", async () => {
    await driver.run(`INSERT INTO g (id, v) VALUES (1, 'x'), (2, 'x')`);
    const lockedFirstRow = deferred();
    const lockedSecondRow = deferred();
    const touch = (id: number) => `UPDATE g SET v = v || ? WHERE id = ${id}`;
    // Group one holds row 1 and waits for row 2; group two holds row 2 and waits for row 1.
    const first = [
      driver.transaction(async (tx) => {
        await tx.run(touch(1), ["a"]);
        lockedFirstRow.resolve();
        await lockedSecondRow.promise;
        await tx.run(touch(2), ["a"]);
      }),
      driver.run(touch(1), ["c"]),
    ];
    await lockedFirstRow.promise;
    const second = [
      driver.transaction(async (tx) => {
        await tx.run(touch(2), ["b"]);
        lockedSecondRow.resolve();
        await tx.run(touch(1), ["b"]);
      }),
      driver.run(touch(2), ["d"]),
    ];
    await Promise.all([...first, ...second]);
    const values = await driver.all<{ id: number; v: string }>(`SELECT id, v FROM g ORDER BY id`);
    // Every member's update is in, exactly once, whatever the order PostgreSQL let them in.
    expect(values.map((r) => [r.id, [...r.v].sort().join("")])).toEqual([
      [1, "abcx"],
      [2, "abdx"],
    ]);
    expect(groups.filter((g) => g.outcome === "rerun").length).toBeGreaterThanOrEqual(1);
  });

  it("refuses every waiting caller, with the connection's error, when no connection can be had", async () => {
    const nowhere = new PostgresDriver("postgres://postgres@127.0.0.1:9/none", { max: 2, statisticsIntervalMs: null });
    try {
      const outcomes = await Promise.allSettled([nowhere.all(`SELECT 1`), nowhere.transaction((tx) => tx.run(`SELECT 1`)), nowhere.run(`SELECT 1`)]);
      expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected", "rejected"]);
      expect(outcomes.map((o) => (o as PromiseRejectedResult).reason.code)).toEqual(["ECONNREFUSED", "ECONNREFUSED", "ECONNREFUSED"]);
    } finally {
      await nowhere.close();
    }
  });

  it("keeps a lane held by holdIdleLane to one member of a shared transaction", async () => {
    const store = new SqlStore(driver, new SecretBox(Buffer.alloc(32, 9)));
    await store.migrate(1_800_000_000_000);
    groups = [];
    const held = await Promise.all([1, 2, 3].map(() => store.transaction((tx) => tx.jobs.holdIdleLane("contact:one"))));
    const other = await Promise.all([store.transaction((tx) => tx.jobs.holdIdleLane("contact:two")), store.transaction((tx) => tx.jobs.holdIdleLane("contact:three"))]);
    expect(groups.map((g) => g.members)).toEqual([3, 2]);
    expect(held).toEqual([true, false, false]);
    expect(other).toEqual([true, true]);
  });

  it("hands a follow-up job over, and completes the running job, only as the run that committed did", async () => {
    const store = new SqlStore(driver, new SecretBox(Buffer.alloc(32, 9)));
    await store.migrate(1_800_000_000_000);
    const now = 1_800_000_000_000;
    await store.jobs.enqueue({ kind: "first", payload: {}, runAt: now });
    const [running] = await store.jobs.claim({ limit: 1, now, leaseMs: 60_000, workerId: "w" });
    const handoff: JobHandoff = { workerId: "w", leaseMs: 60_000, now, claimed: null, running };
    groups = [];
    const outcomes = await Promise.allSettled([
      store.transaction(async (tx) => {
        await tx.jobs.enqueue({ kind: "follow-up", lane: "conversation:c1", payload: { n: 1 }, runAt: now }, handoff);
        await tx.jobs.completeWithin(handoff);
      }),
      store.transaction(async () => {
        throw new Error("another member fails");
      }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected"]);
    expect(groups).toEqual([{ members: 2, outcome: "rerun" }]);
    // The rerun alone took the follow-up and completed the job, as if the group had never been.
    expect(handoff.completedInTransaction).toBe(true);
    expect(handoff.claimed).toMatchObject({ kind: "follow-up", lane: "conversation:c1" });
    const jobs = await driver.all<{ id: number; kind: string; state: string; claim_token: string }>(`SELECT id, kind, state, claim_token FROM jobs ORDER BY id`);
    expect(jobs).toEqual([{ id: handoff.claimed!.id, kind: "follow-up", state: "running", claim_token: handoff.claimed!.claimToken }]);
  });
});
