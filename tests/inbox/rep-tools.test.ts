/**
 * The rep's tools through the inbox API: a suggested reply, shared mode, scheduled follow-ups within
 * WhatsApp's rules, approvals by a team lead, templates synced from the account, and the idle return.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ZInboxSettings, type Rep } from "@salesbot/shared";
import { demoKnowledge } from "../../backend/src/sandbox/demo-knowledge.js";
import { startTestBackend, TEST_API_TOKEN, TEST_PHONE_NUMBER_ID, type TestBackend } from "../support/backend.js";
import { Customer } from "../support/chat.js";
import { ShiftableClock } from "../support/clock.js";
import { envelope } from "../support/webhooks.js";

const TENANT = "default";
const reps: Rep[] = [
  { id: "ana", name: "Ana", email: null, teams: ["sales"], capacity: 5, status: "available", isLead: true },
  { id: "ben", name: "Ben", email: null, teams: ["sales"], capacity: 5, status: "away", isLead: false },
];

describe("rep tools", () => {
  let t: TestBackend;
  let clock: ShiftableClock;
  let waId = 16505556000;

  beforeEach(async () => {
    clock = new ShiftableClock();
    t = await startTestBackend({ overrides: { clock }, env: { WHATSAPP_BUSINESS_ACCOUNT_ID: "waba-1" } });
    const now = clock.now();
    await t.backend.store.transaction((tx) => tx.replaceKnowledge(TENANT, demoKnowledge, now));
    for (const rep of reps) await t.backend.store.handoffs.upsertRep(TENANT, rep, now);
    await t.backend.runner.idle();
  });
  afterEach(async () => t.close());

  const api = (path: string, init: { method?: string; body?: unknown; as?: string } = {}) =>
    fetch(`${t.backend.url}/api/v1${path}`, {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, "x-salesbot-tenant": TENANT, "x-salesbot-user": init.as ?? "ana", "content-type": "application/json" },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });

  async function handedOff() {
    const customer = new Customer(t, String(waId++), "Robin");
    await customer.says("I'd like to talk to a person please");
    const { conversation } = await customer.conversation();
    return { customer, id: conversation.id };
  }

  it("drafts a reply from approved sources, and drafts nothing it would hand off", async () => {
    const { customer, id } = await handedOff();
    await customer.says("Is there a free trial?");
    const draft = await (await api(`/conversations/${id}/suggested-reply`)).json();
    expect(draft).toMatchObject({ kind: "reply", text: demoKnowledge.find((k) => k.id === "free-trial")!.body, sourceId: "free-trial", sourceIds: ["free-trial"] });
    // Still unanswered by the rep, the trial question is drafted for again, with the two new ones.
    await customer.says("Which CRM integrations do you support? And how long does setup take?");
    const all = await (await api(`/conversations/${id}/suggested-reply`)).json();
    expect(all).toMatchObject({ kind: "reply", sourceId: "free-trial", sourceIds: ["free-trial", "integrations", "setup-time"] });
    for (const sourceId of all.sourceIds) expect(all.text).toContain(demoKnowledge.find((k) => k.id === sourceId)!.body);
    await customer.says("Can you give me 30% off?");
    expect(await (await api(`/conversations/${id}/suggested-reply`)).json()).toMatchObject({ kind: "handoff", text: null, handoffReason: "pricing_or_contract" });
  });

  it("drafts nothing for a voice note without words: the rep can play it", async () => {
    const { customer, id } = await handedOff();
    const mediaId = t.whatsapp.simulator.addMedia(new Uint8Array([1, 2, 3]), "audio/ogg");
    const body = envelope(TEST_PHONE_NUMBER_ID, {
      contacts: [{ profile: { name: customer.name }, wa_id: customer.waId }],
      messages: [{ from: customer.waId, id: "wamid.voice-for-the-rep", timestamp: String(Math.floor(clock.now() / 1000)), type: "audio", audio: { id: mediaId, mime_type: "audio/ogg; codecs=opus", voice: true } }],
    });
    expect((await t.postWebhook(body)).status).toBe(200);
    await t.backend.runner.idle();
    expect(await (await api(`/conversations/${id}/suggested-reply`)).json()).toMatchObject({ kind: "none", text: null });
  });

  it("shared mode: the rep owns the conversation, the bot stays silent", async () => {
    const { customer, id } = await handedOff();
    expect((await api(`/conversations/${id}/bot-drafting`, { method: "PUT", body: { enabled: true } })).status).toBe(200);
    expect((await (await api(`/conversations/${id}`)).json()).mode).toBe("shared");
    expect(await customer.says("Is there a free trial?")).toEqual([]);
  });

  it("sends a scheduled follow-up at its time, refuses free text past the window, and sends a template there", async () => {
    const { customer, id } = await handedOff();
    customer.catchUp();
    const soon = await api(`/conversations/${id}/follow-ups`, { method: "POST", body: { at: clock.now() + 60 * 60_000, text: "Did you get a chance to look at the brochure?" } });
    expect(soon.status).toBe(201);
    const late = await api(`/conversations/${id}/follow-ups`, { method: "POST", body: { at: clock.now() + 25 * 60 * 60_000, text: "Still interested?" } });
    expect(late.status).toBe(422);
    expect((await late.json()).error.code).toBe("window_closed");
    const template = await api(`/conversations/${id}/follow-ups`, {
      method: "POST",
      body: { at: clock.now() + 25 * 60 * 60_000, template: { name: "follow_up", language: "en_US", variables: ["Robin", "the Growth plan"] } },
    });
    expect(template.status).toBe(201);
    const cancelled = await api(`/conversations/${id}/follow-ups`, { method: "POST", body: { at: clock.now() + 2 * 60 * 60_000, text: "Never mind" } });
    expect((await api(`/follow-ups/${(await cancelled.json()).id}`, { method: "DELETE" })).status).toBe(200);

    clock.advance(61 * 60_000);
    await t.backend.runner.idle();
    clock.advance(3 * 60 * 60_000);
    await t.backend.runner.idle();
    expect(customer.phone().filter((m) => m.direction === "to_customer").slice(-1).map((m) => m.text)).toEqual(["Did you get a chance to look at the brochure?"]);
    clock.advance(22 * 60 * 60_000);
    await t.backend.runner.idle();
    expect(customer.phone().at(-1)!.text).toBe("[template follow_up]");
    const list = (await (await api(`/conversations/${id}/follow-ups`)).json()).followUps as Array<{ status: string }>;
    expect(list.map((f) => f.status)).toEqual(["sent", "cancelled", "sent"]);
  });

  it("lets only a lead of the team decide an approval request", async () => {
    const { id } = await handedOff();
    const requested = await api(`/conversations/${id}/approvals`, { method: "POST", as: "ben", body: { kind: "discount", detail: "15% off annual Growth for 50 seats" } });
    expect(requested.status).toBe(201);
    const approval = await requested.json();
    expect(approval).toMatchObject({ status: "pending", requestedBy: "ben" });
    const byBen = await api(`/approvals/${approval.id}/decision`, { method: "POST", as: "ben", body: { approve: true } });
    expect(byBen.status).toBe(403);
    const byAna = await api(`/approvals/${approval.id}/decision`, { method: "POST", as: "ana", body: { approve: true, comment: "OK for annual" } });
    expect(await byAna.json()).toMatchObject({ status: "approved", decidedBy: "ana", comment: "OK for annual" });
    expect((await api(`/approvals/${approval.id}/decision`, { method: "POST", as: "ana", body: { approve: false } })).status).toBe(409);
    expect((await (await api(`/approvals?status=pending`)).json()).approvals).toEqual([]);
  });

  it("syncs templates from the WhatsApp account across pages and checks a rep's template before sending", async () => {
    const listed = (await (await api(`/templates`)).json()).templates as Array<{ name: string; bodyParameters: number }>;
    expect(listed.map((x) => x.name).sort()).toEqual(["follow_up", "seguimiento", "welcome_back"]);
    expect(listed.find((x) => x.name === "follow_up")!.bodyParameters).toBe(2);
    expect(t.whatsapp.simulator.requests.filter((r) => r.path.endsWith("/waba-1/message_templates")).length).toBe(2);

    const { id } = await handedOff();
    const wrong = await api(`/conversations/${id}/messages`, { method: "POST", body: { template: { name: "follow_up", language: "en_US", variables: ["only one"] } } });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error.message).toMatch(/takes 2 variable/);
    expect((await api(`/conversations/${id}/messages`, { method: "POST", body: { template: { name: "spring_promo", language: "en_US" } } })).status).toBe(400);
    const right = await api(`/conversations/${id}/messages`, { method: "POST", body: { template: { name: "follow_up", language: "en_US", variables: ["Robin", "pricing"] } } });
    expect(right.status).toBe(202);
    await t.backend.runner.idle();
    expect(t.whatsapp.simulator.requests.at(-1)!.body).toMatchObject({
      type: "template",
      template: { name: "follow_up", language: { code: "en_US" }, components: [{ type: "body", parameters: [{ type: "text", text: "Robin" }, { type: "text", text: "pricing" }] }] },
    });
  });

  it("returns an idle conversation to the bot when the tenant asks for it", async () => {
    await t.backend.store.handoffs.putSettings(TENANT, ZInboxSettings.parse({ idleReturnMinutes: 30 }), clock.now());
    const { customer, id } = await handedOff();
    expect((await api(`/conversations/${id}/messages`, { method: "POST", body: { text: "Hi Robin, Ana here." } })).status).toBe(202);
    clock.advance(31 * 60_000);
    await t.backend.runner.idle();
    expect((await (await api(`/conversations/${id}`)).json()).mode).toBe("bot");
    const audit = (await (await api(`/conversations/${id}/audit`)).json()).entries as Array<{ action: string }>;
    expect(audit.map((a) => a.action)).toContain("idle_return");
    customer.catchUp();
    expect((await customer.says("Is there a free trial?")).length).toBe(1);
  });
});
