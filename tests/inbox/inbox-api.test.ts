/**
 * The inbox API end to end: a customer's handoff reaches a named rep, the rep works it from the API,
 * the bot stays silent until the rep resolves, then the bot answers again. Plus the contract's
 * guarantees: schema-validated input, no caller no access, one tenant never sees another's data.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZConversationList, ZConversationView, ZHandoffView, ZMessageView, type Rep } from "@salesbot/shared";
import { demoKnowledge } from "../../backend/src/sandbox/demo-knowledge.js";
import { startTestBackend, TEST_API_TOKEN, type TestBackend } from "../support/backend.js";
import { Customer } from "../support/chat.js";

const reps: Rep[] = [
  { id: "ana", name: "Ana", email: null, teams: ["sales"], capacity: 2, status: "available", isLead: true },
  { id: "ben", name: "Ben", email: null, teams: ["sales"], capacity: 2, status: "available", isLead: false },
];

describe("inbox API", () => {
  let t: TestBackend;
  let waId = 16505558000;
  const api = (path: string, init: RequestInit & { as?: string; tenant?: string; token?: string | null } = {}) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (init.token !== null) headers.authorization = `Bearer ${init.token ?? TEST_API_TOKEN}`;
    headers["x-salesbot-tenant"] = init.tenant ?? "default";
    headers["x-salesbot-user"] = init.as ?? "ana";
    return fetch(`${t.backend.url}/api/v1${path}`, { ...init, headers });
  };
  const json = async <T>(response: Response | Promise<Response>): Promise<T> => (await response).json() as Promise<T>;

  beforeAll(async () => {
    t = await startTestBackend();
    const now = Date.now();
    await t.backend.store.transaction((tx) => tx.replaceKnowledge("default", demoKnowledge, now));
    for (const rep of reps) await t.backend.store.handoffs.upsertRep("default", rep, now);
    await t.backend.store.upsertTenant({ id: "other", name: "Other Co" }, now);
    await t.backend.store.handoffs.upsertRep("other", { ...reps[0]!, id: "olga" }, now);
  });
  afterAll(async () => t.close());

  async function handedOff(text = "I want to talk to a person") {
    const customer = new Customer(t, String(waId++), "Pat Lee");
    await customer.says("Hi");
    await customer.says(text);
    const { conversation } = await customer.conversation();
    return { customer, conversationId: conversation.id };
  }

  it("routes a handoff to a named rep with the summary and reason, and the card can read it", async () => {
    const { conversationId } = await handedOff();
    const response = await api(`/conversations/${conversationId}`);
    expect(response.status).toBe(200);
    const view = ZConversationView.parse(await response.json());
    expect(view.mode).toBe("human");
    expect(view.handoff).toMatchObject({ reason: "human_requested", status: "assigned", team: "sales" });
    expect(["ana", "ben"]).toContain(view.handoff!.ownerId);
    expect(view.handoff!.summary.text).toMatch(/Pat Lee/);
    expect(view.handoff!.sla.firstResponse.dueAt).toBeGreaterThan(view.handoff!.requestedAt);
    const etag = response.headers.get("etag")!;
    expect((await api(`/conversations/${conversationId}`, { headers: { "if-none-match": etag } as never })).status).toBe(200);
    const again = await fetch(`${t.backend.url}/api/v1/conversations/${conversationId}`, {
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, "x-salesbot-tenant": "default", "x-salesbot-user": "ana", "if-none-match": etag },
    });
    expect(again.status).toBe(304);
  });

  it("lets the rep reply, meets the SLA, keeps the bot silent, resolves, and the bot resumes", async () => {
    const { customer, conversationId } = await handedOff();
    const sent = await api(`/conversations/${conversationId}/messages`, { method: "POST", as: "ben", body: JSON.stringify({ text: "Hi Pat, Ben here. How can I help?" }) });
    expect(sent.status).toBe(202);
    expect(ZMessageView.parse(await sent.json())).toMatchObject({ sender: "human", direction: "outbound" });
    await t.backend.runner.idle();
    expect(customer.phone().at(-1)!.text).toBe("Hi Pat, Ben here. How can I help?");
    customer.catchUp();

    const view = ZConversationView.parse(await json(api(`/conversations/${conversationId}`)));
    expect(view.handoff).toMatchObject({ ownerId: "ben", status: "answered" });
    expect(view.handoff!.sla.firstResponse.metAt).not.toBeNull();

    expect(await customer.says("Can you send me the contract?")).toEqual([]);
    expect((await api(`/conversations/${conversationId}/notes`, { method: "POST", as: "ben", body: JSON.stringify({ text: "Wants the annual contract" }) })).status).toBe(201);
    expect((await api(`/conversations/${conversationId}/resolve`, { method: "POST", as: "ben", body: JSON.stringify({ outcome: "won" }) })).status).toBe(200);
    expect(ZConversationView.parse(await json(api(`/conversations/${conversationId}`))).mode).toBe("resolved");

    const [answer] = await customer.says("Is there a free trial?");
    expect(answer).toBe(demoKnowledge.find((k) => k.id === "free-trial")!.body);
    const audit = await json<{ entries: Array<{ action: string; actor: string }> }>(api(`/conversations/${conversationId}/audit`));
    const actions = audit.entries.map((e) => e.action);
    expect(actions[0]).toBe("handoff_requested");
    expect(actions).toContain("human_assigned");
    expect(actions.slice(-2)).toEqual(["resolved", "customer_wrote"]);
    expect(audit.entries.find((e) => e.action === "resolved")!.actor).toBe("ben");
    const notes = await json<{ notes: Array<{ text: string; authorId: string }> }>(api(`/conversations/${conversationId}/notes`));
    expect(notes.notes).toEqual([expect.objectContaining({ text: "Wants the annual contract", authorId: "ben" })]);
  });

  it("takes over from the bot, returns to the bot, and pages messages with a cursor", async () => {
    const customer = new Customer(t, String(waId++), "Quinn");
    for (const text of ["Hi", "We are 30 people", "next month"]) await customer.says(text);
    const { conversation } = await customer.conversation();
    const taken = ZHandoffView.parse(await json(api(`/conversations/${conversation.id}/take-over`, { method: "POST", as: "ana" })));
    expect(taken).toMatchObject({ ownerId: "ana", status: "assigned" });
    expect(await customer.says("hello?")).toEqual([]);
    expect((await api(`/conversations/${conversation.id}/return-to-bot`, { method: "POST", as: "ana" })).status).toBe(200);
    expect((await customer.says("Do you integrate with HubSpot?")).length).toBe(1);

    const first = await json<{ messages: Array<{ id: number }>; nextCursor: number | null }>(api(`/conversations/${conversation.id}/messages?limit=3`));
    expect(first.messages).toHaveLength(3);
    const second = await json<{ messages: Array<{ id: number }>; nextCursor: number | null }>(api(`/conversations/${conversation.id}/messages?limit=50&after=${first.nextCursor}`));
    expect(second.messages[0]!.id).toBeGreaterThan(first.messages[2]!.id);
    expect(second.nextCursor).toBeNull();
  });

  it("finds a CRM record's conversation by phone number", async () => {
    const { customer, conversationId } = await handedOff();
    const found = await json<{ conversations: Array<{ id: string }> }>(api(`/conversations?phone=%2B${customer.waId}`));
    expect(found.conversations.map((c) => c.id)).toEqual([conversationId]);
    expect((await api(`/conversations?phone=12345`)).status).toBe(400);
  });

  it("lists the account's recent conversations, newest first, answers 304 while nothing changed, and never another tenant's", async () => {
    const older = await handedOff();
    const newer = await handedOff();
    const recent = () => fetch(`${t.backend.url}/api/v1/conversations/recent?limit=100`, { headers: { authorization: `Bearer ${TEST_API_TOKEN}`, "x-salesbot-tenant": "default", "x-salesbot-user": "ana" } });
    const response = await recent();
    expect(response.status).toBe(200);
    const listed = ZConversationList.parse(await response.json()).conversations;
    const ids = listed.map((c) => c.id);
    expect(ids).toContain(older.conversationId);
    // The page is built in a few reads for all its conversations; each entry still says what the conversation itself says.
    expect(listed.length).toBeGreaterThanOrEqual(2);
    for (const view of listed) expect(view).toEqual(await json(api(`/conversations/${view.id}`)));
    expect(ids.indexOf(newer.conversationId)).toBeLessThan(ids.indexOf(older.conversationId));

    const etag = response.headers.get("etag")!;
    const unchanged = await fetch(`${t.backend.url}/api/v1/conversations/recent?limit=100`, {
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, "x-salesbot-tenant": "default", "x-salesbot-user": "ana", "if-none-match": etag },
    });
    expect(unchanged.status).toBe(304);
    // The older conversation comes to life again: it moves to the top, and the list is new.
    await older.customer.says("Any news?");
    const after = await recent();
    expect(after.headers.get("etag")).not.toBe(etag);
    const first = ZConversationList.parse(await after.json()).conversations[0]!;
    expect(first).toMatchObject({ id: older.conversationId, customer: { name: "Pat Lee" }, handoff: { reason: "human_requested" } });

    expect(ZConversationList.parse(await json(api(`/conversations/recent?limit=1`))).conversations.map((c) => c.id)).toEqual([older.conversationId]);
    expect((await api(`/conversations/recent?limit=0`)).status).toBe(400);
    expect(ZConversationList.parse(await json(api(`/conversations/recent`, { tenant: "other", as: "olga" }))).conversations).toEqual([]);
  });

  it("links a conversation to CRM records and finds it from the record, within the tenant only", async () => {
    const { conversationId } = await handedOff();
    const linked = await api(`/conversations/${conversationId}/crm-links`, { method: "POST", body: JSON.stringify({ crm: "hubspot", objectType: "deal", objectId: "9001" }) });
    expect(await linked.json()).toEqual({ links: [{ crm: "hubspot", objectType: "deal", objectId: "9001" }] });
    const found = await json<{ conversations: Array<{ id: string }> }>(api(`/crm/hubspot/deal/9001/conversations`));
    expect(found.conversations.map((c) => c.id)).toEqual([conversationId]);
    expect((await json<{ conversations: unknown[] }>(api(`/crm/hubspot/deal/9001/conversations`, { tenant: "other", as: "olga" }))).conversations).toEqual([]);
    expect((await api(`/crm/pipedrive/deal/1/conversations`)).status).toBe(400);
    expect((await api(`/conversations/${conversationId}/crm-links`, { method: "POST", tenant: "other", as: "olga", body: JSON.stringify({ crm: "hubspot", objectType: "deal", objectId: "1" }) })).status).toBe(404);
  });

  it("reports the bot-resolved share, first-response times and SLA misses", async () => {
    const bot = new Customer(t, String(waId++), "Solo");
    await bot.says("Is there a free trial?");
    const stats = await json<{ conversations: number; handedOff: number; botResolved: number; botResolvedShare: number; firstResponseMedianMs: number | null }>(api(`/reports/summary`));
    expect(stats.conversations).toBeGreaterThanOrEqual(stats.handedOff + 1);
    expect(stats.botResolved).toBe(stats.conversations - stats.handedOff);
    expect(stats.botResolvedShare).toBeCloseTo(stats.botResolved / stats.conversations);
    expect(stats.firstResponseMedianMs).not.toBeNull();
  });

  it("refuses callers it cannot verify", async () => {
    const { conversationId } = await handedOff();
    expect((await api(`/conversations/${conversationId}`, { token: null })).status).toBe(401);
    expect((await api(`/conversations/${conversationId}`, { token: "not-the-operator-token-xxxxxxxx" })).status).toBe(401);
    expect((await api(`/conversations/${conversationId}`, { as: "" })).status).toBe(401);
  });

  it("never shows one tenant another tenant's conversations, even with a valid token", async () => {
    const { conversationId } = await handedOff();
    expect((await api(`/conversations/${conversationId}`, { tenant: "other", as: "olga" })).status).toBe(404);
    expect((await api(`/conversations/${conversationId}/take-over`, { method: "POST", tenant: "other", as: "olga" })).status).toBe(404);
    expect((await json<{ handoffs: unknown[] }>(api(`/queues/teams/sales`, { tenant: "other", as: "olga" }))).handoffs).toEqual([]);
  });

  it("validates bodies against the shared schemas", async () => {
    const { conversationId } = await handedOff();
    const bad = await api(`/conversations/${conversationId}/resolve`, { method: "POST", body: JSON.stringify({ outcome: "maybe" }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("bad_request");
    expect((await api(`/conversations/${conversationId}/assign`, { method: "POST", body: JSON.stringify({ repId: "nobody" }) })).status).toBe(404);
  });

  it("publishes an OpenAPI document generated from the schemas, and a docs page", async () => {
    const doc = await json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(fetch(`${t.backend.url}/api/v1/openapi.json`));
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/conversations/recent", "/conversations/{id}", "/conversations/{id}/messages", "/conversations/{id}/take-over", "/queues/mine", "/reports/missed-handoffs"]));
    expect(JSON.stringify(doc.paths["/conversations/{id}/resolve"])).toContain('"won"');
    expect(JSON.stringify(doc.paths["/media/{id}"]?.get)).toContain("nosniff");
    const docs = await fetch(`${t.backend.url}/api/v1/docs`);
    expect(await docs.text()).toContain("/api/v1/conversations/{id}/take-over");
  });
});
