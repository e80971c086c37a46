/**
 * Starts the real backend (HTTP server, store, job runner) for a test, in live mode against the
 * WhatsApp fake on loopback, on either store. Everything a test needs to poke at is returned.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../backend/src/config.js";
import { silentLogger } from "../../backend/src/observability/logger.js";
import { startBackend, type BackendOverrides, type RunningBackend } from "../../backend/src/runtime.js";
import { signBody } from "../../backend/src/security/signature.js";
import { startFakeWhatsApp, type FakeWhatsApp } from "../fakes/whatsapp-cloud.js";
import { createTestDatabase, type TestDatabase } from "./postgres.js";

export const TEST_APP_SECRET = "test-app-secret-0123456789";
export const TEST_VERIFY_TOKEN = "test-verify-token";
export const TEST_ACCESS_TOKEN = "EAAG-test-access-token";
export const TEST_PHONE_NUMBER_ID = "106540352242922";
export const TEST_API_TOKEN = "test-operator-token-0123456789abcdef";
export const TEST_SECRETS_KEY = Buffer.alloc(32, 7).toString("base64");

export interface TestBackend {
  backend: RunningBackend;
  whatsapp: FakeWhatsApp;
  /** POSTs a body to the webhook endpoint, signed with the app secret unless `signature` is given. */
  postWebhook(body: string, options?: { signature?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

export interface TestBackendOptions {
  store?: "sqlite" | "postgres";
  /** Reuse a database (two instances on one PostgreSQL). */
  database?: TestDatabase;
  env?: Record<string, string>;
  overrides?: BackendOverrides;
  autoRead?: boolean;
  /** Reuse a data directory (restart tests); it is then left for the caller to remove. */
  dataDir?: string;
}

export async function startTestBackend(options: TestBackendOptions = {}): Promise<TestBackend> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "salesbot-test-"));
  const ownDatabase = options.store === "postgres" && !options.database ? await createTestDatabase() : null;
  const database = options.database ?? ownDatabase;
  const whatsapp = await startFakeWhatsApp({
    appSecret: TEST_APP_SECRET,
    accessToken: TEST_ACCESS_TOKEN,
    phoneNumberId: TEST_PHONE_NUMBER_ID,
    displayPhoneNumber: "15550783881",
    statusDelaysMs: { sent: 5, delivered: 10 },
    autoRead: options.autoRead ?? true,
  });
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    WHATSAPP_APP_SECRET: TEST_APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
    WHATSAPP_ACCESS_TOKEN: TEST_ACCESS_TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: TEST_PHONE_NUMBER_ID,
    WHATSAPP_GRAPH_BASE_URL: whatsapp.url,
    SECRETS_KEY: TEST_SECRETS_KEY,
    API_TOKEN: TEST_API_TOKEN,
    REPLY_DEBOUNCE_MS: "0",
    // The webhook receivers of the tests listen on loopback.
    WEBHOOK_ALLOW_PRIVATE_URLS: "true",
    JOB_POLL_MS: "20",
    LOG_LEVEL: "silent",
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...options.env,
  });
  const backend = await startBackend(config, { logger: silentLogger, ...options.overrides });
  whatsapp.simulator.setWebhookUrl(`${backend.url}/webhooks/whatsapp`, whatsapp.url);
  return {
    backend,
    whatsapp,
    postWebhook(body, postOptions = {}) {
      const signature = postOptions.signature === undefined ? signBody(TEST_APP_SECRET, body) : postOptions.signature;
      return fetch(`${backend.url}/webhooks/whatsapp`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(signature === null ? {} : { "x-hub-signature-256": signature }) },
        body,
      });
    },
    async close() {
      await backend.close();
      await whatsapp.close();
      await ownDatabase?.drop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
