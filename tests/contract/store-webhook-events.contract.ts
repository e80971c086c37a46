/**
 * The webhook ingest hot path: a body is stored once, with one processing job, and only then
 * acknowledged, however many arrive together.
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
    const eventIdOf = async (body: string): Promise<number | undefined> =>
      (await getHarness().sql.all<{ id: number }>(`SELECT id FROM webhook_events WHERE body_sha256 = ?`, [event(body).bodySha256]))[0]?.id;

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
      expect(await store.pruneWebhookEvents(T0 - 1000)).toBe(1);
      expect(await eventIdOf(processed)).toBeUndefined();
      expect(await eventIdOf(queued)).toBeDefined();
      expect(await eventIdOf(recent)).toBeDefined();
    });

    it("stores a body once, queues one job for it, and calls the same bytes again a duplicate", async () => {
      const { store } = getHarness();
      const body = envelope(uniqueId("once"));
      expect(await store.recordWebhookEvent(event(body))).toEqual({ duplicate: false });
      expect(await store.recordWebhookEvent(event(body, T0 + 5))).toEqual({ duplicate: true });
      const id = Number(await eventIdOf(body));
      expect(await store.getWebhookEvent(id)).toEqual({ id, body, receivedAt: T0 });
      expect((await processJobs()).get(id)).toBe("pending");
      expect(await store.getWebhookEvent(id + 100_000)).toBeNull();
    });

    it("commits every one of many concurrent bodies, duplicates included, with exactly one job each", async () => {
      const { store } = getHarness();
      const bodies = Array.from({ length: 300 }, (_, i) => envelope(uniqueId(`burst-${i}`)));
      // Every body twice, interleaved, plus a second instance writing a third copy of some.
      const other = getHarness().openStore();
      const results = await Promise.all([
        ...bodies.map((b) => store.recordWebhookEvent(event(b))),
        ...bodies.map((b) => store.recordWebhookEvent(event(b))),
        ...bodies.slice(0, 50).map((b) => other.recordWebhookEvent(event(b))),
      ]);
      expect(results.filter((r) => !r.duplicate)).toHaveLength(bodies.length);
      const jobs = await processJobs();
      const stored = new Map(
        (await getHarness().sql.all<{ id: number; body: string }>(`SELECT id, body FROM webhook_events`)).map((row) => [row.body, Number(row.id)]),
      );
      for (const body of bodies) {
        const id = stored.get(body);
        expect(id, "a body was acknowledged but not stored").toBeDefined();
        expect(jobs.has(id!), "a stored body has no job").toBe(true);
      }
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
