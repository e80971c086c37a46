/**
 * The composition root: config in, a running backend out. Builds the store, the WhatsApp gateway
 * (the real Graph API, or the built-in simulator in sandbox mode), the agent and the job runner, then
 * serves createApp(). main.ts calls it with the parsed environment; tests call it with their own config.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { ZAgentSettings } from "@salesbot/shared";
import { SqliteInstanceLock } from "./adapters/store/sqlite-instance-lock.js";
import { PostgresDriver } from "./adapters/store/postgres-driver.js";
import { SqliteDriver } from "./adapters/store/sqlite-driver.js";
import { SqlStore } from "./adapters/store/sql-store.js";
import { HttpWebhookSender } from "./adapters/webhooks/http-webhook-sender.js";
import { GraphClient } from "./adapters/whatsapp/graph-client.js";
import { createAgent } from "./agent/create-agent.js";
import { MiniSearchKnowledgeBase } from "./agent/knowledge/minisearch-knowledge-base.js";
import type { Config } from "./config.js";
import type { Agent } from "./domain/agent.js";
import { systemClock, type Clock } from "./domain/ports/clock.js";
import type { WhatsAppGateway } from "./domain/ports/whatsapp.js";
import { createHttpListener } from "./http/app.js";
import { createJobHandlers } from "./jobs/handlers.js";
import { JobRunner } from "./jobs/job-runner.js";
import { createLogger, type Logger } from "./observability/logger.js";
import { createMetrics, type Metrics } from "./observability/metrics.js";
import { WhatsAppSimulator } from "./sandbox/simulator.js";
import { SecretBox } from "./security/secret-box.js";
import type { UseCaseContext } from "./use-cases/context.js";
import { operatorTokenScheme, sandboxConsoleScheme, type CallerScheme } from "./http/inbox/caller.js";
import { demoKnowledge } from "./sandbox/demo-knowledge.js";
import { demoReps } from "./sandbox/demo-team.js";
import { scheduleTemplateSync } from "./use-cases/inbox/templates.js";
import { schedulePrune } from "./use-cases/maintenance.js";

export const SANDBOX_ACCESS_TOKEN = "sandbox-access-token";

export interface BackendOverrides {
  clock?: Clock;
  logger?: Logger;
  agent?: Agent;
  /** Start without the job runner (benchmarks of the ingest path, tests that drive jobs by hand). */
  runJobs?: boolean;
  workerId?: string;
}

export interface RunningBackend {
  url: string;
  /** Sandbox mode: the token the console page uses to call the inbox API. */
  consoleToken: string | null;
  config: Config;
  store: SqlStore;
  runner: JobRunner;
  simulator: WhatsAppSimulator | null;
  logger: Logger;
  close(): Promise<void>;
}

export function loadSecretsKey(config: Config): Uint8Array {
  if (config.secretsKey) return Buffer.from(config.secretsKey, "base64");
  // Embedded default: a key file beside the data, created once, readable by its owner only.
  const file = join(config.dataDir, "secrets.key");
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
  }
  return Buffer.from(readFileSync(file, "utf8").trim(), "base64");
}

export function openStore(config: Config, logger?: Logger, metrics?: Metrics): SqlStore {
  const secrets = new SecretBox(loadSecretsKey(config));
  const driver =
    config.store.kind === "postgres"
      ? new PostgresDriver(config.store.url, {
          // Plans stay correct without fresh statistics, only slower: log and go on.
          onStatisticsError: (error) => logger?.warn({ err: String(error) }, "refreshing PostgreSQL planner statistics failed"),
          onGroup: (members, outcome) => metrics?.storeGroups.observe({ outcome }, members),
          // Polling still finds the work, only later: log and go on.
          onWakeupError: (error, during) => logger?.warn({ err: String(error), during }, "waking other processes' job runners failed"),
        })
      : new SqliteDriver(config.store.file);
  return new SqlStore(driver, secrets, { configCacheMs: config.tenantConfigCacheMs });
}

