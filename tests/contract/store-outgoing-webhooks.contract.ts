/**
 * Outgoing webhook subscriptions, deliveries and their attempt log: sealed secrets, one delivery per
 * (subscription, event), and every read and write bound to the tenant it names.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { SqlStore } from "../../backend/src/adapters/store/sql-store.js";
import type { DeliveryAttempt, WebhookSubscription } from "../../backend/src/domain/ports/webhooks.js";
import type { StoreHarness } from "../support/stores.js";
import { seedTenant, T0, uniqueId } from "./store-seed.js";

export function outgoingWebhookContract(getHarness: () => StoreHarness): void {
  let store: SqlStore;
  beforeAll(() => {
    store = getHarness().store;
  });

  const subscription = (tenantId: string, overrides: Partial<WebhookSubscription> = {}): WebhookSubscription => ({
    id: uniqueId("wh"),
    tenantId,
    url: "https://hooks.example.com/in",
    events: ["handoff.created"],
    active: true,
    description: null,
    createdAt: T0,
    ...overrides,
  });
  const delivery = (s: WebhookSubscription, eventId = uniqueId("evt")) => ({
    id: uniqueId("dl"),
    tenantId: s.tenantId,
    subscriptionId: s.id,
    eventId,
    eventType: "handoff.created",
    body: `{"id":"${eventId}"}`,
    createdAt: T0 + 1,
  });
  const attempt = (tenantId: string, deliveryId: string, overrides: Partial<DeliveryAttempt> = {}): DeliveryAttempt => ({
    tenantId,
    deliveryId,
    attempt: 1,
    at: T0 + 10,
    statusCode: 500,
    durationMs: 12,
    outcome: "retry",
    error: "HTTP 500",
    responseExcerpt: "oops",
    nextRetryAt: T0 + 30_000,
    ...overrides,
  });

  describe("outgoing webhooks", () => {
    it("stores a subscription with its secret sealed, and opens it only through signingSecret", async () => {
      const { tenantId } = await seedTenant(store);
      const s = subscription(tenantId, { events: null, description: "n8n" });
      await store.webhooks.createSubscription(s, "whsec_plaintext-secret-value");
      expect(await store.webhooks.getSubscription(tenantId, s.id)).toEqual(s);
      expect(await store.webhooks.listSubscriptions(tenantId)).toEqual([s]);
      expect(JSON.stringify(await store.webhooks.listSubscriptions(tenantId))).not.toContain("plaintext");
      expect(await store.webhooks.signingSecret(tenantId, s.id)).toBe("whsec_plaintext-secret-value");
      const [row] = await getHarness().sql.all<{ secret_enc: string }>(`SELECT secret_enc FROM webhook_subscriptions WHERE id = ?`, [s.id]);
      expect(row!.secret_enc).not.toContain("plaintext");
    });

    it("hides one tenant's subscriptions and deliveries from another", async () => {
      const a = await seedTenant(store);
      const b = await seedTenant(store);
      const s = subscription(a.tenantId);
      await store.webhooks.createSubscription(s, "secret-a");
      const d = delivery(s);
      expect(await store.webhooks.createDelivery(d)).toBe(true);
      expect(await store.webhooks.listSubscriptions(b.tenantId)).toEqual([]);
      expect(await store.webhooks.getSubscription(b.tenantId, s.id)).toBeNull();
      expect(await store.webhooks.signingSecret(b.tenantId, s.id)).toBeNull();
      expect(await store.webhooks.getDelivery(b.tenantId, d.id)).toBeNull();
      expect(await store.webhooks.listDeliveries(b.tenantId, s.id, 10)).toEqual([]);
      // Writes naming the wrong tenant change nothing.
      expect(await store.webhooks.createDelivery({ ...delivery(s), tenantId: b.tenantId })).toBe(false);
      expect(await store.webhooks.recordAttempt(attempt(b.tenantId, d.id), "failed")).toBe(false);
      expect(await store.webhooks.listAttempts(a.tenantId, [d.id])).toEqual([]);
      expect(await store.webhooks.deleteSubscription(b.tenantId, s.id)).toBe(false);
      expect(await store.webhooks.getSubscription(a.tenantId, s.id)).not.toBeNull();
    });

    it("makes one delivery per (subscription, event), however often it is asked", async () => {
      const { tenantId } = await seedTenant(store);
      const s1 = subscription(tenantId);
      const s2 = subscription(tenantId);
      await store.webhooks.createSubscription(s1, "one");
      await store.webhooks.createSubscription(s2, "two");
      expect(await store.webhooks.createDelivery(delivery(s1, "evt-shared"))).toBe(true);
      expect(await store.webhooks.createDelivery(delivery(s1, "evt-shared"))).toBe(false);
      expect(await store.webhooks.createDelivery(delivery(s2, "evt-shared"))).toBe(true);
      expect(await store.webhooks.listDeliveries(tenantId, s1.id, 10)).toHaveLength(1);
      expect(await store.webhooks.listDeliveries(tenantId, s2.id, 10)).toHaveLength(1);
    });

    it("logs attempts in order and moves the delivery's state with them; requeues only a settled one", async () => {
      const { tenantId } = await seedTenant(store);
      const s = subscription(tenantId);
      await store.webhooks.createSubscription(s, "secret");
      const d = delivery(s);
      await store.webhooks.createDelivery(d);
      expect(await store.webhooks.getDelivery(tenantId, d.id)).toMatchObject({ state: "pending", attempts: 0, nextRetryAt: null, deliveredAt: null, body: d.body });
      expect(await store.webhooks.requeueDelivery(tenantId, d.id, T0 + 5)).toBe(false);

      expect(await store.webhooks.recordAttempt(attempt(tenantId, d.id), "pending")).toBe(true);
      expect(await store.webhooks.getDelivery(tenantId, d.id)).toMatchObject({ state: "pending", attempts: 1, nextRetryAt: T0 + 30_000 });
      const second = attempt(tenantId, d.id, { attempt: 2, at: T0 + 40_000, statusCode: 204, outcome: "delivered", error: null, responseExcerpt: null, nextRetryAt: null });
      expect(await store.webhooks.recordAttempt(second, "delivered")).toBe(true);
      expect(await store.webhooks.getDelivery(tenantId, d.id)).toMatchObject({ state: "delivered", attempts: 2, nextRetryAt: null, deliveredAt: T0 + 40_000 });
      expect(await store.webhooks.listAttempts(tenantId, [d.id])).toEqual([attempt(tenantId, d.id), second]);

      expect(await store.webhooks.requeueDelivery(tenantId, d.id, T0 + 50_000)).toBe(true);
      expect(await store.webhooks.getDelivery(tenantId, d.id)).toMatchObject({ state: "pending", attempts: 2, deliveredAt: T0 + 40_000 });
      expect(await store.webhooks.requeueDelivery(tenantId, d.id, T0 + 50_001)).toBe(false);
    });

    it("deletes a subscription with its deliveries and their log", async () => {
      const { tenantId } = await seedTenant(store);
      const s = subscription(tenantId);
      await store.webhooks.createSubscription(s, "secret");
      const d = delivery(s);
      await store.webhooks.createDelivery(d);
      await store.webhooks.recordAttempt(attempt(tenantId, d.id), "pending");
      expect(await store.transaction((tx) => tx.webhooks.deleteSubscription(tenantId, s.id))).toBe(true);
      expect(await store.webhooks.getSubscription(tenantId, s.id)).toBeNull();
      expect(await store.webhooks.getDelivery(tenantId, d.id)).toBeNull();
      expect(await store.webhooks.listAttempts(tenantId, [d.id])).toEqual([]);
      expect(await store.webhooks.recordAttempt(attempt(tenantId, d.id, { attempt: 2 }), "failed")).toBe(false);
    });
  });
}
