/**
 * The one place that reads the environment. Parsed once with zod at start-up; everything else gets
 * a typed `Config`. Vendor hosts appear here only, as defaults that any deployment or test overrides.
 */
import { z } from "zod";

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value.trim()));

const ZEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(65_000),
  DATABASE_URL: optionalString.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), "DATABASE_URL must be a postgres:// URL"),
  DATA_DIR: z.string().default("./data"),
  WHATSAPP_APP_SECRET: optionalString,
  WHATSAPP_VERIFY_TOKEN: optionalString,
  WHATSAPP_ACCESS_TOKEN: optionalString,
  WHATSAPP_PHONE_NUMBER_ID: optionalString,
  WHATSAPP_BUSINESS_ACCOUNT_ID: optionalString,
  WHATSAPP_DISPLAY_PHONE_NUMBER: optionalString,
  WHATSAPP_GRAPH_BASE_URL: z.string().url().default("https://graph.facebook.com"),
  WHATSAPP_GRAPH_VERSION: z.string().regex(/^v\d+\.\d+$/, "like v25.0").default("v25.0"),
  SECRETS_KEY: optionalString.refine((v) => v === undefined || Buffer.from(v, "base64").length === 32, "SECRETS_KEY must be 32 bytes, base64"),
  API_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 24, "API_TOKEN must be at least 24 characters"),
  TENANT_ID: z.string().default("default"),
  TENANT_NAME: z.string().default("My company"),
  REPLY_DEBOUNCE_MS: z.coerce.number().int().min(0).default(1500),
  REPLY_MAX_WAIT_MS: z.coerce.number().int().min(0).default(10_000),
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(256),
  JOB_POLL_MS: z.coerce.number().int().min(5).default(200),
  JOB_LEASE_MS: z.coerce.number().int().min(1000).default(15_000),
  TENANT_CONFIG_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  PROCESS_ROLE: z.enum(["all", "web", "worker"]).default("all"),
  WEBHOOK_ALLOW_PRIVATE_URLS: z.enum(["true", "false"]).optional(),
  RAW_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  AGENT_ENGINE: z.enum(["builtin", "llm"]).default("builtin"),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(z.string().url().default("https://api.openai.com/v1")),
  OPENAI_MODEL: optionalString.pipe(z.string().min(1).default("gpt-4o-mini")),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
});

export type Mode = "live" | "sandbox";

export interface Config {
  mode: Mode;
  port: number;
  host: string;
  /**
   * How long an idle keep-alive connection stays open. Longer than the idle timeout of the proxy in
   * front (60 s on common load balancers), so the proxy never sends a request down a connection this
   * server is closing at that moment: the proxy would answer Meta with a 502.
   */
  http: { keepAliveTimeoutMs: number };
  store: { kind: "postgres"; url: string } | { kind: "sqlite"; file: string };
  dataDir: string;
  whatsapp: {
    appSecret: string;
    verifyToken: string;
    accessToken: string | null;
    phoneNumberId: string;
    /** The WABA whose templates are synced; the sandbox has its own. */
    businessAccountId: string | null;
    displayPhoneNumber: string;
    graphBaseUrl: string | null;
    graphVersion: string;
  };
  secretsKey: string | undefined;
  apiToken: string | undefined;
  tenant: { id: string; name: string };
  timing: { replyDebounceMs: number; replyMaxWaitMs: number };
  /** `web` serves HTTP without running jobs, `worker` runs jobs too; `all` does both. */
  jobs: { enabled: boolean; concurrency: number; pollMs: number; leaseMs: number };
  /** How long a process keeps tenant configuration (numbers, tokens, agent settings) it has read; other instances' changes show after this. */
  tenantConfigCacheMs: number;
  logLevel: string;
  /** Raw webhook bodies (personal data) are deleted this long after they were processed. */
  rawEventRetentionDays: number;
  /** Outgoing webhooks: how long a receiver has to answer one attempt. */
  /** Private destinations (SSRF) are refused unless allowed; the sandbox allows them, as everything there is local. */
  webhooks: { timeoutMs: number; allowPrivateDestinations: boolean };
  /** `llm` is set whenever a key is, so a tool can pick the LLM engine without AGENT_ENGINE. */
  agent: { engine: "builtin" | "llm"; llm: LlmConfig | null };
}

