/**
 * A web process and a worker process on one PostgreSQL (PROCESS_ROLE=web and =worker). The worker
 * polls only once a minute here, so a reply that comes within seconds was started by the web
 * process's wake-up (LISTEN/NOTIFY), not by a poll.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresDriver } from "../../backend/src/adapters/store/postgres-driver.js";
import { startTestBackend, TEST_PHONE_NUMBER_ID, type TestBackend } from "../support/backend.js";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../support/postgres.js";

function customerMessage(waId: string, id: string, text: string): string {
  const message = { from: waId, id, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: text } };
  const value = { messaging_product: "whatsapp", metadata: { display_phone_number: "15550783881", phone_number_id: TEST_PHONE_NUMBER_ID }, contacts: [{ profile: { name: "Kim" }, wa_id: waId }], messages: [message] };
  return JSON.stringify({ object: "whatsapp_business_account", entry: [{ id: "1", changes: [{ field: "messages", value }] }] });
}

describe.skipIf(!(await postgresAvailable()))("a web process and a worker process on one PostgreSQL", () => {
  let database: TestDatabase;
  let sql: PostgresDriver;
  let web: TestBackend;
  let worker: TestBackend;

  beforeAll(async () => {
    database = await createTestDatabase();
    sql = new PostgresDriver(database.url, { max: 2, statisticsIntervalMs: null });
    web = await startTestBackend({ store: "postgres", database, env: { PROCESS_ROLE: "web" } });
    worker = await startTestBackend({ store: "postgres", database, env: { PROCESS_ROLE: "worker", JOB_POLL_MS: "60000" } });
  });
  afterAll(async () => {
    await Promise.allSettled([web?.close(), worker?.close()]);
    await sql?.close();
    await database?.drop();
  });

  const botReplies = async () =>
    (await sql.all<{ text: string }>(`SELECT text FROM messages WHERE direction = 'outbound' AND sender = 'bot' ORDER BY seq`)).map((row) => row.text);

  it("answers a message the web process stored, without waiting for the worker's next poll", async () => {
    // Two customers, one after the other: each message is a new wake-up for an idle worker.
    for (const [index, waId] of ["16505550199", "16505550198"].entries()) {
      const response = await web.postWebhook(customerMessage(waId, `wamid.web-worker-${index}`, "Hello, do you integrate with HubSpot?"));
      expect(response.status).toBe(200);
      await expect.poll(botReplies, { timeout: 5_000, interval: 20 }).toHaveLength(index + 1);
    }
  });
});
