import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable } from "../support/postgres.js";
import { startTestBackend, type TestBackend } from "../support/backend.js";

const stores = ["sqlite", "postgres"] as const;

describe.each(stores)("inbound message → bot reply, end to end (%s)", (store) => {
  let t: TestBackend | null = null;
  beforeAll(async () => {
    if (store === "postgres" && !(await postgresAvailable())) return;
    t = await startTestBackend({ store });
  });
  afterAll(async () => t?.close());

  const sends = (to: string) => t!.whatsapp.simulator.requests.filter((r) => (r.body as { to?: string } | null)?.to === to);

  async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error("timed out waiting");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it("answers each customer once, and the reply's statuses come back to it", async (context) => {
    if (!t) return context.skip();
    const customers = ["16505550101", "16505550102", "16505550103"];
    await Promise.all(customers.map((waId, i) => t!.whatsapp.simulator.customerSends(waId, `Customer ${i}`, { type: "text", text: "Hello there" })));
    for (const waId of customers) await until(() => (sends(waId).length > 0 ? true : undefined));
    await t.backend.runner.idle();
    for (const waId of customers) expect(sends(waId)).toHaveLength(1);

    const conversations = await t.backend.store.listConversations("default", 10);
    expect(conversations).toHaveLength(3);
    for (const conversation of conversations) {
      const outbound = await until(async () => {
        const messages = await t!.backend.store.listMessages("default", conversation.id);
        const reply = messages.find((m) => m.direction === "outbound");
        return reply?.status === "read" ? reply : undefined;
      });
      expect(outbound.wamid).toMatch(/^wamid\./);
    }
  });
});
