/**
 * The job queue's contract, run against each engine. Time is passed in explicitly, so leases,
 * backoff and run times are tested without sleeping (only lane locking waits, for a commit).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ClaimedJob, JobHandoff, JobQueue, NewJob } from "../../backend/src/domain/ports/jobs.js";
import type { MakeStore, StoreHarness } from "../support/stores.js";
import { T0 } from "./store-seed.js";

interface JobRow {
  state: string;
  attempts: number;
  run_at: number;
  claim_token: string | null;
  last_error: string | null;
}

export function jobQueueContract(name: string, makeStore: MakeStore): void {
  describe(`job queue contract: ${name}`, () => {
    let h: StoreHarness;
    let queue: JobQueue;
    beforeAll(async () => {
      h = await makeStore();
      await h.store.migrate(T0);
      queue = h.store.jobs;
    });
    afterAll(async () => h?.cleanup());
    beforeEach(async () => {
      await h.sql.run(`DELETE FROM jobs`);
    });

    let serial = 0;
    const enqueue = (fields: Partial<NewJob> = {}) => queue.enqueue({ kind: "test.job", payload: { n: ++serial }, runAt: T0, ...fields });
    const claim = (now: number, limit = 100, leaseMs = 30_000, q: JobQueue = queue) => q.claim({ limit, now, leaseMs, workerId: "w" });
    const claimOne = async (now: number): Promise<ClaimedJob> => {
      const [job, ...rest] = await claim(now, 1);
      if (!job || rest.length > 0) throw new Error(`expected one job at ${now}`);
      return job;
    };
    const row = async (id: number): Promise<JobRow | undefined> =>
      (await h.sql.all<JobRow>(`SELECT state, attempts, run_at, claim_token, last_error FROM jobs WHERE id = ?`, [id]))[0];
    const numbers = (jobs: ClaimedJob[]) => jobs.map((j) => (j.payload as { n: number }).n);

    it("hands out a due job once, with its payload, and forgets it when completed", async () => {
      await enqueue({ payload: { hello: "world" }, tenantId: "t1", lane: "l1", maxAttempts: 4 });
      const [job] = await claim(T0);
      expect(job).toMatchObject({ kind: "test.job", payload: { hello: "world" }, tenantId: "t1", lane: "l1", attempts: 1, maxAttempts: 4, createdAt: T0 });
      expect(await claim(T0)).toEqual([]);
      expect(await queue.counts()).toEqual({ pending: 0, running: 1, dead: 0 });
      await queue.complete(job!);
      expect(await queue.counts()).toEqual({ pending: 0, running: 0, dead: 0 });
      expect(await row(job!.id)).toBeUndefined();
    });

    it("completes a running job inside a transaction only if that transaction commits", async () => {
      await enqueue({ lane: "in-tx" });
      const job = await claimOne(T0);
      const handoff = { workerId: "w", leaseMs: 30_000, now: T0, claimed: null, running: job };
      await expect(
        h.store.transaction(async (tx) => {
          await tx.jobs.completeWithin(handoff);
          throw new Error("rolled back");
        }),
      ).rejects.toThrow("rolled back");
      expect(await row(job.id)).toMatchObject({ state: "running", claim_token: job.claimToken });

      const again: JobHandoff = { workerId: "w", leaseMs: 30_000, now: T0, claimed: null, running: job };
      await h.store.transaction(async (tx) => {
        await tx.jobs.enqueue({ kind: "test.job", payload: { n: ++serial }, runAt: T0, lane: "in-tx" });
        await tx.jobs.completeWithin(again);
      });
      expect(again.completedInTransaction).toBe(true);
      expect(await row(job.id)).toBeUndefined();
      // Its lane is free again: the next job of the lane can be claimed.
      expect(await claim(T0)).toHaveLength(1);
      await h.store.transaction((tx) => tx.jobs.completeWithin(undefined));
    });

    it("does not hand out a job before its run time, and hands out due jobs by run time up to the limit", async () => {
      await enqueue({ runAt: T0 + 1_000, payload: { n: 1 } });
      await enqueue({ runAt: T0 + 500, payload: { n: 2 } });
      await enqueue({ runAt: T0 + 500, payload: { n: 3 } });
      expect(await claim(T0 + 499)).toEqual([]);
      expect(numbers(await claim(T0 + 999, 1))).toEqual([2]);
      expect(numbers(await claim(T0 + 2_000))).toEqual([1, 3]);
    });

    it("retries with backoff and dead-letters after the last attempt", async () => {
      await enqueue({ maxAttempts: 3 });
      let now = T0;
      for (const attempt of [1, 2]) {
        const job = await claimOne(now);
        expect(job.attempts).toBe(attempt);
        expect(await queue.fail(job, `boom ${attempt}`, now + 1_000, now)).toBe("retrying");
        expect(await claim(now + 999)).toEqual([]);
        now += 1_000;
      }
      const last = await claimOne(now);
      expect(last.attempts).toBe(3);
      expect(await queue.fail(last, "boom 3", now + 1_000, now)).toBe("dead");
      expect(await claim(now + 10_000)).toEqual([]);
      expect(await queue.counts()).toEqual({ pending: 0, running: 0, dead: 1 });
      expect(await queue.listDead(10)).toEqual([expect.objectContaining({ id: last.id, kind: "test.job", attempts: 3, lastError: "boom 3" })]);
    });

    it("dead-letters at once when told there is no point retrying", async () => {
      await enqueue({ maxAttempts: 10 });
      const job = await claimOne(T0);
      expect(await queue.fail(job, "unreadable payload", null, T0)).toBe("dead");
      expect((await row(job.id))?.state).toBe("dead");
    });

    it("replays a dead job from scratch, once", async () => {
      await enqueue({ maxAttempts: 1, payload: { n: 42 } });
      const job = await claimOne(T0);
      await queue.fail(job, "boom", T0 + 1, T0);
      const [dead] = await queue.listDead(10);
      expect(await queue.replayDead(dead!.id, T0 + 100)).toBe(true);
      expect(await queue.replayDead(dead!.id, T0 + 100)).toBe(false);
      expect(await queue.replayDead(999_999, T0 + 100)).toBe(false);
      expect(await queue.listDead(10)).toEqual([]);
      const again = await claimOne(T0 + 100);
      expect(again).toMatchObject({ id: dead!.id, attempts: 1, payload: { n: 42 } });
    });

    it("postpones without spending an attempt", async () => {
      await enqueue({ maxAttempts: 1 });
      const first = await claimOne(T0);
      await queue.postpone(first, T0 + 60_000);
      expect(await claim(T0 + 59_999)).toEqual([]);
      const second = await claimOne(T0 + 60_000);
      expect(second.attempts).toBe(1);
      expect(await queue.fail(second, "boom", T0 + 61_000, T0 + 60_000)).toBe("dead");
    });

    describe("lanes", () => {
      it("never runs two jobs of a lane at once, keeps their order, and does not hold up other lanes", async () => {
        await enqueue({ lane: "a", payload: { n: 1 } });
        await enqueue({ lane: "a", payload: { n: 2 } });
        await enqueue({ lane: "b", payload: { n: 3 } });
        await enqueue({ lane: null, payload: { n: 4 } });
        await enqueue({ lane: null, payload: { n: 5 } });
        const first = await claim(T0);
        expect(numbers(first)).toEqual([1, 3, 4, 5]);
        expect(await claim(T0)).toEqual([]);
        await queue.complete(first.find((j) => j.lane === "b")!);
        expect(await claim(T0)).toEqual([]);
        await queue.complete(first.find((j) => j.lane === "a")!);
        expect(numbers(await claim(T0))).toEqual([2]);
      });

      it("runs a lane first in, first out, even when a later job is due earlier", async () => {
        await enqueue({ lane: "a", runAt: T0 + 100, payload: { n: 1 } });
        await enqueue({ lane: "a", runAt: T0, payload: { n: 2 } });
        await enqueue({ lane: "a", runAt: T0, payload: { n: 3 } });
        expect(await claim(T0 + 50)).toEqual([]);
        const order: number[] = [];
        for (let i = 0; i < 3; i++) {
          const job = await claimOne(T0 + 100);
          order.push(...numbers([job]));
          await queue.complete(job);
        }
        expect(order).toEqual([1, 2, 3]);
      });

      it("holds a lane behind a job waiting to be retried, but not behind a dead one", async () => {
        await enqueue({ lane: "a", maxAttempts: 2, payload: { n: 1 } });
        await enqueue({ lane: "a", payload: { n: 2 } });
        const first = await claimOne(T0);
        await queue.fail(first, "boom", T0 + 1_000, T0);
        expect(await claim(T0 + 500)).toEqual([]);
        const retried = await claimOne(T0 + 1_000);
        expect(numbers([retried])).toEqual([1]);
        await queue.fail(retried, "boom again", T0 + 2_000, T0 + 1_000);
        expect((await row(retried.id))?.state).toBe("dead");
        expect(numbers(await claim(T0 + 1_000))).toEqual([2]);
      });
      it("tells whether a lane is idle: nothing pending or running (a dead job does not count)", async () => {
        const idle = (lane: string) => h.store.transaction((tx) => tx.jobs.holdIdleLane(lane));
        expect(await idle("a")).toBe(true);
        await enqueue({ lane: "a", maxAttempts: 1 });
        expect(await idle("a")).toBe(false);
        const job = await claimOne(T0);
        expect(await idle("a")).toBe(false);
        expect(await idle("b")).toBe(true);
        await queue.fail(job, "boom", null, T0);
        expect(await idle("a")).toBe(true);
      });

      it("keeps a lane it found idle to itself until the transaction ends: a job queued meanwhile waits for the commit", async () => {
        let queued = false;
        let queueing: Promise<void> | undefined;
        await h.store.transaction(async (tx) => {
          expect(await tx.jobs.holdIdleLane("held")).toBe(true);
          queueing = enqueue({ lane: "held" }).then(() => {
            queued = true;
          });
          await new Promise((resolve) => setTimeout(resolve, 150));
          expect(queued).toBe(false);
        });
        await queueing;
        expect(queued).toBe(true);
        expect(await claim(T0)).toHaveLength(1);
      });
    });

    describe("dedup keys", () => {
      it("merges a pending job with a newer one: the run time moves, capped by notAfter, and the newest payload wins", async () => {
        await enqueue({ dedupKey: "reply:c1", runAt: T0 + 100, notAfter: T0 + 300, payload: { n: 1 } });
        await enqueue({ dedupKey: "reply:c1", runAt: T0 + 200, notAfter: T0 + 999, payload: { n: 2 } });
        expect(await queue.counts()).toEqual({ pending: 1, running: 0, dead: 0 });
        expect(await claim(T0 + 199)).toEqual([]);
        await enqueue({ dedupKey: "reply:c1", runAt: T0 + 500, payload: { n: 3 } });
        expect(await claim(T0 + 299)).toEqual([]);
        const [job, ...more] = await claim(T0 + 300);
        expect(more).toEqual([]);
        expect(job?.payload).toEqual({ n: 3 });
      });

      it("does not merge into a job that is already running: the new work gets a job of its own", async () => {
        await enqueue({ dedupKey: "reply:c2", lane: "conversation:c2", payload: { n: 1 } });
        const running = await claimOne(T0);
        await enqueue({ dedupKey: "reply:c2", lane: "conversation:c2", runAt: T0 + 10, payload: { n: 2 } });
        expect(await queue.counts()).toEqual({ pending: 1, running: 1, dead: 0 });
        await queue.complete(running);
        const next = await claimOne(T0 + 10);
        expect(next.payload).toEqual({ n: 2 });
      });

      it("can still retry, postpone, reclaim or replay a job whose key a newer pending job now holds", async () => {
        await enqueue({ dedupKey: "reply:c3", payload: { n: 1 }, maxAttempts: 3 });
        const first = await claimOne(T0);
        await enqueue({ dedupKey: "reply:c3", payload: { n: 2 }, runAt: T0 + 100_000 });
        expect(await queue.fail(first, "boom", T0 + 1_000, T0)).toBe("retrying");
        const retried = await claimOne(T0 + 1_000);
        await queue.postpone(retried, T0 + 2_000);
        const postponed = await claimOne(T0 + 2_000);
        expect(await queue.reclaimExpired(T0 + 2_000 + 30_000)).toBe(1);
        const reclaimed = await claimOne(T0 + 40_000);
        expect(reclaimed.id).toBe(postponed.id);
        expect(await queue.fail(reclaimed, "no", null, T0 + 40_000)).toBe("dead");
        expect(await queue.replayDead(reclaimed.id, T0 + 41_000)).toBe(true);
        // Both jobs are still there and both run: each one's work is done.
        expect(numbers(await claim(T0 + 100_000)).sort()).toEqual([1, 2]);
      });
    });

    describe("leases", () => {
      it("returns a job to the queue when its worker's lease expires", async () => {
        await enqueue();
        const crashed = await claim(T0, 10, 1_000);
        expect(await queue.reclaimExpired(T0 + 999)).toBe(0);
        expect(await claim(T0 + 999)).toEqual([]);
        expect(await queue.reclaimExpired(T0 + 1_000)).toBe(1);
        const again = await claimOne(T0 + 1_000);
        expect(again).toMatchObject({ id: crashed[0]!.id, attempts: 2 });
      });

      it("renews the leases of the running jobs claimed under the given tokens, and no others", async () => {
        await enqueue();
        await enqueue();
        const [kept] = await claim(T0, 1, 1_000);
        const [abandoned] = await claim(T0, 1, 1_000);
        expect(await queue.renewLeases([kept!.claimToken, "w:not-a-claim"], T0 + 5_000)).toBe(1);
        expect(await queue.renewLeases([], T0 + 9_000)).toBe(0);
        expect(await queue.reclaimExpired(T0 + 1_000)).toBe(1);
        expect(await row(abandoned!.id)).toMatchObject({ state: "pending", claim_token: null });
        expect(await row(kept!.id)).toMatchObject({ state: "running", claim_token: kept!.claimToken });
        expect(await queue.reclaimExpired(T0 + 5_000)).toBe(1);
        // Neither is running under those tokens any more: nothing to renew.
        expect(await queue.renewLeases([abandoned!.claimToken, kept!.claimToken], T0 + 60_000)).toBe(0);
      });

      it("dead-letters a job whose worker stopped on its last attempt", async () => {
        await enqueue({ maxAttempts: 1 });
        const [job] = await claim(T0, 10, 1_000);
        expect(await queue.reclaimExpired(T0 + 1_000)).toBe(1);
        expect(await queue.listDead(10)).toEqual([expect.objectContaining({ id: job!.id, lastError: expect.stringContaining("stopped") })]);
      });

      it("ignores a stale worker that tries to settle a job someone else has claimed since", async () => {
        await enqueue();
        const stale = (await claim(T0, 10, 1_000))[0]!;
        await queue.reclaimExpired(T0 + 1_000);
        const fresh = await claimOne(T0 + 1_000);
        await queue.complete(stale);
        await queue.fail(stale, "late failure", T0 + 5_000, T0 + 1_500);
        await queue.postpone(stale, T0 + 9_000);
        expect(await row(fresh.id)).toMatchObject({ state: "running", attempts: 2, claim_token: fresh.claimToken, last_error: null });
        await queue.complete(fresh);
        expect(await row(fresh.id)).toBeUndefined();
      });
    });

    it("counts running jobs and pending jobs that are due", async () => {
      await enqueue({ runAt: T0 });
      await enqueue({ runAt: T0 + 100 });
      await enqueue({ runAt: T0 + 5_000 });
      await enqueue({ runAt: T0, maxAttempts: 1 });
      expect(await queue.countDue(T0 + 100)).toBe(3);
      const [job] = await claim(T0, 1);
      await queue.fail(job!, "dead now", null, T0);
      expect(await queue.countDue(T0 + 100)).toBe(2);
      await claim(T0 + 100);
      expect(await queue.countDue(T0)).toBe(2);
      expect(await queue.counts()).toEqual({ pending: 1, running: 2, dead: 1 });
    });

    it("tells when the next waiting job falls due", async () => {
      expect(await queue.nextRunAt(T0)).toBeNull();
      await enqueue({ runAt: T0 });
      await enqueue({ runAt: T0 + 9_000 });
      await enqueue({ runAt: T0 + 4_000 });
      expect(await queue.nextRunAt(T0)).toBe(T0 + 4_000);
      expect(await queue.nextRunAt(T0 + 4_000)).toBe(T0 + 9_000);
      expect(await queue.nextRunAt(T0 + 9_000)).toBeNull();
      // Running and dead jobs wait for nothing; a retry does.
      const early = await claimOne(T0 + 5_000);
      expect(early.runAt).toBe(T0);
      const later = await claimOne(T0 + 5_000);
      expect(later.runAt).toBe(T0 + 4_000);
      await queue.fail(later, "dead now", null, T0 + 5_000);
      expect(await queue.nextRunAt(T0 + 5_000)).toBe(T0 + 9_000);
      await queue.fail(early, "try again", T0 + 7_000, T0 + 5_000);
      expect(await queue.nextRunAt(T0 + 5_000)).toBe(T0 + 7_000);
    });

    it("never hands one job to two claimers, across instances", async () => {
      for (let i = 0; i < 200; i++) await enqueue({ lane: i % 3 === 0 ? null : `lane-${i % 7}` });
      const instances = [queue, h.openStore().jobs];
      const seen = new Map<number, number>();
      const worker = async (q: JobQueue) => {
        for (;;) {
          const jobs = await claim(T0, 5, 30_000, q);
          if (jobs.length === 0 && (await q.countDue(T0)) === 0) return;
          for (const job of jobs) {
            seen.set(job.id, (seen.get(job.id) ?? 0) + 1);
            await q.complete(job);
          }
        }
      };
      await Promise.all([0, 1, 2, 3].map((i) => worker(instances[i % 2]!)));
      expect(seen.size).toBe(200);
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
    });
  });
}
