/**
 * The rep console in a real browser, next to the customer's phone: a quote request is handed off, a
 * rep takes it over and answers, the bot stays silent while the rep owns the conversation, the rep
 * notes and resolves, and the bot answers the next routine question. Both pages talk only to the
 * sandbox backend over HTTP, as a person trying the product would.
 */
import { Script } from "node:vm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { phrases } from "../../backend/src/domain/agent/messages.js";
import { demoKnowledge } from "../../backend/src/sandbox/demo-knowledge.js";
import { backendSettled, haveChromium, launchChromium, startSandbox, UI_TIMEOUT, type Sandbox } from "../support/browser.js";
import { consoleOf } from "../support/console-page.js";
import { bubbles, bubbleTexts, typeOnPhone } from "../support/phone-page.js";

const poll = { timeout: UI_TIMEOUT };
const HOUR = 3600_000;

describe("rep console page", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox("200");
  });
  afterAll(async () => sandbox?.close());

  it("is one self-contained page that carries this process's console token and is never cached", async () => {
    const response = await fetch(`${sandbox.backend.url}/console`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const html = await response.text();
    expect(html).toContain(JSON.stringify(sandbox.backend.consoleToken));
    // Nothing fetched from elsewhere: no external scripts, styles, fonts or images.
    expect(html).not.toMatch(/\bsrc=|<link\b|@import|url\(|https?:\/\//);
  });

  it("carries a script that parses, so a syntax slip fails here even where no browser runs", async () => {
    const html = await (await fetch(`${sandbox.backend.url}/console`)).text();
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    expect(() => new Script(scripts[0]!)).not.toThrow();
  });

  it("is linked from the phone page", async () => {
    const phone = await (await fetch(`${sandbox.backend.url}/`)).text();
    expect(phone).toContain('href="/console"');
  });
});

describe.skipIf(!haveChromium)("rep console in Chromium", () => {
  let sandbox: Sandbox;
  let browser: Browser;
  let context: BrowserContext | undefined;
  const url = (path: string) => `${sandbox.backend.url}${path}`;

  beforeAll(async () => {
    sandbox = await startSandbox("200");
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

  async function pages(): Promise<{ newPage(path: string): Promise<Page> }> {
    context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const opened = context;
    return {
      async newPage(path) {
        const page = await opened.newPage();
        await page.goto(url(path));
        return page;
      },
    };
  }

  it("hands a quote request to a rep, who answers on the customer's phone; the bot waits, then answers again once resolved", async () => {
    const waId = "15550300001";
    const customer = "Alex Quote";
    const open = await pages();
    const phone = await open.newPage(`/?waId=${waId}&name=${encodeURIComponent(customer)}`);
    const page = await open.newPage("/console?rep=ana");
    const rep = consoleOf(page);
    const notModified: string[] = [];
    page.on("response", (r) => {
      if (r.status() === 304) notModified.push(new URL(r.url()).pathname);
    });

    await typeOnPhone(phone, "Can you send me a quote for 50 seats?");
    await expect.poll(() => bubbleTexts(phone, "to_customer"), poll).toEqual([phrases.en.handoff]);

    // Routed to the sales team, to Ana or Ben: both find it in the team's queue.
    await rep.open(/^Sales/, customer);
    await expect.poll(() => rep.field("handoff-reason"), poll).toBe("Pricing or contract");
    expect(await rep.field("summary-text")).toMatch(/asked for a quote.*team of 50/);
    expect(await rep.field("handoff-team")).toBe("Sales");
    expect(await rep.field("handoff-status")).toBe("Assigned, not answered");
    const routedTo = await rep.field("handoff-owner");
    expect(routedTo).toMatch(/^(Ana Souza \(you\)|Ben Okafor)$/);
    expect(await rep.slaState()).toBe("running");
    expect(await rep.field("sla-label")).toBe("First response due in");
    const firstReading = await rep.field("sla-timer");
    expect(firstReading).toMatch(/^\d{1,2}:\d\d$/);
    await expect.poll(() => rep.field("sla-timer"), { timeout: 3000, interval: 200 }).not.toBe(firstReading);
    await expect.poll(() => rep.transcript(), poll).toEqual([
      ["customer", "Can you send me a quote for 50 seats?", "received"],
      ["bot", phrases.en.handoff, expect.stringMatching(/^(sent|delivered|read)$/)],
    ]);
    await page.screenshot({ path: "/tmp/console-1-handoff.png" });

    // The other sales rep takes it over: the picker switches who the console acts as.
    const taker = routedTo === "Ben Okafor" ? { id: "ana", name: "Ana Souza", other: "Ben Okafor" } : { id: "ben", name: "Ben Okafor", other: "Ana Souza" };
    await page.getByRole("combobox", { name: "Acting as" }).selectOption(taker.id);
    await expect.poll(() => rep.field("handoff-owner"), poll).toBe(taker.other);
    await rep.button("Take over").click();
    await expect.poll(() => rep.field("handoff-owner"), poll).toBe(`${taker.name} (you)`);
    expect(await rep.button("Take over").isDisabled()).toBe(true);
    await rep.tab(/^Mine/).click();
    await expect.poll(() => rep.queueItem(customer).count(), poll).toBe(1);

    const answer = `Hi Alex, ${taker.name.split(" ")[0]} from sales here. I'll put together a quote for 50 seats today.`;
    await rep.reply.fill(answer);
    await rep.button("Send").click();
    await expect.poll(() => bubbleTexts(phone, "to_customer"), poll).toEqual([phrases.en.handoff, answer]);
    await expect.poll(() => rep.reply.inputValue()).toBe("");
    // The phone page is open, so WhatsApp reports the rep's message read, and the console shows it.
    await expect.poll(async () => (await rep.transcript()).at(-1), poll).toEqual(["human", answer, "read"]);
    await expect.poll(() => rep.slaState(), poll).toBe("met");
    expect(await rep.field("handoff-status")).toBe("Answered");
    await page.screenshot({ path: "/tmp/console-2-answered.png" });

    // Only the rep answers now: the customer's next message reaches the console, and no bot reply comes.
    await typeOnPhone(phone, "Great, can the quote include annual billing?");
    await expect.poll(async () => (await rep.transcript()).at(-1), poll).toEqual(["customer", "Great, can the quote include annual billing?", "received"]);
    await backendSettled(sandbox.backend, waId, 2);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await bubbleTexts(phone, "to_customer")).toEqual([phrases.en.handoff, answer]);

    const note = "Wants annual billing on the 50-seat quote; send by Friday.";
    await page.getByRole("textbox", { name: "Internal note" }).fill(note);
    await rep.button("Add note").click();
    await expect.poll(() => rep.notes(), poll).toEqual([note]);
    expect(await page.locator("#notes li .note-meta").first().textContent()).toMatch(new RegExp(`^${taker.name} · `));
    await page.screenshot({ path: "/tmp/console-3-note.png" });

    await page.getByRole("combobox", { name: "Outcome" }).selectOption("won");
    await rep.button("Resolve").click();
    await expect.poll(() => rep.field("conv-mode"), poll).toBe("Resolved");
    expect(await rep.field("handoff-status")).toBe("Resolved");
    expect(await rep.field("sla-timer")).toBe("Closed · won");
    await expect.poll(() => rep.queueItem(customer).count(), poll).toBe(0);

    const trial = demoKnowledge.find((k) => k.id === "free-trial")!.body;
    await typeOnPhone(phone, "Is there a free trial?");
    await expect.poll(() => bubbleTexts(phone, "to_customer"), poll).toEqual([phrases.en.handoff, answer, trial]);
    await expect.poll(async () => (await rep.transcript()).at(-1)?.slice(0, 2), poll).toEqual(["bot", trial]);
    // The note was the team's: it never reached the customer's phone.
    expect(await phone.locator("#chat").textContent()).not.toContain("annual billing on the 50-seat quote");
    expect(await bubbles(phone, "to_customer").count()).toBe(3);
    await page.screenshot({ path: "/tmp/console-4-resolved.png" });

    // Idle polls were answered from the ETag, not recomputed and resent.
    expect(notModified.filter((path) => path.startsWith("/api/v1/queues/")).length).toBeGreaterThan(0);
    expect(notModified).toContain("/api/v1/conversations/recent");
    // A dozen UI round trips through webhooks and jobs: a slow CI box needs more than the default 30 s.
  }, 90_000);

  it("shows the rep the API's refusal instead of swallowing it: no template to a customer who opted out", async () => {
    const customer = "Olive Optout";
    await sandbox.backend.simulator!.customerSends("15550300002", customer, { type: "text", text: "STOP" });
    await backendSettled(sandbox.backend, "15550300002", 1);
    const page = await (await pages()).newPage("/console?rep=ben");
    const rep = consoleOf(page);
    await rep.open(/^All/, customer);
    await expect.poll(() => rep.field("conv-sub"), poll).toContain("Opted out");
    const sentBefore = (await rep.transcript()).length;

    await rep.button("Send a template instead").click();
    await page.getByRole("textbox", { name: "Template name" }).fill("spring_offer");
    await rep.button("Send template").click();
    await expect.poll(() => rep.toast.isVisible(), poll).toBe(true);
    expect(await rep.toast.getAttribute("data-code")).toBe("opted_out");
    expect(await rep.toast.textContent()).toContain("The customer opted out of messages from this business");
    // Nothing was sent and nothing changed hands; the rep's input is kept for a second look.
    expect(await page.getByRole("textbox", { name: "Template name" }).inputValue()).toBe("spring_offer");
    expect((await rep.transcript()).length).toBe(sentBefore);
    expect(await rep.field("handoff-owner")).toBe("—");
    await page.screenshot({ path: "/tmp/console-5-error.png" });
    await rep.button("Dismiss").click();
    expect(await rep.toast.isVisible()).toBe(false);
  });

  it("turns the SLA timer red once the first response is overdue, and asks for a template once the 24-hour window has closed", async () => {
    const customer = "Tess Late";
    await sandbox.backend.simulator!.customerSends("15550300003", customer, { type: "text", text: "I want to talk to a person" });
    await backendSettled(sandbox.backend, "15550300003", 1);
    context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    // A day and an hour later, in the browser: the handoff's clocks are the backend's, the rep's "now" is the page's.
    await page.clock.setFixedTime(Date.now() + 25 * HOUR);
    await page.goto(url("/console?rep=carla"));
    const rep = consoleOf(page);
    await rep.open(/^All/, customer);

    await expect.poll(() => rep.slaState(), poll).toBe("breached");
    expect(await rep.field("sla-label")).toBe("First response overdue");
    expect(await rep.field("sla-timer")).toMatch(/^−2[45]:\d\d:\d\d$/);
    expect(await page.locator("#sla-timer").evaluate((el) => getComputedStyle(el).color)).toBe("rgb(201, 48, 44)");
    expect(await rep.queueItem(customer).locator(".timer").getAttribute("data-state")).toBe("breached");

    expect(await page.locator("#window-closed").isVisible()).toBe(true);
    expect(await page.locator("#window-closed").textContent()).toContain("Template needed");
    expect(await rep.reply.isVisible()).toBe(false);
    expect(await page.getByRole("textbox", { name: "Template name" }).isVisible()).toBe(true);
    await page.screenshot({ path: "/tmp/console-6-overdue.png" });
  });

  it("assigns the conversation to another rep, and returns it to the bot, who answers again", async () => {
    const customer = "Sam Switch";
    const waId = "15550300004";
    const simulator = sandbox.backend.simulator!;
    await simulator.customerSends(waId, customer, { type: "text", text: "I want to talk to a person" });
    await backendSettled(sandbox.backend, waId, 1);
    const page = await (await pages()).newPage("/console?rep=ana");
    const rep = consoleOf(page);
    await rep.open(/^All/, customer);
    await expect.poll(() => rep.field("handoff-reason"), poll).toBe("Asked for a person");

    await page.getByRole("combobox", { name: "Assign to" }).selectOption("carla");
    await rep.button("Assign").click();
    await expect.poll(() => rep.field("handoff-owner"), poll).toBe("Carla Meyer");
    const audit = await sandbox.backend.store.handoffs.listAudit(sandbox.backend.config.tenant.id, (await page.evaluate(() => new URLSearchParams(location.search).get("c")))!);
    expect(audit.at(-1)).toMatchObject({ actor: "ana", action: "human_assigned" });

    await rep.button("Return to bot").click();
    await expect.poll(() => rep.field("conv-mode"), poll).toBe("Bot");
    expect(await rep.field("handoff-status")).toBe("Returned to bot");
    expect(await rep.button("Return to bot").isDisabled()).toBe(true);

    await simulator.customerSends(waId, customer, { type: "text", text: "Do you integrate with HubSpot?" });
    await expect.poll(async () => (await rep.transcript()).at(-1)?.slice(0, 2), poll).toEqual(["bot", expect.stringContaining("HubSpot and Salesforce")]);
  });

  it("keeps a rep's availability: away, then available again", async () => {
    const page = await (await pages()).newPage("/console?rep=carla");
    const toggle = page.getByRole("switch", { name: "Available for handoffs" });
    await expect.poll(() => toggle.getAttribute("aria-checked"), poll).toBe("true");
    await toggle.click();
    await expect.poll(() => toggle.getAttribute("aria-checked"), poll).toBe("false");
    expect((await sandbox.backend.store.handoffs.getRep(sandbox.backend.config.tenant.id, "carla"))?.status).toBe("away");
    await toggle.click();
    await expect.poll(() => toggle.getAttribute("aria-checked"), poll).toBe("true");
    expect((await sandbox.backend.store.handoffs.getRep(sandbox.backend.config.tenant.id, "carla"))?.status).toBe("available");
  });
});
