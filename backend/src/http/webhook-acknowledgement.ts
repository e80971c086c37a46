/**
 * The answer to a WhatsApp webhook POST, apart from any HTTP framework (node-listener.ts serves it):
 * the signature over the raw bytes is checked first, in constant time; then JSON and the envelope's
 * shape; then the body is stored durably, and only then comes the 200. All further work happens in jobs.
 */
import { hash, randomUUID } from "node:crypto";
import { ZWebhookEnvelope } from "@salesbot/shared";
import type { Clock } from "../domain/ports/clock.js";
import type { ClaimedJob, LocalWorker } from "../domain/ports/jobs.js";
import type { Store } from "../domain/ports/store.js";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";
import { verifyBodySignature } from "../security/signature.js";
import { errorAnswer, errorBody } from "./errors.js";

export const WEBHOOK_PATH = "/webhooks/whatsapp";
export const MAX_WEBHOOK_BYTES = 4 * 1024 * 1024;

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export interface WebhookAcknowledgementDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  appSecret: string;
  /** Called once a body is stored with its processing job pending, so the job runner looks at once. */
  onStored: () => void;
  /**
   * The job runner of this process, when it runs jobs: a body's processing job is then inserted as
   * claimed by it and starts once the body is committed, instead of waiting for the next claim.
   */
  localWorker?: LocalWorker;
}

export type WebhookAcknowledger = {
  /** For raw bytes read whole (at most MAX_WEBHOOK_BYTES) and the X-Hub-Signature-256 header. */
  acknowledge(raw: Buffer, signature: string | undefined): Promise<HttpAnswer>;
  /** For a body that passed MAX_WEBHOOK_BYTES: nothing of it is looked at. */
  tooLarge(): HttpAnswer;
};

const json = (status: number, value: unknown, headers?: Record<string, string>): HttpAnswer => ({
  status,
  contentType: "application/json",
  body: JSON.stringify(value),
  ...(headers ? { headers } : {}),
});

export function webhookAcknowledger(deps: WebhookAcknowledgementDeps): WebhookAcknowledger {
  const refuse = (outcome: string, answer: HttpAnswer): HttpAnswer => {
    deps.metrics.webhookRequests.inc({ outcome });
    return answer;
  };

  return {
    tooLarge: () => refuse("too_large", json(413, errorBody("payload_too_large", `Webhook bodies are limited to ${MAX_WEBHOOK_BYTES} bytes.`))),

    async acknowledge(raw, signature) {
      if (!verifyBodySignature(deps.appSecret, raw, signature)) {
        return refuse("bad_signature", json(401, errorBody("unauthorized", "Missing or invalid X-Hub-Signature-256.")));
      }
      const body = raw.toString("utf8");
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        return refuse("bad_json", json(400, errorBody("bad_request", "The body is not JSON.")));
      }
      if (!ZWebhookEnvelope.safeParse(parsed).success) {
        return refuse("bad_envelope", json(400, errorBody("bad_request", "The body is not a webhook envelope ({object, entry[]}).")));
      }
      const started = performance.now();
      const slot = deps.localWorker?.reserveSlot() ?? null;
      let claimed: ClaimedJob | null;
      try {
        claimed = await deps.store.recordWebhookEvent({ body, bodySha256: hash("sha256", raw, "hex"), receivedAt: deps.clock.now() }, slot ?? undefined);
      } catch (error) {
        slot?.release();
        // Not acknowledged, so Meta delivers it again later.
        deps.metrics.webhookRequests.inc({ outcome: "store_failed" });
        const requestId = randomUUID();
        const { status, body: refusal } = errorAnswer(error, deps.logger, requestId);
        return json(status, refusal, { "x-request-id": requestId });
      }
      deps.metrics.webhookIngestSeconds.observe((performance.now() - started) / 1000);
      deps.metrics.webhookRequests.inc({ outcome: "stored" });
      if (slot && claimed) {
        slot.run(claimed);
      } else {
        slot?.release();
        deps.onStored();
      }
      return { status: 200, contentType: "text/plain; charset=UTF-8", body: "OK" };
    },
  };
}