function listen(server: Server, port: number, host: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startBackend(config: Config, overrides: BackendOverrides = {}): Promise<RunningBackend> {
  const instanceLock = config.store.kind === "sqlite" ? SqliteInstanceLock.acquire(config.dataDir) : null;
  if (!instanceLock) return startOnStore(config, overrides);
  try {
    const running = await startOnStore(config, overrides);
    return {
      ...running,
      async close() {
        try {
          await running.close();
        } finally {
          instanceLock.release();
        }
      },
    };
  } catch (error) {
    instanceLock.release();
    throw error;
  }
}

async function startOnStore(config: Config, overrides: BackendOverrides): Promise<RunningBackend> {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const metrics = createMetrics({ defaultMetrics: true });
  const store = openStore(config, logger, metrics);
  const applied = await store.migrate(clock.now());
  if (applied.length > 0) logger.info({ applied }, "migrations applied");

  const sandbox = config.mode === "sandbox";
  await store.upsertTenant(config.tenant, clock.now());
  await store.upsertWhatsAppNumber({
    tenantId: config.tenant.id,
    phoneNumberId: config.whatsapp.phoneNumberId,
    displayPhoneNumber: config.whatsapp.displayPhoneNumber,
    accessToken: config.whatsapp.accessToken ?? SANDBOX_ACCESS_TOKEN,
    businessAccountId: config.whatsapp.businessAccountId,
  });
  await store.transaction((tx) => schedulePrune(tx, config.rawEventRetentionDays, clock.now() + 60 * 60_000));
  if (config.whatsapp.businessAccountId) await store.transaction((tx) => scheduleTemplateSync(tx, config.tenant.id, config.whatsapp.phoneNumberId, clock.now()));

  if (sandbox && (await store.listKnowledge(config.tenant.id)).length === 0) {
    await store.transaction((tx) => tx.replaceKnowledge(config.tenant.id, demoKnowledge, clock.now()));
    await store.putAgentSettings(config.tenant.id, ZAgentSettings.parse({ companyName: config.tenant.name }), clock.now());
    for (const rep of demoReps) await store.handoffs.upsertRep(config.tenant.id, rep, clock.now());
  }

  const simulator = sandbox
    ? new WhatsAppSimulator({
        appSecret: config.whatsapp.appSecret,
        accessToken: SANDBOX_ACCESS_TOKEN,
        phoneNumberId: config.whatsapp.phoneNumberId,
        displayPhoneNumber: config.whatsapp.displayPhoneNumber,
        businessName: config.tenant.name,
      })
    : null;

  let runner: JobRunner | null = null;
  let graphBaseUrl = config.whatsapp.graphBaseUrl ?? "";
  const whatsapp: WhatsAppGateway = new GraphClient({ baseUrl: () => graphBaseUrl, version: config.whatsapp.graphVersion, maxConnections: config.jobs.concurrency });
  const ctx: UseCaseContext = {
    store,
    whatsapp,
    agent: overrides.agent ?? createAgent({ engine: config.agent.engine, knowledge: new MiniSearchKnowledgeBase(store), llm: config.agent.llm, logger }),
    clock,
    logger,
    metrics,
    timing: config.timing,
    webhookSender: new HttpWebhookSender({ timeoutMs: config.webhooks.timeoutMs, allowPrivateDestinations: config.webhooks.allowPrivateDestinations }),
  };
  const schemes: CallerScheme[] = [];
  if (config.apiToken) schemes.push(operatorTokenScheme(config.apiToken));
  const consoleToken = sandbox ? randomBytes(24).toString("base64url") : null;
  if (consoleToken) schemes.push(sandboxConsoleScheme(consoleToken, config.tenant.id));
  const runsJobs = overrides.runJobs ?? config.jobs.enabled;
  const listener = createHttpListener({
    ...(config.host ? { hostname: config.host } : {}),
    store,
    clock,
    logger,
    metrics,
    whatsapp: { appSecret: config.whatsapp.appSecret, verifyToken: config.whatsapp.verifyToken },
    apiToken: config.apiToken,
    // A process that runs no jobs (PROCESS_ROLE=web) wakes the runners of the others on the database;
    // one that does claims the work itself.
    onWorkQueued: runsJobs ? () => runner?.poke() : () => store.jobWakeups?.announce(),
    // On the embedded store a webhook body's processing job starts as soon as the body is committed,
    // instead of waiting for the next claim. Not on PostgreSQL: there, jobs claimed together run their
    // statements in step, sharing group commits; started as they were stored, a few at a time, they
    // shared them less well, and PostgreSQL spent more per message (measured; see the README).
    // Null until the runner exists, and while it is not started (a process that runs no jobs).
    ...(store.dialect === "sqlite" ? { localWorker: { reserveSlot: () => runner?.reserveSlot() ?? null } } : {}),
    inbox: { ctx, schemes },
    ...(simulator && consoleToken ? { sandbox: { simulator, consoleToken } } : {}),
  });
  const server = createServer(listener);
  server.keepAliveTimeout = config.http.keepAliveTimeoutMs;
  // Node wants the header timeout above the keep-alive one, or it may cut a reused connection short.
  server.headersTimeout = config.http.keepAliveTimeoutMs + 1_000;
  const port = await listen(server, config.port, config.host);
  const url = `http://127.0.0.1:${port}`;
  simulator?.setWebhookUrl(`${url}/webhooks/whatsapp`, `${url}/sandbox/graph`);
  if (!config.whatsapp.graphBaseUrl) graphBaseUrl = `${url}/sandbox/graph`;

  runner = new JobRunner({
    queue: store.jobs,
    handlers: createJobHandlers(ctx),
    clock,
    logger,
    metrics,
    concurrency: config.jobs.concurrency,
    pollMs: config.jobs.pollMs,
    leaseMs: config.jobs.leaseMs,
    ...(overrides.workerId ? { workerId: overrides.workerId } : {}),
  });
  const jobRunner = runner;
  if (runsJobs) runner.start();
  const stopListening = runsJobs && store.jobWakeups ? await store.jobWakeups.listen(() => jobRunner.poke()) : null;

  logger.info({ mode: config.mode, store: config.store.kind, agent: config.agent.engine, port }, sandbox ? "sandbox mode: WhatsApp is simulated; open the phone page at / and the rep console at /console" : "live mode");

  return {
    url,
    consoleToken,
    config,
    store,
    runner: jobRunner,
    simulator,
    logger,
    async close() {
      simulator?.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await stopListening?.();
      await jobRunner.stop();
      await store.close();
    },
  };
}
