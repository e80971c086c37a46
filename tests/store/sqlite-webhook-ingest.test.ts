/**
 * The webhook ingest write on SQLite: what the route relies on holds (a body is acknowledged only once
 * it is durably stored, each delivery with its job; a failed COMMIT refuses the whole batch and keeps
 * what was acknowledged before).
 */
import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqlStore } from "../../backend/src/adapters/store/sql-store.js";
import { SqliteDriver } from "../../backend/src/adapters/store/sqlite-driver.js";
import type { WebhookEventInput } from "../../backend/src/domain/ports/store.js";
import { SecretBox } from "../../backend/src/security/secret-box.js";

function event(text: string): WebhookEventInput {
  const body = JSON.stringify({ object: "whatsapp_business_account", entry: [], text });
  return { body, bodySha256: createHash("sha256").update(body).digest("hex"), receivedAt: 1_750_000_000_000 };
}

let dir: string;
let file: string;
const opened: Array<{ close(): Promise<void> }> = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "salesbot-ingest-"));
  file = join(dir, "store.sqlite");
});
afterEach(async () => {
  await Promise.allSettled(opened.splice(0).map((o) => o.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<{ driver: SqliteDriver; store: SqlStore }> {
  const driver = new SqliteDriver(file);
  const store = new SqlStore(driver, new SecretBox(Buffer.alloc(32, 7)));
  opened.push(store);
  await store.migrate(Date.now());
  return { driver, store };
}

/** What another connection sees: committed bodies (by text) and, for each, the state of its job. */
function committed(): Map<string, string | undefined> {
  const other = new Database(file, { readonly: true });
  try {
    const rows = other
      .prepare(
        `SELECT e.body, j.state FROM webhook_events e
         LEFT JOIN jobs j ON j.kind = 'webhook.process' AND j.payload = '{"eventId":' || e.id || '}' ORDER BY e.id`,
      )
      .all() as Array<{ body: string; state: string | null }>;
    return new Map(rows.map((row) => [(JSON.parse(row.body) as { text: string }).text, row.state ?? undefined]));
  } finally {
    other.close();
  }
}

describe("SQLite webhook ingest", () => {
  it("stores every delivery with its job, a body sent twice too, in one batch and across batches", async () => {
    const { driver, store } = await open();
    await Promise.all([store.recordWebhookEvent(event("a")), store.recordWebhookEvent(event("a")), store.recordWebhookEvent(event("b"))]);
    await Promise.all([store.recordWebhookEvent(event("a")), store.recordWebhookEvent(event("c"))]);
    const rows = await driver.all<{ body: string; jobs: number }>(
      `SELECT e.body, (SELECT COUNT(*) FROM jobs j WHERE j.kind = 'webhook.process' AND j.payload = '{"eventId":' || e.id || '}') AS jobs FROM webhook_events e ORDER BY e.id`,
    );
    expect(rows.map((r) => [(JSON.parse(r.body) as { text: string }).text, r.jobs])).toEqual([
      ["a", 1],
      ["a", 1],
      ["b", 1],
      ["a", 1],
      ["c", 1],
    ]);
  });

  it("refuses every body of a batch whose COMMIT fails, and keeps what was acknowledged before", async () => {
    const { driver, store } = await open();
    await Promise.all([store.recordWebhookEvent(event("kept-1")), store.recordWebhookEvent(event("kept-2"))]);
    // A deferred foreign key is only checked at COMMIT: a poisoned body makes the COMMIT itself fail.
    await driver.run(`CREATE TABLE poison_parent (id INTEGER PRIMARY KEY)`);
    await driver.run(`CREATE TABLE poison_child (parent_id INTEGER REFERENCES poison_parent (id) DEFERRABLE INITIALLY DEFERRED)`);
    await driver.run(`CREATE TRIGGER poison AFTER INSERT ON webhook_events WHEN NEW.body LIKE '%poison%' BEGIN INSERT INTO poison_child VALUES (42); END`);
    const batch = await Promise.allSettled([store.recordWebhookEvent(event("lost-1")), store.recordWebhookEvent(event("poison")), store.recordWebhookEvent(event("lost-2"))]);
    expect(batch.map((outcome) => outcome.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(String((batch[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/i);
    expect(committed()).toEqual(
      new Map([
        ["kept-1", "pending"],
        ["kept-2", "pending"],
      ]),
    );
    // Nothing of the refused batch was kept, so Meta's retry stores it; and nobody holds the write lock.
    await driver.run(`DROP TRIGGER poison`);
    await Promise.all([store.recordWebhookEvent(event("lost-1")), store.recordWebhookEvent(event("poison")), store.recordWebhookEvent(event("lost-2"))]);
    expect([...committed().keys()]).toEqual(["kept-1", "kept-2", "lost-1", "poison", "lost-2"]);
  });
});
