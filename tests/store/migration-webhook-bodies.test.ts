/**
 * Migration 7 moves "same bytes already received" from a unique index on webhook_events to the
 * webhook_bodies table the processing job claims. A database that already holds events must keep
 * telling their redeliveries apart after the upgrade.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { migrations } from "../../backend/src/adapters/store/migrations.js";
import { PostgresDriver } from "../../backend/src/adapters/store/postgres-driver.js";
import type { SqlDriver } from "../../backend/src/adapters/store/sql-driver.js";
import { SqlStore } from "../../backend/src/adapters/store/sql-store.js";
import { SqliteDriver } from "../../backend/src/adapters/store/sqlite-driver.js";
import { SecretBox } from "../../backend/src/security/secret-box.js";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../support/postgres.js";

const T0 = 1_760_000_000_000;
const pgUp = await postgresAvailable();

/** The schema as version 6 left it, with two events stored under it. */
async function atVersion6(driver: SqlDriver): Promise<void> {
  await driver.run(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
  for (const migration of migrations.filter((m) => m.version <= 6)) {
    await driver.transaction(async (tx) => {
      for (const statement of migration.statements(tx.dialect)) await tx.run(statement);
      await tx.run(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, [migration.version, migration.name, T0]);
    });
  }
  await driver.run(`INSERT INTO webhook_events (id, body, body_sha256, received_at) VALUES (?, ?, ?, ?), (?, ?, ?, ?)`, [11, "{}", "sha-a", T0, 12, "[]", "sha-b", T0 + 1]);
}

describe.each(["sqlite", "postgres"] as const)("migration 7 on %s", (engine) => {
  let cleanup: () => Promise<void> = async () => undefined;
  afterEach(async () => cleanup());

  it("carries the bodies already received over, so their redeliveries stay recognised", async (context) => {
    if (engine === "postgres" && !pgUp) return context.skip();
    let openDriver: () => SqlDriver;
    if (engine === "postgres") {
      const database: TestDatabase = await createTestDatabase();
      openDriver = () => new PostgresDriver(database.url, { statisticsIntervalMs: null });
      cleanup = () => database.drop();
    } else {
      const dir = mkdtempSync(join(tmpdir(), "salesbot-migration-"));
      openDriver = () => new SqliteDriver(join(dir, "db.sqlite"));
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    }
    const setup = openDriver();
    await atVersion6(setup);
    await setup.close();

    const store = new SqlStore(openDriver(), new SecretBox(Buffer.alloc(32, 1)));
    try {
      expect(await store.migrate(T0 + 10)).toEqual([7, 8]);
      // New deliveries after the upgrade: the same bytes as the stored events, and new ones.
      await store.recordWebhookEvent({ body: "{}", bodySha256: "sha-a", receivedAt: T0 + 30 });
      await store.recordWebhookEvent({ body: "[]", bodySha256: "sha-b", receivedAt: T0 + 31 });
      await store.recordWebhookEvent({ body: "{ }", bodySha256: "sha-new", receivedAt: T0 + 32 });
      const reader = openDriver();
      const later = (await reader.all<{ id: number }>(`SELECT id FROM webhook_events WHERE received_at >= ? ORDER BY received_at`, [T0 + 30])).map((r) => Number(r.id));
      await reader.close();
      expect(later).toHaveLength(3);
      const firsts: Array<boolean | undefined> = [];
      for (const id of [11, ...later]) firsts.push((await store.transaction((tx) => tx.openWebhookEvent(id, T0 + 20)))?.firstDelivery);
      expect(firsts).toEqual([true, false, false, true]);
      expect(await store.pendingMigrations()).toBe(0);
    } finally {
      await store.close();
    }
  });
});
