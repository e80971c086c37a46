/**
 * A 200 to Meta is a promise: the body is in the database. The real server runs as a child process
 * (web role, so no job touches the queue) and takes signed webhooks. Then the test holds the write
 * lock, so nothing more can commit, posts more bodies and kills the server with SIGKILL while they
 * wait: every body it acknowledged must be stored with its processing job, and none of the waiting
 * ones may have been acknowledged.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { PostgresDriver } from "../../backend/src/adapters/store/postgres-driver.js";
import type { SqlDriver } from "../../backend/src/adapters/store/sql-driver.js";
import { SqliteDriver } from "../../backend/src/adapters/store/sqlite-driver.js";
import { signBody } from "../../backend/src/security/signature.js";
import { TEST_ACCESS_TOKEN, TEST_APP_SECRET, TEST_PHONE_NUMBER_ID, TEST_SECRETS_KEY, TEST_VERIFY_TOKEN } from "../support/backend.js";
import { startTsChild, waitForOutput } from "../support/child.js";
import { createTestDatabase, postgresAvailable } from "../support/postgres.js";

const BODIES_PER_PHASE = 100;

function body(i: number): string {
  const value = { messaging_product: "whatsapp", metadata: { phone_number_id: TEST_PHONE_NUMBER_ID }, messages: [{ from: "16505551234", id: `wamid.crash-${i}`, timestamp: "1750000000", type: "text", text: { body: `n${i}` } }] };
  return JSON.stringify({ object: "whatsapp_business_account", entry: [{ id: "1", changes: [{ field: "messages", value }] }] });
}

interface Target {
  env: Record<string, string>;
  open(): SqlDriver;
  /** Holds the database's write lock on webhook events until the returned release is called. */
  blockWrites(): Promise<() => Promise<void>>;
  dispose(): Promise<void>;
}

async function sqliteTarget(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), "salesbot-ingest-crash-"));
  const file = join(dir, "salesbot.sqlite");
  return {
    env: { DATA_DIR: dir, DATABASE_URL: "" },
    open: () => new SqliteDriver(file),
    async blockWrites() {
      const db = new Database(file);
      db.exec("BEGIN IMMEDIATE");
      return async () => {
        db.exec("ROLLBACK");
        db.close();
      };
    },
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresTarget(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), "salesbot-ingest-crash-"));
  const database = await createTestDatabase();
  return {
    env: { DATA_DIR: dir, DATABASE_URL: database.url },
    open: () => new PostgresDriver(database.url, { max: 2 }),
    async blockWrites() {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      await client.query("BEGIN");
      await client.query("LOCK TABLE webhook_events IN SHARE ROW EXCLUSIVE MODE");
      return async () => {
        await client.query("ROLLBACK");
        // Statements the killed server had sent still run once the lock goes (PostgreSQL only learns the
        // client is gone when it answers): wait for them, so the reads below see one settled state.
        for (let i = 0; i < 100; i++) {
          const { rows } = await client.query<{ n: string }>(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
          );
          if (Number(rows[0]!.n) === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await client.end();
      };
    },
    async dispose() {
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const engines: Array<[string, () => Promise<Target>, boolean]> = [
  ["sqlite", sqliteTarget, true],
  ["postgres", postgresTarget, await postgresAvailable()],
];

describe("webhook ingest survives SIGKILL", () => {
  for (const [name, makeTarget, available] of engines) {
    it.concurrent(`${name}: keeps every acknowledged body, each with its job`, async (context) => {
      if (!available) context.skip();
      await ingestAndKill(await makeTarget());
    });
  }
});

async function ingestAndKill(target: Target): Promise<void> {
  const server = startTsChild("backend/src/main.ts", [], {
    ...target.env,
    PROCESS_ROLE: "web",
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    WHATSAPP_APP_SECRET: TEST_APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
    WHATSAPP_ACCESS_TOKEN: TEST_ACCESS_TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: TEST_PHONE_NUMBER_ID,
    WHATSAPP_GRAPH_BASE_URL: "http://127.0.0.1:9",
    SECRETS_KEY: TEST_SECRETS_KEY,
  });
  let sql: SqlDriver | undefined;
  let release: (() => Promise<void>) | undefined;
  try {
    const [, port] = await waitForOutput(server, /"port":(\d+)/, 15_000);
    const url = `http://127.0.0.1:${port}/webhooks/whatsapp`;
    const post = async (text: string): Promise<boolean> => {
      try {
        const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": signBody(TEST_APP_SECRET, text) }, body: text });
        return response.status === 200;
      } catch {
        return false;
      }
    };
    const firstPhase = Array.from({ length: BODIES_PER_PHASE }, (_, i) => body(i));
    const firstAcks = await Promise.all(firstPhase.map(post));
    expect(firstAcks.every(Boolean)).toBe(true);

    release = await target.blockWrites();
    const secondPhase = Array.from({ length: BODIES_PER_PHASE }, (_, i) => body(BODIES_PER_PHASE + i));
    const acknowledged = [...firstPhase];
    const waiting = secondPhase.map(async (text) => {
      if (await post(text)) acknowledged.push(text);
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    server.process.kill("SIGKILL");
    const exit = await server.exited;
    await Promise.all(waiting);
    await release();
    release = undefined;
    expect(exit.signal).toBe("SIGKILL");
    sql = target.open();
    const events = await sql.all<{ id: number; body_sha256: string }>(`SELECT id, body_sha256 FROM webhook_events`);
    const jobs = await sql.all<{ payload: string; state: string }>(`SELECT payload, state FROM jobs WHERE kind = 'webhook.process'`);
    const idBySha = new Map(events.map((e) => [e.body_sha256, Number(e.id)]));
    const jobStateByEvent = new Map(jobs.map((j) => [(JSON.parse(j.payload) as { eventId: number }).eventId, j.state]));
    for (const text of acknowledged) {
      const id = idBySha.get(createHash("sha256").update(text).digest("hex"));
      expect(id, "an acknowledged body is missing").toBeDefined();
      expect(jobStateByEvent.get(id!)).toBe("pending");
    }
    // Nothing half-written either: every stored body has its job.
    expect(jobs).toHaveLength(events.length);
    expect(acknowledged.length, "a body was acknowledged before it could be committed").toBe(BODIES_PER_PHASE);
  } finally {
    if (server.process.exitCode === null && server.process.signalCode === null) server.process.kill("SIGKILL");
    await server.exited.catch(() => undefined);
    await release?.();
    await sql?.close();
    await target.dispose();
  }
}
