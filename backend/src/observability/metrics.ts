/**
 * Prometheus metrics, one registry per app instance (tests build several apps in one process).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const metrics = {
    registry,
    webhookRequests: new Counter({ name: "whatsapp_webhook_requests_total", help: "Webhook POSTs by outcome", labelNames: ["outcome"], registers: [registry] }),
    webhookIngestSeconds: new Histogram({
      name: "whatsapp_webhook_ingest_seconds",
      help: "Time from a verified body to its durable commit",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    webhookItems: new Counter({ name: "whatsapp_webhook_items_total", help: "Items split out of webhook bodies", registers: [registry] }),
    webhookRedeliveries: new Counter({ name: "whatsapp_webhook_redeliveries_total", help: "Webhook bodies received again with the same bytes, processed once", registers: [registry] }),
    inboundMessages: new Counter({ name: "whatsapp_inbound_messages_total", help: "New inbound messages by type", labelNames: ["type"], registers: [registry] }),
    deliveryStatuses: new Counter({ name: "whatsapp_delivery_statuses_total", help: "Status webhooks by status and whether they moved the message", labelNames: ["status", "applied"], registers: [registry] }),
    outboundMessages: new Counter({ name: "whatsapp_outbound_messages_total", help: "Outbound sends by outcome", labelNames: ["outcome"], registers: [registry] }),
    graphErrors: new Counter({ name: "whatsapp_graph_errors_total", help: "Graph API errors by Meta code", labelNames: ["code"], registers: [registry] }),
    replyLatency: new Histogram({
      name: "whatsapp_outbound_queue_seconds",
      help: "Time from storing an outbound message to Meta accepting it",
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
      registers: [registry],
    }),
    agentDecisions: new Counter({ name: "agent_decisions_total", help: "Agent decisions by kind", labelNames: ["kind"], registers: [registry] }),
    handoffs: new Counter({ name: "agent_handoffs_total", help: "Handoffs by reason", labelNames: ["reason"], registers: [registry] }),
    webhookDeliveries: new Counter({ name: "webhook_deliveries_total", help: "Outgoing webhook attempts by outcome (delivered, retry, failed)", labelNames: ["outcome"], registers: [registry] }),
    jobs: new Counter({ name: "jobs_finished_total", help: "Jobs by kind and outcome", labelNames: ["kind", "outcome"], registers: [registry] }),
    jobStartDelay: new Histogram({
      name: "jobs_start_delay_seconds",
      help: "Time from when a job was due to when a worker started it, by kind (across instances, their clocks' skew included)",
      labelNames: ["kind"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 120],
      registers: [registry],
    }),
    jobRunSeconds: new Histogram({
      name: "jobs_run_seconds",
      help: "Time a job's handler ran, by kind",
      labelNames: ["kind"],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 30],
      registers: [registry],
    }),
    jobQueue: new Gauge({ name: "jobs_queued", help: "Jobs by state", labelNames: ["state"], registers: [registry] }),
    storeGroups: new Histogram({
      name: "store_group_commit_members",
      help: "PostgreSQL group commits of two or more callers: members per group, by outcome (committed; rerun member by member after a failure; failed, when the connection broke during COMMIT)",
      labelNames: ["outcome"],
      buckets: [2, 4, 8, 16, 32, 64],
      registers: [registry],
    }),
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
