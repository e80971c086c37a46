/**
 * The sandbox phone page in a real browser (Debian's Chromium, driven by playwright-core): what a
 * person trying the product sees when they chat as a customer with the built-in simulator.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { phrases } from "../../backend/src/domain/agent/messages.js";
import { loadConfig } from "../../backend/src/config.js";
import { silentLogger } from "../../backend/src/observability/logger.js";
import { startBackend, type RunningBackend } from "../../backend/src/runtime.js";
import { backendSettled as settled, haveChromium, launchChromium, startSandbox, UI_TIMEOUT, type Sandbox } from "../support/browser.js";
import { bubbles, bubbleTexts, typeOnPhone as type } from "../support/phone-page.js";

describe.skipIf(!haveChromium)("sandbox phone page in Chromium", () => {
  let sandbox: Sandbox;
  let backend: RunningBackend;
  let browser: Browser;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    // A short debounce keeps these tests quick; the burst test brings its own backend.
    sandbox = await startSandbox("200");
    backend = sandbox.backend;
    browser = await launchChromium();
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  async function openPhone(waId: string, name: string, options: { viewport?: { width: number; height: number }; on?: RunningBackend } = {}): Promise<Page> {
    await context?.close();
    context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.goto(`${(options.on ?? backend).url}/?waId=${waId}&name=${encodeURIComponent(name)}`);
    return page;
  }

  const customerBubbles = (page: Page) => bubbles(page, "from_customer");
  const businessBubbles = (page: Page) => bubbles(page, "to_customer");
  const backendSettled = (waId: string, inboundCount: number, on: RunningBackend = backend) => settled(on, waId, inboundCount);

  it("shows the customer's message, then the bot's greeting, whose ticks turn blue once read", async () => {
    const page = await openPhone("15550100001", "Dana Buyer");
    await expect.poll(() => page.locator("#business").textContent()).toBe(backend.config.tenant.name);

    await type(page, "Hello");
    await expect.poll(() => bubbleTexts(page, "from_customer")).toEqual(["Hello"]);
    await expect.poll(() => bubbleTexts(page, "to_customer"), { timeout: UI_TIMEOUT }).toEqual([expect.stringMatching(/^Hi Dana! I'm the virtual assistant/)]);
    await expect.poll(() => page.locator("#text").inputValue()).toBe("");

    // Chronological, as a chat reads: the customer's message first, the reply under it.
    const order = await page.locator("#chat .msg").evaluateAll((els) => els.map((el) => el.getAttribute("data-direction")));
    expect(order).toEqual(["from_customer", "to_customer"]);

    const reply = businessBubbles(page).first();
    await expect.poll(() => reply.getAttribute("data-status"), { timeout: UI_TIMEOUT }).toBe("read");
    const ticks = reply.locator(".ticks");
    expect(await ticks.getAttribute("data-status")).toBe("read");
    expect(await ticks.textContent()).toBe("\u2713\u2713");
    // Read ticks are WhatsApp blue, unlike the grey of sent/delivered.
    expect(await ticks.evaluate((el) => getComputedStyle(el).color)).toBe("rgb(83, 189, 235)");

    // As on the customer's own phone: their messages on the right, the business's on the left.
    const mine = await customerBubbles(page).first().boundingBox();
    const theirs = await reply.boundingBox();
    const chat = await page.locator("#chat").boundingBox();
    expect(mine && theirs && chat).toBeTruthy();
    expect(mine!.x + mine!.width).toBeGreaterThan(chat!.x + chat!.width - 20);
    expect(theirs!.x).toBeLessThan(chat!.x + 20);

    await page.screenshot({ path: "/tmp/sandbox.png" });
  });

  it("answers a quick burst of three messages with exactly one reply", async () => {
    // The shipped debounce. With 200 ms the burst is not a burst here: on a busy two-core box each
    // of Playwright's fill/press steps takes 20-230 ms, so the three messages land up to ~0.6 s apart
    // and the backend rightly answers them in two goes.
    const shipped = await startSandbox("1500");
    onTestFinished(() => shipped.close());
    const page = await openPhone("15550100002", "Sam Burst", { on: shipped.backend });
    const burst = ["I need", "a CRM integration", "for 20 people"];
    for (const text of burst) await type(page, text);

    await expect.poll(async () => (await bubbleTexts(page, "from_customer")).sort()).toEqual([...burst].sort());
    await backendSettled("15550100002", burst.length, shipped.backend);
    const reply = businessBubbles(page).first();
    await expect.poll(() => reply.getAttribute("data-status"), { timeout: UI_TIMEOUT }).toBe("read");
    expect(await bubbleTexts(page, "to_customer")).toEqual([expect.stringMatching(/\?/)]);
  });

  it("shows the handoff notice when a person is asked for, and the bot stays silent afterwards", async () => {
    const page = await openPhone("15550100003", "Robin Human");
    await type(page, "can I talk to a person?");
    await expect.poll(() => bubbleTexts(page, "to_customer"), { timeout: UI_TIMEOUT }).toEqual([phrases.en.handoff]);

    await type(page, "hello? anyone there?");
    await expect.poll(() => bubbleTexts(page, "from_customer")).toEqual(["can I talk to a person?", "hello? anyone there?"]);
    await backendSettled("15550100003", 2);
    // The backend has decided; give any reply it might still send time to reach the page.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await businessBubbles(page).count()).toBe(1);
    expect(await bubbleTexts(page, "to_customer")).toEqual([phrases.en.handoff]);
  });

  it("fits laptop, small-window and phone screens: nothing cut off, nothing overlapping the phone", async () => {
    const viewports = [
      { width: 1280, height: 720 },
      { width: 800, height: 600 },
      { width: 390, height: 844 },
    ];
    for (const [i, viewport] of viewports.entries()) {
      const page = await openPhone(`1555010010${i}`, "Lee Layout", { viewport });
      await expect.poll(() => page.locator("#business").textContent()).toBe(backend.config.tenant.name);
      const where = `${viewport.width}x${viewport.height}`;
      const scroll = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }));
      expect(scroll, where).toEqual({ width: viewport.width, height: viewport.height });

      const inside = (box: { x: number; y: number; width: number; height: number } | null) =>
        box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height;
      expect(inside(await page.locator(".phone").boundingBox()), `${where}: phone`).toBe(true);
      expect(inside(await page.getByRole("button", { name: "Send" }).boundingBox()), `${where}: send button`).toBe(true);

      const note = await page.locator(".note").boundingBox();
      const phone = (await page.locator(".phone").boundingBox())!;
      if (note) {
        const overlaps = note.x < phone.x + phone.width && phone.x < note.x + note.width && note.y < phone.y + phone.height && phone.y < note.y + note.height;
        expect(overlaps, `${where}: note over the phone`).toBe(false);
      }
    }
  });
});

describe("sandbox page in live mode", () => {
  let dataDir: string;
  let backend: RunningBackend;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "salesbot-live-"));
    const config = loadConfig({
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      WHATSAPP_ACCESS_TOKEN: "EAAG-live-token",
      WHATSAPP_APP_SECRET: "live-app-secret",
      WHATSAPP_VERIFY_TOKEN: "live-verify-token",
      WHATSAPP_PHONE_NUMBER_ID: "106540352242922",
      // Nothing listens on the discard port: a stray send fails instead of leaving the machine.
      WHATSAPP_GRAPH_BASE_URL: "http://127.0.0.1:9",
      SECRETS_KEY: Buffer.alloc(32, 9).toString("base64"),
      LOG_LEVEL: "silent",
    });
    expect(config.mode).toBe("live");
    backend = await startBackend(config, { logger: silentLogger });
  });

  afterAll(async () => {
    await backend?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("serves neither the phone page, the rep console nor their API", async () => {
    for (const path of ["/", "/console", "/console?rep=ana", "/sandbox/api/phone", "/sandbox/api/phone?waId=15550100001&viewing=1"]) {
      const response = await fetch(`${backend.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toContain("<html");
    }
    const post = await fetch(`${backend.url}/sandbox/api/phone/messages?waId=15550100001`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "text", text: "hi" }),
    });
    expect(post.status).toBe(404);
    // The server is up and answering: the 404s above are not a dead port.
    expect((await fetch(`${backend.url}/healthz`)).status).toBe(200);
  });
});
