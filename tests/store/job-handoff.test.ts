import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresDriver } from "../../backend/src/adapters/store/postgres-driver.js";
import type { SqlExecutor } from "../../backend/src/adapters/store/sql-driver.js";
import { SqliteDriver } from "../../backend/src/adapters/store/sqlite-driver.js";
import { SqlStore } from "../../backend/src/adapters/store/sql-store.js";
import type { JobHandoff, NewJob } from "../../backend/src/domain/ports/jobs.js";
import { SecretBox } from "../../backend/src/security/secret-box.js";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../support/postgres.js";

describe.each(["sqlite", "postgres"] as const)("job hand-off (%s)", (kind) => {
  let store: SqlStore | null = null;
  let dir: string | null = null;
  let database: TestDatabase | null = null;
  const now = 1_800_000_000_000;
  const handoff = (): JobHandoff => ({ workerId: "w1", leaseMs: 60_000, now, claimed: null });
  const state = async (id: number) =>
    (await (store as unknown as { driver: SqlExecutor }).driver.all<{ state: string; claim_token: string | null }>(`SELECT state, claim_token FROM jobs WHERE id = ?`, [id]))[0];

  const jobsOfKind = async (kind: string) =>
    Number((await (store as unknown as { driver: SqlExecutor }).driver.all<{ n: number }>(`SELECT COUNT(*) AS n FROM jobs WHERE kind = ?`, [kind]))[0]!.n);

  beforeAll(async () => {
    if (kind === "postgres") {
      if (!(await postgresAvailable())) return;
      database = await createTestDatabase();
      store = new SqlStore(new PostgresDriver(database.url), new SecretBox(Buffer.alloc(32, 3)));
    } else {
      dir = mkdtempSync(join(tmpdir(), "salesbot-handoff-"));
      store = new SqlStore(new SqliteDriver(join(dir, "db.sqlite")), new SecretBox(Buffer.alloc(32, 3)));
    }
    await store.migrate(now);
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("inserts a follow-up as claimed by the worker when its lane is idle, once per hand-off", async (context) => {
    if (!store) return context.skip();
    const h = handoff();
    await store.transaction(async (tx) => {
      await tx.jobs.enqueue({ kind: "k", lane: "lane:a", payload: { n: 1 }, runAt: now }, h);
      await tx.jobs.enqueue({ kind: "k", lane: "lane:b", payload: { n: 2 }, runAt: now }, h);
    });
    expect(h.claimed).toMatchObject({ kind: "k", lane: "lane:a", payload: { n: 1 }, attempts: 1 });
    expect(await state(h.claimed!.id)).toEqual({ state: "running", claim_token: h.claimed!.claimToken });
    // The second job was queued as usual and is claimable.
    const claimed = await store.jobs.claim({ limit: 10, now, leaseMs: 60_000, workerId: "w2" });
    expect(claimed.map((j) => j.payload)).toEqual([{ n: 2 }]);
    for (const job of [h.claimed!, ...claimed]) await store.jobs.complete(job);
    expect(await state(h.claimed!.id)).toBeUndefined();
  });

  it("queues behind a pending or running job of the lane, and merges into a pending job with the dedup key", async (context) => {
    if (!store) return context.skip();
    await store.jobs.enqueue({ kind: "k", lane: "lane:c", payload: { first: true }, runAt: now });
    const h1 = handoff();
    await store.transaction((tx) => tx.jobs.enqueue({ kind: "k", lane: "lane:c", payload: { second: true }, runAt: now }, h1));
    expect(h1.claimed).toBeNull();

    const [running] = await store.jobs.claim({ limit: 1, now, leaseMs: 60_000, workerId: "w2" });
    expect(running!.payload).toEqual({ first: true });
    const h2 = handoff();
    await store.transaction((tx) => tx.jobs.enqueue({ kind: "k", lane: "lane:c", payload: { third: true }, runAt: now }, h2));
    expect(h2.claimed).toBeNull();
    await store.jobs.complete(running!);
    const rest = await store.jobs.claim({ limit: 10, now, leaseMs: 60_000, workerId: "w2" });
    expect(rest.map((j) => j.payload)).toEqual([{ second: true }]);
    await store.jobs.complete(rest[0]!);
    const last = await store.jobs.claim({ limit: 10, now, leaseMs: 60_000, workerId: "w2" });
    expect(last.map((j) => j.payload)).toEqual([{ third: true }]);
    await store.jobs.complete(last[0]!);

    await store.jobs.enqueue({ kind: "reply", lane: "conv:1", dedupKey: "reply:1", payload: { v: 1 }, runAt: now + 5000 });
    const h3 = handoff();
    await store.transaction((tx) => tx.jobs.enqueue({ kind: "reply", lane: "conv:2", dedupKey: "reply:1", payload: { v: 2 }, runAt: now }, h3));
    expect(h3.claimed).toBeNull();
    const merged = await store.jobs.claim({ limit: 10, now: now + 10_000, leaseMs: 60_000, workerId: "w2" });
    expect(merged.map((j) => j.payload)).toEqual([{ v: 2 }]);
    await store.jobs.complete(merged[0]!);
  });

  /** Claims a job of its own to stand for the running one, then queues `follow` with a hand-off and completes it. */
  const completeHandingOff = async (...follow: NewJob[]): Promise<JobHandoff> => {
    await store!.jobs.enqueue({ kind: "current", payload: {}, runAt: now });
    const [running] = await store!.jobs.claim({ limit: 1, now, leaseMs: 60_000, workerId: "w1" });
    expect(running?.kind).toBe("current");
    const h: JobHandoff = { ...handoff(), running };
    await store!.transaction(async (tx) => {
      for (const job of follow) await tx.jobs.enqueue(job, h);
      await tx.jobs.completeWithin(h);
    });
    expect(h.completedInTransaction).toBe(true);
    expect(await state(running!.id)).toBeUndefined();
    return h;
  };

  it("writes a follow-up with the running job's completion: claimed when its lane is idle, else behind the lane or merged by dedup key", async (context) => {
    if (!store) return context.skip();
    const idle = await completeHandingOff({ kind: "k", lane: "lane:f", payload: { n: 1 }, runAt: now });
    expect(idle.claimed).toMatchObject({ kind: "k", lane: "lane:f", payload: { n: 1 }, attempts: 1 });
    expect(await state(idle.claimed!.id)).toEqual({ state: "running", claim_token: idle.claimed!.claimToken });

    const behind = await completeHandingOff({ kind: "k", lane: "lane:f", payload: { n: 2 }, runAt: now });
    expect(behind.claimed).toBeNull();
    expect(await store.jobs.claim({ limit: 10, now, leaseMs: 60_000, workerId: "w2" })).toEqual([]);
    await store.jobs.complete(idle.claimed!);
    const next = await store.jobs.claim({ limit: 10, now, leaseMs: 60_000, workerId: "w2" });
    expect(next.map((j) => j.payload)).toEqual([{ n: 2 }]);
    await store.jobs.complete(next[0]!);

    await store.jobs.enqueue({ kind: "reply", lane: "conv:9", dedupKey: "reply:9", payload: { v: 1 }, runAt: now + 5000 });
    const merged = await completeHandingOff({ kind: "reply", lane: "conv:10", dedupKey: "reply:9", payload: { v: 2 }, runAt: now });
    expect(merged.claimed).toBeNull();
    const replies = await store.jobs.claim({ limit: 10, now: now + 10_000, leaseMs: 60_000, workerId: "w2" });
    expect(replies.map((j) => j.payload)).toEqual([{ v: 2 }]);
    await store.jobs.complete(replies[0]!);
  });

  it("keeps a lane's order when jobs are queued after a held hand-off, and refuses a job queued after completeWithin", async (context) => {
    if (!store) return context.skip();
    const h = await completeHandingOff(
      { kind: "k", lane: "lane:g", payload: { n: 1 }, runAt: now },
      { kind: "k", lane: "lane:g", payload: { n: 2 }, runAt: now },
    );
    expect(h.claimed?.payload).toEqual({ n: 1 });
    await store.jobs.complete(h.claimed!);
    const second = await store.jobs.claim({ limit: 10, now, leaseMs: 60_000, workerId: "w2" });
    expect(second.map((j) => j.payload)).toEqual([{ n: 2 }]);
    await store.jobs.complete(second[0]!);

    await store.transaction(async (tx) => {
      await tx.jobs.completeWithin(handoff());
      await expect(tx.jobs.enqueue({ kind: "late", payload: {}, runAt: now })).rejects.toThrow(/after completeWithin/);
    });
    expect(await jobsOfKind("late")).toBe(0);
  });

  it("completes the running job with the transaction that hands off its follow-up, and not if that transaction rolls back", async (context) => {
    if (!store) return context.skip();
    await store.jobs.enqueue({ kind: "stage1", lane: "lane:d", payload: {}, runAt: now });
    const [running] = await store.jobs.claim({ limit: 1, now, leaseMs: 60_000, workerId: "w1" });
    expect(running?.kind).toBe("stage1");

    const failed: JobHandoff = { ...handoff(), running };
    await expect(
      store.transaction(async (tx) => {
        await tx.jobs.enqueue({ kind: "stage2", lane: "lane:e", payload: {}, runAt: now }, failed);
        await tx.jobs.completeWithin(failed);
        throw new Error("the use case failed after queueing");
      }),
    ).rejects.toThrow("the use case failed");
    expect(await state(running!.id)).toEqual({ state: "running", claim_token: running!.claimToken });
    // PostgreSQL writes the hand-off with COMMIT, so it never ran; SQLite wrote it and rolled it back.
    if (failed.claimed) expect(await state(failed.claimed.id)).toBeUndefined();
    expect(await jobsOfKind("stage2")).toBe(0);

    const done: JobHandoff = { ...handoff(), running };
    await store.transaction(async (tx) => {
      await tx.jobs.enqueue({ kind: "stage2", lane: "lane:e", payload: {}, runAt: now }, done);
      await tx.jobs.completeWithin(done);
    });
    expect(done.completedInTransaction).toBe(true);
    expect(await state(running!.id)).toBeUndefined();
    expect(await state(done.claimed!.id)).toEqual({ state: "running", claim_token: done.claimed!.claimToken });
    await store.jobs.complete(done.claimed!);
  });
});
