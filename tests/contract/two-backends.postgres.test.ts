/**
 * End to end on a scaled-out deployment: two complete backends on one PostgreSQL, Meta delivering
 * each webhook to either of them, and redelivering it to the other. Each customer message must be
 * stored once and answered once, and the queue must drain completely.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresDriver } from "../../backend/src/adapters/store/postgres-driver.js";
import type { Agent, AgentDecision, AgentInput } from "../../backend/src/domain/agent.js";
import { startTestBackend, TEST_PHONE_NUMBER_ID, type TestBackend } from "../support/backend.js";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../support/postgres.js";

const CUSTOMERS = 10;
const MESSAGES_PER_CUSTOMER = 10;

class RecordingAgent implements Agent {
  constructor(private readonly decisions: string[][]) {}
  async decide(input: AgentInput): Promise<AgentDecision> {
    this.decisions.push(input.pending.map((turn) => turn.text));
    return { kind: "question", field: "need", text: `Got ${input.pending.length} message(s).`, intent: "other", confidence: 1, language: "en", learned: {} };
  }
}

function messageBody(customer: number, index: number): string {
  const waId = `1650555${String(customer).padStart(4, "0")}`;
  const message = { from: waId, id: `wamid.two-${customer}-${index}`, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: `msg-${customer}-${index}` } };
  const value = { messaging_product: "whatsapp", metadata: { display_phone_number: "15550783881", phone_number_id: TEST_PHONE_NUMBER_ID }, contacts: [{ profile: { name: `Customer ${customer}` }, wa_id: waId }], messages: [message] };
  return JSON.stringify({ object: "whatsapp_business_account", entry: [{ id: "1", changes: [{ field: "messages", value }] }] });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!(await postgresAvailable()))("two backends on one PostgreSQL", () => {
  let database: TestDatabase;
  let sql: PostgresDriver;
  let instances: TestBackend[] = [];
  const decisions: string[][] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    sql = new PostgresDriver(database.url, { max: 2 });
    // Started together: both migrate the empty database at once.
    instances = await Promise.all(
      ["a", "b"].map((workerId) => startTestBackend({ store: "postgres", database, autoRead: false, overrides: { agent: new RecordingAgent(decisions), workerId } })),
    );
  });
  afterAll(async () => {
    await Promise.allSettled(instances.map((t) => t.close()));
    await sql?.close();
    await database?.drop();
  });

  /**
   * Replies cause status webhooks, which cause jobs: wait until every reply was delivered and nothing is
   * left to run (but the daily housekeeping job, which is always scheduled).
   */
  async function settle(): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      await Promise.all(instances.map((t) => t.backend.runner.idle(20_000)));
      const [row] = await sql.all<{ open: number; jobs: number }>(
        `SELECT (SELECT COUNT(*) FROM messages WHERE direction = 'outbound' AND status <> 'delivered') AS open, (SELECT COUNT(*) FROM jobs WHERE kind <> 'maintenance.prune') AS jobs`,
      );
      if (Number(row?.open) === 0 && Number(row?.jobs) === 0) return;
      if (Date.now() > deadline) throw new Error(`did not settle: ${JSON.stringify(row)}`);
      await sleep(50);
    }
  }

  it("stores each message once and answers each one exactly once, whichever instance got it", async () => {
    const [a, b] = instances as [TestBackend, TestBackend];
    const statuses: number[] = [];
    for (let index = 0; index < MESSAGES_PER_CUSTOMER; index++) {
      await Promise.all(
        Array.from({ length: CUSTOMERS }, async (_, customer) => {
          const body = messageBody(customer, index);
          const [first, second] = (customer + index) % 2 === 0 ? [a, b] : [b, a];
          const responses = await Promise.all([first.postWebhook(body), second.postWebhook(body)]);
          statuses.push(...responses.map((r) => r.status));
        }),
      );
    }
    expect(statuses).toEqual(Array(CUSTOMERS * MESSAGES_PER_CUSTOMER * 2).fill(200));

    await settle();

    const inbound = await sql.all<{ wamid: string; n: number }>(`SELECT wamid, COUNT(*) AS n FROM messages WHERE direction = 'inbound' GROUP BY wamid`);
    expect(inbound).toHaveLength(CUSTOMERS * MESSAGES_PER_CUSTOMER);
    expect(inbound.filter((r) => Number(r.n) !== 1)).toEqual([]);

    const answered = decisions.flat();
    expect(answered.sort()).toEqual(Array.from({ length: CUSTOMERS * MESSAGES_PER_CUSTOMER }, (_, i) => `msg-${Math.floor(i / MESSAGES_PER_CUSTOMER)}-${i % MESSAGES_PER_CUSTOMER}`).sort());

    const [outbound] = await sql.all<{ n: number }>(`SELECT COUNT(*) AS n FROM messages WHERE direction = 'outbound' AND sender = 'bot'`);
    expect(Number(outbound?.n)).toBe(decisions.length);
    // Only the daily housekeeping job may still be waiting.
    expect(await a.backend.store.jobs.counts()).toEqual({ pending: 1, running: 0, dead: 0 });
    expect(await sql.all<{ kind: string }>(`SELECT kind FROM jobs`)).toEqual([{ kind: "maintenance.prune" }]);
    const unanswered = await sql.all<{ id: string }>(
      `SELECT c.id FROM conversations c WHERE EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'inbound' AND m.seq > c.answered_through_seq)`,
    );
    expect(unanswered).toEqual([]);
  });
});
