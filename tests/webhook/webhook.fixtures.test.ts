/**
 * Every real webhook body in ../shared/fixtures/whatsapp is accepted with 200 and lands as the right
 * records. Each fixture is routed to a tenant of its own (its phone_number_id is rewritten in the raw
 * text, nothing else), because Meta's examples reuse the same wamids across pages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBackend, type TestBackend } from "../support/backend.js";
import { listSharedFixtures, readSharedFixture, sharedFixturesAvailable } from "../support/fixtures.js";

interface FixtureValue {
  messages?: Array<{ id: string; type: string }>;
  statuses?: Array<{ id: string; status: string; errors?: Array<{ code: number }> }>;
  errors?: Array<{ code: number }>;
}

function valuesOf(raw: string): FixtureValue[] {
  const body = JSON.parse(raw) as { entry: Array<{ changes: Array<{ field: string; value: FixtureValue }> }> };
  return body.entry.flatMap((entry) => entry.changes.filter((change) => change.field === "messages").map((change) => change.value));
}

const knownStatuses = new Set(["sent", "delivered", "read", "played", "failed"]);
const available = sharedFixturesAvailable();

describe.skipIf(!available)("real WhatsApp webhook fixtures", () => {
  let t: TestBackend;
  const fixtures = available ? listSharedFixtures() : [];
  const tenantOf = (index: number) => `fixture-tenant-${index}`;
  const numberOf = (index: number) => `fx${index}`;

  beforeAll(async () => {
    // Replies are not the subject here: a long debounce keeps the bot from answering during the test.
    t = await startTestBackend({ env: { REPLY_DEBOUNCE_MS: "3600000", REPLY_MAX_WAIT_MS: "3600000" } });
    const now = Date.now();
    for (const [index] of fixtures.entries()) {
      await t.backend.store.upsertTenant({ id: tenantOf(index), name: `Fixture ${index}` }, now);
      await t.backend.store.upsertWhatsAppNumber({ tenantId: tenantOf(index), phoneNumberId: numberOf(index), displayPhoneNumber: null, accessToken: "EAAG-test-access-token" });
    }
    // The image fixture's media id exists at the fake, so its download can be checked.
    t.whatsapp.simulator.addMedia(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), "image/jpeg", "1003383421387256");
    const responses = await Promise.all(
      fixtures.map((name, index) => t.postWebhook(readSharedFixture(name).replace(/"phone_number_id":\s*"[^"]*"/g, `"phone_number_id": "${numberOf(index)}"`))),
    );
    expect(responses.map((r) => r.status)).toEqual(fixtures.map(() => 200));
    await t.backend.runner.idle(20_000);
  });
  afterAll(async () => t?.close());

  it("has the fixtures the team collected", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(38);
  });

  it.each(fixtures.map((name, index) => [name, index] as const))("%s lands as the right records", async (name, index) => {
    const tenantId = tenantOf(index);
    const store = t.backend.store;
    const events = await store.listChannelEvents(tenantId, 100);
    for (const value of valuesOf(readSharedFixture(name))) {
      for (const message of value.messages ?? []) {
        const stored = await store.findMessageByWamid(tenantId, message.id);
        expect(stored, `message ${message.id}`).not.toBeNull();
        expect(stored!.type).toBe(message.type);
        expect(stored!.direction).toBe("inbound");
        expect(stored!.text).not.toBe("");
      }
      for (const status of value.statuses ?? []) {
        if (knownStatuses.has(status.status)) {
          const recorded = await store.listStatusEvents(tenantId, status.id);
          expect(recorded.map((r) => r.status)).toContain(status.status);
          if (status.errors) expect(recorded.find((r) => r.status === status.status)!.errors).toEqual(status.errors);
        } else {
          expect(events.some((e) => e.kind === "unknown_field" && e.title === `status:${status.status}`)).toBe(true);
        }
      }
      for (const error of value.errors ?? []) {
        expect(events.some((e) => e.kind === "value_error" && e.code === error.code)).toBe(true);
      }
    }
    expect(events.filter((e) => e.kind === "malformed")).toEqual([]);
    expect(await store.jobs.listDead(10)).toEqual([]);
  });

  const indexOf = (prefix: string) => fixtures.findIndex((name) => name.startsWith(prefix));
  const conversationOf = async (prefix: string) => {
    const [conversation] = await t.backend.store.listConversations(tenantOf(indexOf(prefix)), 5);
    return conversation!;
  };

  it("keys a customer without a phone number by their business-scoped user id", async () => {
    for (const [prefix, userId] of [["24-", "US.13491208655302741918"], ["38-", "CO.1047385771169864"]] as const) {
      const contact = await t.backend.store.getContact(tenantOf(indexOf(prefix)), (await conversationOf(prefix)).contactId);
      expect(contact).toMatchObject({ userId, waId: null, phoneE164: null });
    }
    const named = await t.backend.store.getContact(tenantOf(indexOf("38-")), (await conversationOf("38-")).contactId);
    expect(named).toMatchObject({ profileName: "Julian", username: "Julianzlc" });
  });

  it("stores phone numbers in E.164 and follows a customer who changed number", async () => {
    const text = await t.backend.store.getContact(tenantOf(indexOf("01-")), (await conversationOf("01-")).contactId);
    expect(text!.phoneE164).toMatch(/^\+\d{8,15}$/);
    const moved = await t.backend.store.getContact(tenantOf(indexOf("16-")), (await conversationOf("16-")).contactId);
    expect(moved).toMatchObject({ waId: "12195555358", phoneE164: "+12195555358" });
  });

  it("stores a message duplicated inside one batch once", async () => {
    const conversation = await conversationOf("35-");
    const messages = await t.backend.store.listMessages(tenantOf(indexOf("35-")), conversation.id);
    const ids = messages.map((m) => m.wamid);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(1);
  });

  it("handles every change of a batch with several changes", async () => {
    const index = indexOf("34-");
    const values = valuesOf(readSharedFixture(fixtures[index]!));
    const ids = values.flatMap((v) => (v.messages ?? []).map((m) => m.id));
    expect(ids.length).toBe(2);
    for (const id of ids) expect(await t.backend.store.findMessageByWamid(tenantOf(index), id)).not.toBeNull();
  });

  it("renders each message type readably for the agent and the rep", async () => {
    const textOf = async (prefix: string) => (await t.backend.store.listMessages(tenantOf(indexOf(prefix)), (await conversationOf(prefix)).id))[0]!.text;
    expect(await textOf("04-")).toBe("[image] Taj Mahal");
    expect(await textOf("05-")).toBe("[voice message]");
    expect(await textOf("09-")).toMatch(/^\[location\] /);
    expect(await textOf("14-")).toMatch(/^\[reaction\] /);
    expect(await textOf("15-")).toMatch(/^\[order\] \d+ item/);
    expect(await textOf("17-")).toBe("[unsupported edit message]");
  });

  it("copies inbound media into our own storage right away", async () => {
    const media = await t.backend.store.getMedia(tenantOf(indexOf("04-")), "1003383421387256");
    expect(media).toMatchObject({ mimeType: "image/jpeg" });
    expect([...media!.bytes]).toEqual([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
  });
});
