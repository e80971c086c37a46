/**
 * PostgreSQL: renewing the leases of running jobs, and reclaiming the expired ones, never waits for a
 * job row that another transaction holds (one completing that job, as a rule). Waiting made the
 * renewal deadlock with the transactions completing those jobs, and every deadlock stalled both for
 * PostgreSQL's deadlock_timeout (1 s).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ClaimedJob } from "../../backend/src/domain/ports/jobs.js";
import { postgresAvailable } from "../support/postgres.js";
import { makePostgresStore, type StoreHarness } from "../support/stores.js";

const T0 = Date.now();
const LEASE_MS = 15_000;

describe.skipIf(!(await postgresAvailable()))("lease renewal and reclaim on PostgreSQL", () => {
  let h: StoreHarness;

  beforeEach(async () => {
    h = await makePostgresStore();
    await h.store.migrate(T0);
  });
  afterEach(async () => h.cleanup());

  async function claimOne(): Promise<ClaimedJob> {
    const [job] = await h.store.jobs.claim({ limit: 1, now: T0, leaseMs: LEASE_MS, workerId: "w1" });
    if (!job) throw new Error("nothing to claim");
    return job;
  }

  /** Another transaction takes the job's row, as one settling that job does, and keeps it until `release` (then rolls back). */
  async function holdRow(jobId: number): Promise<{ release: () => Promise<void> }> {
    let endTransaction: () => void = () => undefined;
    const transactionMayEnd = new Promise<void>((resolve) => (endTransaction = resolve));
    let rowLocked: () => void = () => undefined;
    const locked = new Promise<void>((resolve) => (rowLocked = resolve));
    const other = h.sql.transaction(async (tx) => {
      await tx.run(`UPDATE jobs SET updated_at = updated_at WHERE id = ?`, [jobId]);
      rowLocked();
      await transactionMayEnd;
      throw new Error("rolled back on purpose");
    });
    const otherSettled = other.catch(() => undefined);
    await locked;
    return {
      release: async () => {
        endTransaction();
        await otherSettled;
      },
    };
  }

  async function withinFiveSeconds<T>(work: Promise<T>): Promise<T | "still waiting"> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([work, new Promise<"still waiting">((resolve) => (timer = setTimeout(() => resolve("still waiting"), 5_000)))]);
    } finally {
      clearTimeout(timer);
    }
  }

  it("skips a job row another transaction holds, renews the rest, and renews that one once it is free", async () => {
    await h.store.jobs.enqueue({ kind: "k", payload: { n: 1 }, runAt: T0 });
    await h.store.jobs.enqueue({ kind: "k", payload: { n: 2 }, runAt: T0 });
    const held = await claimOne();
    const free = await claimOne();

    const other = await holdRow(held.id);
    const until = T0 + 2 * LEASE_MS;
    const outcome = await withinFiveSeconds(h.store.jobs.renewLeases([held.claimToken, free.claimToken], until));
    await other.release();

    expect(outcome).toBe(1);
    const leaseOf = async (id: number) => Number((await h.sql.all<{ locked_until: string }>(`SELECT locked_until FROM jobs WHERE id = ?`, [id]))[0]!.locked_until);
    expect(await leaseOf(free.id)).toBe(until);
    expect(await leaseOf(held.id)).toBe(T0 + LEASE_MS);
    // The next beat finds the row free and renews it too.
    expect(await h.store.jobs.renewLeases([held.claimToken, free.claimToken], until + 1)).toBe(2);
    expect(await leaseOf(held.id)).toBe(until + 1);
  });

  it("reclaims expired jobs without waiting for one another transaction holds, and takes that one once it is free", async () => {
    await h.store.jobs.enqueue({ kind: "k", payload: { n: 1 }, runAt: T0 });
    await h.store.jobs.enqueue({ kind: "k", payload: { n: 2 }, runAt: T0, maxAttempts: 1 });
    await h.store.jobs.enqueue({ kind: "k", payload: { n: 3 }, runAt: T0 });
    const held = await claimOne();
    const lastAttempt = await claimOne();
    const stillLeased = await claimOne();
    await h.store.jobs.renewLeases([stillLeased.claimToken], T0 + 10 * LEASE_MS);

    const other = await holdRow(held.id);
    const afterExpiry = T0 + LEASE_MS + 1;
    const outcome = await withinFiveSeconds(h.store.jobs.reclaimExpired(afterExpiry));
    await other.release();

    expect(outcome).toBe(1);
    const stateOf = async (id: number) => (await h.sql.all<{ state: string }>(`SELECT state FROM jobs WHERE id = ?`, [id]))[0]!.state;
    expect(await stateOf(lastAttempt.id)).toBe("dead");
    expect(await stateOf(held.id)).toBe("running");
    expect(await stateOf(stillLeased.id)).toBe("running");
    // The next look finds the row free: the job goes back to the queue and can be claimed again.
    expect(await h.store.jobs.reclaimExpired(afterExpiry + 1)).toBe(1);
    expect(await stateOf(held.id)).toBe("pending");
    const [again] = await h.store.jobs.claim({ limit: 1, now: afterExpiry + 1, leaseMs: LEASE_MS, workerId: "w2" });
    expect(again?.id).toBe(held.id);
    expect(again?.attempts).toBe(2);
  });
});
