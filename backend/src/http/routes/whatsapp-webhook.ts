/**
 * The WhatsApp webhook endpoint. GET is Meta's verification handshake (no signature: answer the bare
 * challenge). POST: the raw bytes are checked against X-Hub-Signature-256 in constant time before
 * anything else, then the body is stored durably and acknowledged; all further work happens in jobs.
 */
import { createHash } from "node:crypto";
import { Hono, type Context } from "hono";
import { ZWebhookEnvelope } from "@salesbot/shared";
import type { Clock } from "../../domain/ports/clock.js";
import type { Store } from "../../domain/ports/store.js";
import type { Logger } from "../../observability/logger.js";
import type { Metrics } from "../../observability/metrics.js";
import { sameSecret } from "../../security/same-secret.js";
import { verifyBodySignature } from "../../security/signature.js";
import { errorBody } from "../errors.js";

export const MAX_WEBHOOK_BYTES = 4 * 1024 * 1024;

export interface WhatsAppWebhookDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  appSecret: string;
  verifyToken: string;
  onStored: () => void;
}

export function whatsappWebhookRoutes(deps: WhatsAppWebhookDeps): Hono {
  const app = new Hono();

  app.get("/", (c) => {
    const mode = c.req.query("hub.mode");
    const token = c.req.query("hub.verify_token") ?? "";
    const challenge = c.req.query("hub.challenge") ?? "";
    if (mode === "subscribe" && sameSecret(token, deps.verifyToken)) return c.text(challenge, 200);
    return c.text("Forbidden", 403);
  });

  const tooLarge = (c: Context) => {
    deps.metrics.webhookRequests.inc({ outcome: "too_large" });
    return c.json(errorBody("payload_too_large", `Webhook bodies are limited to ${MAX_WEBHOOK_BYTES} bytes.`), 413);
  };

  app.post("/", async (c) => {
    const raw = await readBodyWithin(c, MAX_WEBHOOK_BYTES);
    if (raw === null) return tooLarge(c);
    if (!verifyBodySignature(deps.appSecret, raw, c.req.header("x-hub-signature-256"))) {
      deps.metrics.webhookRequests.inc({ outcome: "bad_signature" });
      return c.json(errorBody("unauthorized", "Missing or invalid X-Hub-Signature-256."), 401);
    }
    const body = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("utf8");
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      deps.metrics.webhookRequests.inc({ outcome: "bad_json" });
      return c.json(errorBody("bad_request", "The body is not JSON."), 400);
    }
    if (!ZWebhookEnvelope.safeParse(parsed).success) {
      deps.metrics.webhookRequests.inc({ outcome: "bad_envelope" });
      return c.json(errorBody("bad_request", "The body is not a webhook envelope ({object, entry[]})."), 400);
    }
    const started = performance.now();
    await deps.store.recordWebhookEvent({
      body,
      bodySha256: createHash("sha256").update(raw).digest("hex"),
      receivedAt: deps.clock.now(),
    });
    deps.metrics.webhookIngestSeconds.observe((performance.now() - started) / 1000);
    deps.metrics.webhookRequests.inc({ outcome: "stored" });
    deps.onStored();
    return c.text("OK", 200);
  });
  return app;
}

/**
 * The raw body bytes, or null when they exceed `limit`. Meta sends a Content-Length: that is checked
 * up front and the body is read in one piece through @hono/node-server's fast path. (Touching
 * `c.req.raw.body`, as hono's bodyLimit middleware does, builds a full Web Request and stream per
 * request, which cost more than everything else on this route together.) Bodies without a length
 * (chunked) are read as a stream and cut off as soon as they pass the limit.
 */
async function readBodyWithin(c: Context, limit: number): Promise<Uint8Array | null> {
  const declared = c.req.header("content-length");
  if (declared !== undefined && c.req.header("transfer-encoding") === undefined) {
    if (!/^\d+$/.test(declared) || Number(declared) > limit) return null;
    return new Uint8Array(await c.req.arrayBuffer());
  }
  const stream = c.req.raw.body;
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : new Uint8Array(Buffer.concat(chunks));
}
