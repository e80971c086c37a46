import type { Agent } from "../domain/agent.js";
import type { Clock } from "../domain/ports/clock.js";
import type { JobHandoff } from "../domain/ports/jobs.js";
import type { Store } from "../domain/ports/store.js";
import type { WebhookSender } from "../domain/ports/webhooks.js";
import type { WhatsAppGateway } from "../domain/ports/whatsapp.js";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";

export interface ConversationTiming {
  /** Quiet time after a customer's last message before the bot answers the burst. */
  replyDebounceMs: number;
  /** A burst that never goes quiet is still answered after this long. */
  replyMaxWaitMs: number;
}

/** What the use cases run with; built once in the composition root. */
export interface UseCaseContext {
  store: Store;
  whatsapp: WhatsAppGateway;
  agent: Agent;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  timing: ConversationTiming;
  webhookSender: WebhookSender;
  /** Inside a job: lets the use case hand its follow-up job to the running worker (see JobHandoff). */
  handoff?: JobHandoff;
}