export interface LlmConfig {
  apiKey: string;
  baseUrl: string;
  model: string;
  timeoutMs: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = ZEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const mode: Mode = e.WHATSAPP_ACCESS_TOKEN ? "live" : "sandbox";
  if (mode === "live") {
    const missing = (["WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "WHATSAPP_PHONE_NUMBER_ID"] as const).filter((name) => !e[name]);
    if (missing.length > 0) throw new ConfigError(`Live mode (WHATSAPP_ACCESS_TOKEN is set) needs ${missing.join(", ")}: refusing to start.`);
    if (e.DATABASE_URL && !e.SECRETS_KEY) throw new ConfigError("With DATABASE_URL in live mode, set SECRETS_KEY (32 bytes, base64) so every instance can read stored secrets.");
  }
  if (e.AGENT_ENGINE === "llm" && !e.OPENAI_API_KEY) {
    throw new ConfigError("AGENT_ENGINE=llm needs OPENAI_API_KEY (the key of OpenAI or of the OpenAI-compatible server at OPENAI_BASE_URL): refusing to start.");
  }
  return {
    mode,
    port: e.PORT,
    host: e.HOST,
    http: { keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS },
    store: e.DATABASE_URL ? { kind: "postgres", url: e.DATABASE_URL } : { kind: "sqlite", file: `${e.DATA_DIR.replace(/\/$/, "")}/salesbot.sqlite` },
    dataDir: e.DATA_DIR,
    whatsapp: {
      appSecret: e.WHATSAPP_APP_SECRET ?? "sandbox-app-secret",
      verifyToken: e.WHATSAPP_VERIFY_TOKEN ?? "sandbox-verify-token",
      accessToken: e.WHATSAPP_ACCESS_TOKEN ?? null,
      phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID ?? "100000000000001",
      businessAccountId: e.WHATSAPP_BUSINESS_ACCOUNT_ID ?? (mode === "sandbox" ? "sandbox-waba" : null),
      displayPhoneNumber: e.WHATSAPP_DISPLAY_PHONE_NUMBER ?? "15550001111",
      // In sandbox mode the simulator's own address is used unless an explicit one was given.
      graphBaseUrl: mode === "live" || env.WHATSAPP_GRAPH_BASE_URL ? e.WHATSAPP_GRAPH_BASE_URL : null,
      graphVersion: e.WHATSAPP_GRAPH_VERSION,
    },
    secretsKey: e.SECRETS_KEY,
    apiToken: e.API_TOKEN,
    tenant: { id: e.TENANT_ID, name: e.TENANT_NAME },
    timing: { replyDebounceMs: e.REPLY_DEBOUNCE_MS, replyMaxWaitMs: Math.max(e.REPLY_MAX_WAIT_MS, e.REPLY_DEBOUNCE_MS) },
    jobs: { enabled: e.PROCESS_ROLE !== "web", concurrency: e.JOB_CONCURRENCY, pollMs: e.JOB_POLL_MS, leaseMs: e.JOB_LEASE_MS },
    tenantConfigCacheMs: e.TENANT_CONFIG_CACHE_MS,
    logLevel: e.LOG_LEVEL,
    rawEventRetentionDays: e.RAW_EVENT_RETENTION_DAYS,
    webhooks: { timeoutMs: e.WEBHOOK_TIMEOUT_MS, allowPrivateDestinations: e.WEBHOOK_ALLOW_PRIVATE_URLS ? e.WEBHOOK_ALLOW_PRIVATE_URLS === "true" : mode === "sandbox" },
    agent: {
      engine: e.AGENT_ENGINE,
      llm: e.OPENAI_API_KEY ? { apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL.replace(/\/+$/, ""), model: e.OPENAI_MODEL, timeoutMs: e.OPENAI_TIMEOUT_MS } : null,
    },
  };
}

/** For entry points: the parsed configuration, or a clear message and exit code 78 (EX_CONFIG). */
export function loadConfigOrExit(env: Record<string, string | undefined>): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
}
