/**
 * What the outgoing-webhook tests share: the real backend on a shiftable clock with its log lines
 * captured, a receiver on loopback, an admin client, and the consumer's verification recipe written
 * out as the README gives it (not the backend's signing code).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { Writable } from "node:stream";
import type { IncomingHttpHeaders } from "node:http";
import type { CreatedWebhook, WebhookDeliveryView } from "@salesbot/shared";
import { createLogger } from "../../backend/src/observability/logger.js";
import { startWebhookReceiver, type WebhookReceiver } from "../fakes/webhook-receiver.js";
import { startTestBackend, TEST_API_TOKEN, type TestBackend } from "./backend.js";
import { ShiftableClock } from "./clock.js";

export interface WebhookTestRig {
  t: TestBackend;
  clock: ShiftableClock;
  receiver: WebhookReceiver;
  /** Every log line the backend wrote, at trace level. */
  logs: string[];
  admin(path: string, init?: { method?: string; body?: unknown; token?: string | null }): Promise<Response>;
  subscribe(tenantId: string, body: Record<string, unknown>): Promise<CreatedWebhook>;
  deliveries(tenantId: string, webhookId: string): Promise<WebhookDeliveryView[]>;
  /** Lets the job runner work until nothing is due (at the shifted time). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookRig(env: Record<string, string> = {}): Promise<WebhookTestRig> {
  const clock = new ShiftableClock();
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString("utf8"));
      done();
    },
  });
  const t = await startTestBackend({ env, overrides: { clock, logger: createLogger("trace", sink) } });
  const receiver = await startWebhookReceiver();
  const admin: WebhookTestRig["admin"] = (path, init = {}) => {
    const token = init.token === undefined ? TEST_API_TOKEN : init.token;
    return fetch(`${t.backend.url}/admin${path}`, {
      method: init.method ?? "GET",
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body === undefined ? {} : { "content-type": "application/json" }) },
      ...(init.body === undefined ? {} : { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) }),
    });
  };
  return {
    t,
    clock,
    receiver,
    logs,
    admin,
    async subscribe(tenantId, body) {
      const response = await admin(`/tenants/${tenantId}/webhooks`, { method: "POST", body });
      if (response.status !== 201) throw new Error(`subscribe answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as CreatedWebhook;
    },
    async deliveries(tenantId, webhookId) {
      const response = await admin(`/tenants/${tenantId}/webhooks/${webhookId}/deliveries`);
      if (response.status !== 200) throw new Error(`deliveries answered ${response.status}`);
      return ((await response.json()) as { deliveries: WebhookDeliveryView[] }).deliveries;
    },
    async settle() {
      await t.backend.runner.idle();
    },
    async close() {
      await t.close();
      await receiver.close();
    },
  };
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The README's recipe: HMAC-SHA256 over "<timestamp>.<raw body>", constant-time compare, 5-minute window. */
export function consumerAccepts(secret: string, headers: IncomingHttpHeaders, rawBody: string, nowSeconds: number): boolean {
  const timestamp = header(headers, "x-salesbot-timestamp");
  const signature = header(headers, "x-salesbot-signature");
  if (!timestamp || !/^\d+$/.test(timestamp) || !signature?.startsWith("sha256=")) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex"));
  const given = Buffer.from(signature.slice("sha256=".length));
  return given.length === expected.length && timingSafeEqual(given, expected);
}
