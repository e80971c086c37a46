/**
 * Logs carry ids and outcomes, never what customers wrote, their phone numbers or names, nor tokens:
 * a whole conversation (greeting, card number, handoff, rep reply, Graph errors) runs at debug level
 * and every log line is searched for them.
 */
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Rep } from "@salesbot/shared";
import { createLogger } from "../../backend/src/observability/logger.js";
import { startTestBackend, TEST_ACCESS_TOKEN, TEST_API_TOKEN, TEST_APP_SECRET, type TestBackend } from "../support/backend.js";
import { Customer } from "../support/chat.js";

describe("logs keep personal data and secrets out", () => {
  let t: TestBackend;
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString("utf8"));
      done();
    },
  });

  beforeAll(async () => {
    t = await startTestBackend({ overrides: { logger: createLogger("debug", sink) } });
    const rep: Rep = { id: "ana", name: "Ana", email: null, teams: ["sales", "support"], capacity: 5, status: "available", isLead: true };
    await t.backend.store.handoffs.upsertRep("default", rep, Date.now());
  });
  afterAll(async () => t.close());

  it("logs a whole conversation without its content", async () => {
    const customer = new Customer(t, "16505554242", "Zelda Quartermaine");
    await customer.says("Hello there");
    await customer.says("my card 4111 1111 1111 1111 was charged twice, password hunter2");
    const { conversation } = await customer.conversation();
    t.whatsapp.simulator.failNextSends({ httpStatus: 400, code: 130429, message: "Rate limit hit" });
    await fetch(`${t.backend.url}/api/v1/conversations/${conversation.id}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, "x-salesbot-tenant": "default", "x-salesbot-user": "ana", "content-type": "application/json" },
      body: JSON.stringify({ text: "Hi Zelda, Ana here, sorting out the double charge" }),
    });
    await t.backend.runner.idle();

    expect(lines.length).toBeGreaterThan(0);
    const log = lines.join("");
    for (const secret of ["Zelda", "Quartermaine", "16505554242", "hunter2", "double charge", "Hello there", TEST_ACCESS_TOKEN, TEST_APP_SECRET, TEST_API_TOKEN]) {
      expect(log, `the logs contain ${secret}`).not.toContain(secret);
    }
    // The whole card number in any spacing: a bare "4111" also matches a random port such as 41113.
    expect(log, "the logs contain the card number").not.toMatch(/4111[\s-]*1111[\s-]*1111[\s-]*1111/);
  });
});
