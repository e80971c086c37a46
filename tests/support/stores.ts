/**
 * A store on a database of its own, on either engine, for the contract suites. The harness also opens
 * more instances on the same database (a second process or pod) and a raw SQL connection, for what
 * the port deliberately hides: ciphertext at rest, job rows, row counts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PostgresDriver } from "../../backend/src/adapters/store/postgres-driver.js";
import type { SqlDriver } from "../../backend/src/adapters/store/sql-driver.js";
import { SqlStore, type SqlStoreOptions } from "../../backend/src/adapters/store/sql-store.js";
import { SqliteDriver } from "../../backend/src/adapters/store/sqlite-driver.js";
import { SecretBox } from "../../backend/src/security/secret-box.js";
import { createTestDatabase } from "./postgres.js";

export const CONTRACT_SECRETS_KEY = Buffer.alloc(32, 9);

export interface StoreHarness {
  /** Not migrated: the migration contract starts from an empty database. */
  store: SqlStore;
  secrets: SecretBox;
  /** Where a child process finds the same database: a SQLite file path or a postgres:// URL. */
  location: { engine: "sqlite" | "postgres"; target: string };
  /** Another instance on the same database, as a second process would have it. */
  openStore(options?: SqlStoreOptions): SqlStore;
  sql: SqlDriver;
  cleanup(): Promise<void>;
}

export type MakeStore = () => Promise<StoreHarness>;

function harness(location: StoreHarness["location"], openDriver: () => SqlDriver, dispose: () => Promise<void>): StoreHarness {
  const secrets = new SecretBox(CONTRACT_SECRETS_KEY);
  const opened: Array<{ close(): Promise<void> }> = [];
  const openStore = (options?: SqlStoreOptions): SqlStore => {
    const store = new SqlStore(openDriver(), secrets, options);
    opened.push(store);
    return store;
  };
  const sql = openDriver();
  opened.push(sql);
  return {
    store: openStore(),
    secrets,
    location,
    openStore,
    sql,
    async cleanup() {
      await Promise.allSettled(opened.map((o) => o.close()));
      await dispose();
    },
  };
}

export const makeSqliteStore: MakeStore = async () => {
  const dir = mkdtempSync(join(tmpdir(), "salesbot-contract-"));
  const file = join(dir, "store.sqlite");
  return harness({ engine: "sqlite", target: file }, () => new SqliteDriver(file), async () => rmSync(dir, { recursive: true, force: true }));
};

export const makePostgresStore: MakeStore = async () => {
  const database = await createTestDatabase();
  return harness({ engine: "postgres", target: database.url }, () => new PostgresDriver(database.url, { max: 5 }), () => database.drop());
};

/** The same store a child process opens from a harness location. */
export function openStoreAt(location: StoreHarness["location"]): SqlStore {
  const driver = location.engine === "sqlite" ? new SqliteDriver(location.target) : new PostgresDriver(location.target, { max: 5 });
  return new SqlStore(driver, new SecretBox(CONTRACT_SECRETS_KEY));
}
