/**
 * createHttpListener builds the HTTP surface from its dependencies: the Hono app (createApp) behind a
 * Node request listener that serves webhook POSTs itself (node-listener.ts). Neither reads the
 * environment nor opens a socket; the runtime serves the listener, tests drive it on an ephemeral port.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import type { Clock } from "../domain/ports/clock.js";
import type { LocalWorker } from "../domain/ports/jobs.js";
import type { Store } from "../domain/ports/store.js";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";
import type { WhatsAppSimulator } from "../sandbox/simulator.js";
import { errorBody, handleError } from "./errors.js";
import { adminRoutes } from "./routes/admin.js";
import { healthRoutes } from "./routes/health.js";
import { sandboxRoutes } from "./routes/sandbox.js";
import { whatsappWebhookRoutes } from "./routes/whatsapp-webhook.js";
import type { UseCaseContext } from "../use-cases/context.js";
import type { CallerScheme } from "./inbox/caller.js";
import { inboxRoutes } from "./inbox/routes.js";
import { createNodeListener } from "./node-listener.js";
import { WEBHOOK_PATH, webhookAcknowledger } from "./webhook-acknowledgement.js";

export interface AppDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  whatsapp: { appSecret: string; verifyToken: string };
  apiToken: string | undefined;
  /** Called when new work was queued, so the job runner looks at once. */
  onWorkQueued: () => void;
  /** This process's job runner, when it runs jobs: webhook bodies are handed to it as they are stored. */
  localWorker?: LocalWorker;
  /** The host of requests that name none (HTTP/1.0 without a Host header). */
  hostname?: string;
  /** Present in sandbox mode only: the simulated WhatsApp and the token the console page calls the inbox API with. */
  sandbox?: { simulator: WhatsAppSimulator; consoleToken: string };
  /** The inbox API: the use cases it drives and the caller schemes it trusts. */
  inbox?: { ctx: UseCaseContext; schemes: CallerScheme[] };
}

export function createHttpListener(deps: AppDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const webhook = webhookAcknowledger({ ...deps, appSecret: deps.whatsapp.appSecret, onStored: deps.onWorkQueued });
  return createNodeListener(createApp(deps), webhook, deps.hostname);
}

/** Every route but webhook POSTs; answers those with 404 when called on its own (app.request()). */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.use("*", requestId());
  app.onError(handleError(deps.logger));
  app.notFound((c) => c.json(errorBody("not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`), 404));

  app.route("/", healthRoutes(deps));
  app.route(WEBHOOK_PATH, whatsappWebhookRoutes({ verifyToken: deps.whatsapp.verifyToken }));
  app.route("/admin", adminRoutes({ store: deps.store, clock: deps.clock, apiToken: deps.apiToken, onReplayed: deps.onWorkQueued }));
  if (deps.inbox) app.route("/api/v1", inboxRoutes(deps.inbox.ctx, deps.inbox.schemes, deps.onWorkQueued));
  if (deps.sandbox) app.route("/", sandboxRoutes(deps.sandbox));
  return app;
}
