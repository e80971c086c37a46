/**
 * Browser tests' common ground: Debian's Chromium driven by playwright-core, and a sandbox backend
 * (simulated WhatsApp, demo reps and knowledge) on an ephemeral port.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { expect } from "vitest";
import { loadConfig } from "../../backend/src/config.js";
import { silentLogger } from "../../backend/src/observability/logger.js";
import { startBackend, type RunningBackend } from "../../backend/src/runtime.js";

const CHROMIUM = "/usr/bin/chromium";
export const haveChromium = existsSync(CHROMIUM);
// On CI a missing browser must fail loudly; a silent skip there would hide the pages breaking.
if (!haveChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium package.`);

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  // The machine has no network: without these Chromium stalls on its own background requests.
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

/** Long enough for webhook → jobs → send → status webhooks → page poll on a slow CI box. */
export const UI_TIMEOUT = 10_000;

export interface Sandbox {
  backend: RunningBackend;
  close(): Promise<void>;
}

export async function startSandbox(replyDebounceMs: string): Promise<Sandbox> {
  const dataDir = mkdtempSync(join(tmpdir(), "salesbot-browser-"));
  const config = loadConfig({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, REPLY_DEBOUNCE_MS: replyDebounceMs, JOB_POLL_MS: "20", LOG_LEVEL: "silent" });
  expect(config.mode).toBe("sandbox");
  const backend = await startBackend(config, { logger: silentLogger });
  return {
    backend,
    async close() {
      await backend.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Resolves once the backend has decided about every message this customer sent (answered, or
 * deliberately not): after that no further bot reply can come, so a count seen on a page is final.
 */
export async function backendSettled(on: RunningBackend, waId: string, inboundCount: number): Promise<void> {
  const tenantId = on.config.tenant.id;
  await expect
    .poll(
      async () => {
        for (const conversation of await on.store.listConversations(tenantId, 500)) {
          const contact = await on.store.getContact(tenantId, conversation.contactId);
          if (contact?.waId !== waId) continue;
          const inbound = (await on.store.listMessages(tenantId, conversation.id)).filter((m) => m.direction === "inbound");
          return inbound.length === inboundCount && inbound.every((m) => m.seq <= conversation.answeredThroughSeq);
        }
        return false;
      },
      { timeout: UI_TIMEOUT, interval: 50 },
    )
    .toBe(true);
}
