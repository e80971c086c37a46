/**
 * The webhook ingest write on its own thread: what the route relies on (a body is acknowledged only
 * once it is durably stored, each delivery with its job, a failed commit refuses the whole batch) must hold on
 * the writer thread exactly as on the main connection, and the two writers must take turns without
 * either surfacing SQLITE_BUSY or stalling the event loop.
 */
import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqlStore } from "../../backend/src/adapters/store/sql-store.js";
import { SqliteDriver, type SqliteDriverOptions } from "../../backend/src/adapters/store/sqlite-driver.js";
import { SqliteIngestWriter } from "../../backend/src/adapters/store/sqlite-ingest-writer.js";
import type { WebhookEventInput } from "../../backend/src/domain/ports/store.js";
import { SecretBox } from "../../backend/src/security/secret-box.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function event(text: string): WebhookEventInput {
  const body = JSON.stringify({ object: "whatsapp_business_account", entry: [], text });
  return { body, bodySha256: createHash("sha256").update(body).digest("hex"), receivedAt: 1_750_000_000_000 };
}

/** A promise with a flag, to check that it has not settled yet. */
function tracked<T>(promise: Promise<T>, order?: string[], name?: string): Promise<T> & { settled: boolean } {
  const result = promise.finally(() => {
    result.settled = true;
    if (order && name) order.push(name);
  }) as Promise<T> & { settled: boolean };
  result.settled = false;
  return result;
}

/** How late a timer of `ms` fires: large when something blocks the event loop. */
async function timerLag(ms: number): Promise<number> {
  const started = performance.now();
  await sleep(ms);
  return performance.now() - started - ms;
}

