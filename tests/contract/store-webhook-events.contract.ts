/**
 * The webhook ingest hot path: every delivery is stored with one processing job, and only then
 * acknowledged, however many arrive together. Telling a redelivery of the same bytes apart is the
 * processing job's part (openWebhookEvent).
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { StoreHarness } from "../support/stores.js";
import { T0, uniqueId } from "./store-seed.js";

const event = (body: string, receivedAt = T0) => ({ body, bodySha256: createHash("sha256").update(body).digest("hex"), receivedAt });
const envelope = (marker: string) => JSON.stringify({ object: "whatsapp_business_account", entry: [], marker });

interface JobRow {
  payload: string;
  state: string;
}

export function webhookEventContract(getHarness: () => StoreHarness): void {
  describe("webhook events", () => {
    const processJobs = async (): Promise<Map<number, string>> => {
      const rows = await getHarness().sql.all<JobRow>(`SELECT payload, state FROM jobs WHERE kind = 'webhook.process'`);
      const byEvent = new Map<number, string>();
      for (const row of rows) {
        const { eventId } = JSON.parse(row.payload) as { eventId: number };
        expect(byEvent.has(eventId), `two jobs for event ${eventId}`).toBe(false);
        byEvent.set(eventId, row.state);
      }
      return byEvent;
    };
    const eventIdsOf = async (body: string): Promise<number[]> =>
      (await getHarness().sql.all<{ id: number }>(`SELECT id FROM webhook_events WHERE body_sha256 = ? ORDER BY id`, [event(body).bodySha256])).map((r) => Number(r.id));
    const eventIdOf = async (body: string): Promise<number | undefined> => (await eventIdsOf(body))[0];

    it("prunes processed bodies past retention, and keeps recent ones and any still queued or dead", async () => {
      const { store, sql } = getHarness();
      const old = -365 * 24 * 60 * 60_000;
      const processed = envelope(uniqueId("processed"));
      const queued = envelope(uniqueId("queued"));
      const recent = envelope(uniqueId("recent"));
      await store.recordWebhookEvent(event(processed, T0 + old));
      await store.recordWebhookEvent(event(queued, T0 + old));
      await store.recordWebhookEvent(event(recent, T0));
      const processedId = Number(await eventIdOf(processed));
      await sql.run(`DELETE FROM jobs WHERE kind = 'webhook.process' AND payload = ?`, [JSON.stringify({ eventId: processedId })]);
      const recentId = Number(await eventIdOf(recent));
      await store.transaction(async (tx) => {
        expect((await tx.openWebhookEvent(processedId, T0 + old))?.firstDelivery).toBe(true);
        expect((await tx.openWebhookEvent(recentId, T0))?.firstDelivery).toBe(true);
      });
      expect(await store.pruneWebhookEvents(T0 - 1000)).toBe(1);
      expect(await eventIdOf(processed)).toBeUndefined();
      expect(await eventIdOf(queued)).toBeDefined();
      expect(await eventIdOf(recent)).toBeDefined();
      // With the old body gone, a new delivery of its bytes is processed again; the recent claim stays.
      await store.recordWebhookEvent(event(processed, T0));
      await store.recordWebhookEvent(event(recent, T0));
      const [again] = await eventIdsOf(processed);
      const recentAgain = (await eventIdsOf(recent))[1]!;
      const firsts = await store.transaction(async (tx) => [
        (await tx.openWebhookEvent(again!, T0))?.firstDelivery,
        (await tx.openWebhookEvent(recentAgain, T0))?.firstDelivery,
      ]);
      expect(firsts).toEqual([true, false]);
    });

    it("stores each delivery with one job, and lets only the first event claim the same bytes", async () => {
      const { store } = getHarness();
      const body = envelope(uniqueId("twice"));
      await store.recordWebhookEvent(event(body));
      await store.recordWebhookEvent(event(body, T0 + 5));
      const [first, second] = await eventIdsOf(body);
      expect(await store.getWebhookEvent(first!)).toEqual({ id: first, body, bodySha256: event(body).bodySha256, receivedAt: T0 });
      expect(await store.getWebhookEvent(second!)).toMatchObject({ id: second, body, receivedAt: T0 + 5 });
      const jobs = await processJobs();
      expect([jobs.get(first!), jobs.get(second!)]).toEqual(["pending", "pending"]);
      expect(await store.getWebhookEvent(second! + 100_000)).toBeNull();

      const open = (id: number, at: number) => store.transaction((tx) => tx.openWebhookEvent(id, at));
      // A claim rolled back with its transaction holds nothing.
      await expect(
        store.transaction(async (tx) => {
          expect(await tx.openWebhookEvent(second!, T0)).toEqual({ event: { id: second, body, bodySha256: event(body).bodySha256, receivedAt: T0 + 5 }, firstDelivery: true });
          throw new Error("processing failed");
        }),
      ).rejects.toThrow("processing failed");
      expect((await open(first!, T0))?.firstDelivery).toBe(true);
      expect((await open(first!, T0 + 1))?.firstDelivery).toBe(true);
      expect(await open(second!, T0 + 2)).toMatchObject({ event: { id: second, body }, firstDelivery: false });
      expect(await open(second! + 100_000, T0)).toBeNull();
    });

    it("lets exactly one of several deliveries of the same bytes be processed when they race", async () => {
      const h = getHarness();
      const body = envelope(uniqueId("race"));
      for (let i = 0; i < 8; i++) await h.store.recordWebhookEvent(event(body, T0 + i));
      const ids = await eventIdsOf(body);
      expect(ids).toHaveLength(8);
      const other = h.openStore();
      const opened = await Promise.all(ids.map((id, i) => (i % 2 === 0 ? h.store : other).transaction((tx) => tx.openWebhookEvent(id, T0))));
      expect(opened.filter((o) => o?.firstDelivery)).toHaveLength(1);
    });

    it("commits every one of many concurrent bodies, duplicates included, with exactly one job each", async () => {
      const { store } = getHarness();
      const bodies = Array.from({ length: 300 }, (_, i) => envelope(uniqueId(`burst-${i}`)));
      // Every body twice, interleaved, plus a second instance writing a third copy of some.
      const other = getHarness().openStore();
      await Promise.all([
        ...bodies.map((b) => store.recordWebhookEvent(event(b))),
        ...bodies.map((b) => store.recordWebhookEvent(event(b))),
        ...bodies.slice(0, 50).map((b) => other.recordWebhookEvent(event(b))),
      ]);
      const jobs = await processJobs();
      const stored = new Map<string, number[]>();
      for (const row of await getHarness().sql.all<{ id: number; body: string }>(`SELECT id, body FROM webhook_events`)) {
        stored.set(row.body, [...(stored.get(row.body) ?? []), Number(row.id)]);
      }
      bodies.forEach((body, i) => {
        const ids = stored.get(body) ?? [];
        expect(ids, "an acknowledged delivery was not stored").toHaveLength(i < 50 ? 3 : 2);
        for (const id of ids) expect(jobs.has(id), "a stored delivery has no job").toBe(true);
      });
    });

    it("hands back the processing job of a body recorded with a claim, running and leased to that worker, each with its own event", async () => {
      const { store } = getHarness();
      const claim = { workerId: "ingest-worker", leaseMs: 30_000 };
      // Claimed and unclaimed bodies interleaved and written together, so they share batches.
      const bodies = Array.from({ length: 40 }, (_, i) => envelope(uniqueId(`claimed-${i}`)));
      const results = await Promise.all(bodies.map((b, i) => store.recordWebhookEvent(event(b, T0 + i), i % 2 === 0 ? claim : undefined)));
      const jobs = await processJobs();
      const tokens = new Set<string>();
      for (const [i, body] of bodies.entries()) {
        const [eventId] = await eventIdsOf(body);
        const job = results[i];
        if (i % 2 === 1) {
          expect(job).toBeNull();
          expect(jobs.get(eventId!)).toBe("pending");
          continue;
        }
        expect(job).toMatchObject({ kind: "webhook.process", payload: { eventId }, tenantId: null, lane: null, attempts: 1, maxAttempts: 10, createdAt: T0 + i });
        expect(job!.claimToken.startsWith("ingest-worker:")).toBe(true);
        tokens.add(job!.claimToken);
        expect(jobs.get(eventId!)).toBe("running");
      }
      expect(tokens.size).toBe(20);

      // A claim takes the pending ones only; a claimed one comes back once its lease has run out.
      const eventOf = (job: { payload: unknown }) => (job.payload as { eventId: number }).eventId;
      const ids = await Promise.all(bodies.map(async (b) => (await eventIdsOf(b))[0]!));
      const claimedNow = new Set((await store.jobs.claim({ limit: 1_000, now: T0 + 100, leaseMs: 60_000, workerId: "poller" })).map(eventOf));
      expect(ids.map((id) => claimedNow.has(id))).toEqual(ids.map((_, i) => i % 2 === 1));
      const [first, second] = results.filter((job) => job !== null);
      await store.jobs.complete(first!);
      await store.jobs.reclaimExpired(T0 + 29_999);
      expect((await processJobs()).get(eventOf(second!))).toBe("running");
      await store.jobs.reclaimExpired(T0 + 40 + 30_000);
      const after = await processJobs();
      expect(after.has(eventOf(first!))).toBe(false);
      expect(ids.map((id) => after.get(id))).toEqual(ids.map((id, i) => (id === eventOf(first!) ? undefined : i % 2 === 0 ? "pending" : "running")));
    });

    it("has committed every body it acknowledged when the store closes", async () => {
      const h = getHarness();
      const instance = h.openStore();
      const bodies = Array.from({ length: 40 }, (_, i) => envelope(uniqueId(`close-${i}`)));
      const acknowledged = bodies.map((b) => instance.recordWebhookEvent(event(b)));
      await instance.close();
      await Promise.all(acknowledged);
      for (const body of bodies) expect(await eventIdOf(body)).toBeDefined();
    });
  });
}
