/**
 * PostgreSQL: renewing the leases of running jobs never waits for a job row that another transaction
 * holds (one completing that job, as a rule). Waiting made the renewal deadlock with the transactions
 * completing those jobs, and every deadlock stalled both for PostgreSQL's deadlock_timeout (1 s).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ClaimedJob } from "../../backend/src/domain/ports/jobs.js";
import { postgresAvailable } from "../support/postgres.js";
import { makePostgresStore, type StoreHarness } from "../support/stores.js";

const T0 = Date.now();
const LEASE_MS = 15_000;

describe.skipIf(!(await postgresAvailable()))("lease renewal on PostgreSQL", () => {
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

  it("skips a job row another transaction holds, renews the rest, and renews that one once it is free", async () => {
    await h.store.jobs.enqueue({ kind: "k", payload: { n: 1 }, runAt: T0 });
    await h.store.jobs.enqueue({ kind: "k", payload: { n: 2 }, runAt: T0 });
    const held = await claimOne();
    const free = await claimOne();

    let endTransaction: () => void = () => undefined;
    const transactionMayEnd = new Promise<void>((resolve) => (endTransaction = resolve));
    let rowLocked: () => void = () => undefined;
    const locked = new Promise<void>((resolve) => (rowLocked = resolve));
    // Another transaction has the first job's row, as one settling that job has, and keeps it a while.
    const other = h.sql.transaction(async (tx) => {
      await tx.run(`UPDATE jobs SET updated_at = ? WHERE id = ?`, [T0 + 1, held.id]);
      rowLocked();
      await transactionMayEnd;
      throw new Error("rolled back on purpose");
    });
    const otherSettled = other.catch(() => undefined);
    await locked;

    const until = T0 + 2 * LEASE_MS;
    const outcome = await Promise.race([
      h.store.jobs.renewLeases([held.claimToken, free.claimToken], until),
      new Promise<"still waiting">((resolve) => setTimeout(() => resolve("still waiting"), 5_000)),
    ]);
    endTransaction();
    await otherSettled;

    expect(outcome).toBe(1);
    const leaseOf = async (id: number) => Number((await h.sql.all<{ locked_until: string }>(`SELECT locked_until FROM jobs WHERE id = ?`, [id]))[0]!.locked_until);
    expect(await leaseOf(free.id)).toBe(until);
    expect(await leaseOf(held.id)).toBe(T0 + LEASE_MS);
    // The next beat finds the row free and renews it too.
    expect(await h.store.jobs.renewLeases([held.claimToken, free.claimToken], until + 1)).toBe(2);
    expect(await leaseOf(held.id)).toBe(until + 1);
  });
});