let dir: string;
let file: string;
const opened: Array<{ close(): Promise<void> }> = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "salesbot-ingest-writer-"));
  file = join(dir, "store.sqlite");
});
afterEach(async () => {
  await Promise.allSettled(opened.splice(0).map((o) => o.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function openStore(options: SqliteDriverOptions = {}): Promise<{ driver: SqliteDriver; store: SqlStore }> {
  const driver = new SqliteDriver(file, options);
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

/** Another connection takes SQLite's write lock, as another process on the file would. */
function holdWriteLock(): () => void {
  const other = new Database(file);
  other.exec("BEGIN IMMEDIATE");
  return () => {
    other.exec("ROLLBACK");
    other.close();
  };
}

describe("SQLite ingest writer thread", () => {
  it("acknowledges a body only once another connection can read it, and keeps the event loop free meanwhile", async () => {
    const { driver, store } = await openStore();
    expect(await driver.startIngestWriter()).toBe(true);
    const release = holdWriteLock();
    let ack: ReturnType<typeof tracked<void>>;
    try {
      ack = tracked(store.recordWebhookEvent(event("a")));
      // The writer thread waits for the lock; on the main thread that wait would stall this timer.
      expect(await timerLag(100)).toBeLessThan(50);
      expect(ack.settled).toBe(false);
      expect(committed().has("a")).toBe(false);
    } finally {
      release();
    }
    await ack;
    expect(committed()).toEqual(new Map([["a", "pending"]]));
  });

  it("refuses only the batch whose statement fails when the writer commits several together", async () => {
    const { driver, store } = await openStore();
    expect(await driver.startIngestWriter()).toBe(true);
    await driver.run(`CREATE TRIGGER refuse BEFORE INSERT ON webhook_events WHEN NEW.body LIKE '%refuse-me%' BEGIN SELECT RAISE(ABORT, 'refused by test'); END`);
    const release = holdWriteLock();
    let first, refused, third;
    try {
      // Three batches (three event-loop turns): the first waits for the lock, the other two queue behind it.
      first = store.recordWebhookEvent(event("one"));
      await sleep(20);
      refused = store.recordWebhookEvent(event("refuse-me"));
      await sleep(20);
      third = store.recordWebhookEvent(event("three"));
      await sleep(20);
    } finally {
      release();
    }
    await expect(first).resolves.toBeUndefined();
    await expect(refused).rejects.toThrow("refused by test");
    await expect(third).resolves.toBeUndefined();
    expect(committed()).toEqual(
      new Map([
        ["one", "pending"],
        ["three", "pending"],
      ]),
    );
  });

  it("makes main-thread writes issued while a batch is in flight wait for it, then commits them", async () => {
    const { driver, store } = await openStore();
    expect(await driver.startIngestWriter()).toBe(true);
    await driver.run(`CREATE TABLE side (v TEXT NOT NULL)`);
    const order: string[] = [];
    const release = holdWriteLock();
    let ack, write, tx;
    try {
      ack = tracked(store.recordWebhookEvent(event("a")), order, "ingest");
      await sleep(30);
      write = tracked(driver.run(`INSERT INTO side (v) VALUES ('x')`), order, "write");
      tx = tracked(
        driver.transaction(async (t) => {
          await t.run(`INSERT INTO side (v) VALUES ('y')`);
          return (await t.all<{ n: number }>(`SELECT COUNT(*) AS n FROM webhook_events`))[0]!.n;
        }),
        order,
        "transaction",
      );
      // Had the main connection tried to write, it would sit in SQLite's busy handler, stalling this timer.
      expect(await timerLag(100)).toBeLessThan(50);
      // A read is answered at once, from committed data.
      expect(await driver.all(`SELECT COUNT(*) AS n FROM webhook_events`)).toEqual([{ n: 0 }]);
      expect([ack.settled, write.settled, tx.settled]).toEqual([false, false, false]);
    } finally {
      release();
    }
    await expect(ack).resolves.toBeUndefined();
    expect(await write).toEqual({ changes: 1 });
    expect(await tx).toBe(1);
    expect(order).toEqual(["ingest", "write", "transaction"]);
    expect(await driver.all(`SELECT v FROM side ORDER BY v`)).toEqual([{ v: "x" }, { v: "y" }]);
  });

  it("takes turns with main-thread transactions under a mixed burst", async () => {
    const { driver, store } = await openStore();
    expect(await driver.startIngestWriter()).toBe(true);
    await driver.run(`CREATE TABLE side (v INTEGER NOT NULL)`);
    const work: Array<Promise<unknown>> = [];
    for (let turn = 0; turn < 20; turn++) {
      for (let i = 0; i < 15; i++) work.push(store.recordWebhookEvent(event(`burst-${turn}-${i}`)));
      for (let i = 0; i < 5; i++) work.push(driver.transaction((t) => t.run(`INSERT INTO side (v) VALUES (?)`, [turn * 5 + i])));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const outcomes = await Promise.allSettled(work);
    expect(outcomes.filter((o) => o.status === "rejected")).toEqual([]);
    expect(committed().size).toBe(300);
    expect(await driver.all(`SELECT COUNT(*) AS n FROM side`)).toEqual([{ n: 100 }]);
  });

  it("close() waits for a batch in flight before it ends the writer", async () => {
    const { driver, store } = await openStore();
    expect(await driver.startIngestWriter()).toBe(true);
    const release = holdWriteLock();
    let ack, closing;
    try {
      ack = tracked(store.recordWebhookEvent(event("last")));
      await sleep(30);
      closing = tracked(store.close());
      await sleep(50);
      expect([ack.settled, closing.settled]).toEqual([false, false]);
    } finally {
      release();
    }
    await closing;
    expect(ack.settled).toBe(true);
    await expect(ack).resolves.toBeUndefined();
    expect(committed()).toEqual(new Map([["last", "pending"]]));
  });

  it("reports a writer that cannot open the database", async () => {
    const reasons: string[] = [];
    const writer = new SqliteIngestWriter({ file: join(dir, "missing.sqlite"), onFailure: (reason) => reasons.push(reason) });
    expect(await writer.started).toBe(false);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/CANTOPEN|unable to open/i);
    await expect(writer.insertWebhookEvents([event("a")])).rejects.toThrow(/failed/);
    await writer.stop();
  });

  it("falls back to the main connection when the writer cannot start", async () => {
    const reasons: string[] = [];
    const { driver, store } = await openStore({ onIngestWriterFailure: (reason) => reasons.push(reason) });
    // The file moves away under the open connection: the writer thread, opening it by name, finds nothing.
    renameSync(file, join(dir, "moved.sqlite"));
    expect(await driver.startIngestWriter()).toBe(false);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/CANTOPEN|unable to open/i);
    await Promise.all([store.recordWebhookEvent(event("a")), store.recordWebhookEvent(event("b"))]);
    // Read through the driver's own connection: the file is no longer where its name says.
    expect(await driver.all(`SELECT COUNT(*) AS n FROM jobs WHERE kind = 'webhook.process'`)).toEqual([{ n: 2 }]);
  });
});

describe.each([
  ["on the writer thread", true],
  ["on the main connection", false],
])("SQLite webhook ingest %s", (_name, writerThread) => {
  const open = async () => {
    const store = await openStore({ ingestWriterThread: writerThread });
    expect(await store.driver.startIngestWriter()).toBe(writerThread);
    return store;
  };

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
