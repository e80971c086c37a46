import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PostgresDriver, TransactionRolledBackError } from "../../backend/src/adapters/store/postgres-driver.js";
import { SqlStore } from "../../backend/src/adapters/store/sql-store.js";
import { SecretBox } from "../../backend/src/security/secret-box.js";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../support/postgres.js";

const available = await postgresAvailable();

describe.skipIf(!available)("PostgreSQL driver: prepared statements", () => {
  let database: TestDatabase;
  let driver: PostgresDriver;
  beforeAll(async () => {
    database = await createTestDatabase();
    driver = new PostgresDriver(database.url, { max: 1 });
    await driver.run(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`);
  });
  afterAll(async () => {
    await driver?.close();
    await database?.drop();
  });

  const preparedOnServer = async (): Promise<string[]> =>
    (await driver.all<{ statement: string }>(`SELECT statement FROM pg_prepared_statements ORDER BY statement`)).map((r) => r.statement);

  it("parses a statement text once per connection and reuses it", async () => {
    for (let i = 1; i <= 3; i++) await driver.run(`INSERT INTO t (id, v) VALUES (?, ?)`, [i, `v${i}`]);
    const statements = await preparedOnServer();
    expect(statements.filter((s) => s.startsWith("INSERT INTO t"))).toEqual(["INSERT INTO t (id, v) VALUES ($1, $2)"]);
  });

  it("keeps working when another process changes a table under a prepared statement", async () => {
    expect(await driver.all(`SELECT * FROM t WHERE id = ?`, [1])).toEqual([{ id: 1, v: "v1" }]);
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    await other.query(`ALTER TABLE t ADD COLUMN extra TEXT`);
    await other.end();
    expect(await driver.all(`SELECT * FROM t WHERE id = ?`, [1])).toEqual([{ id: 1, v: "v1", extra: null }]);
  });

  it("lets a transaction fail on a changed table and the retry succeed", async () => {
    expect(await driver.all(`SELECT * FROM t WHERE id = ? OR id = ?`, [2, 2])).toHaveLength(1);
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    await other.query(`ALTER TABLE t ADD COLUMN more TEXT`);
    await other.end();
    const read = () => driver.transaction((tx) => tx.all(`SELECT * FROM t WHERE id = ? OR id = ?`, [2, 2]));
    await expect(read()).rejects.toMatchObject({ code: "0A000" });
    expect(await read()).toEqual([{ id: 2, v: "v2", extra: null, more: null }]);
  });
});

describe.skipIf(!available)("PostgreSQL driver: planner statistics", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.drop());

  /** A backend reports its table counters when it goes idle, at most once a second: make it now. */
  const withStatisticsFlushed = (driver: PostgresDriver, statements: string[]) =>
    driver.transaction(async (tx) => {
      for (const sql of statements) await tx.run(sql);
      await tx.all(`SELECT pg_stat_force_next_flush()`);
    });

  const estimatedRows = async (driver: PostgresDriver, table: string) =>
    Number((await driver.all<{ n: number }>(`SELECT reltuples AS n FROM pg_class WHERE relname = ?`, [table]))[0]?.n);

  it("analyzes a table that changed a lot since its last analysis, without waiting for autovacuum", async () => {
    const driver = new PostgresDriver(database.url, { max: 2, statisticsIntervalMs: 100 });
    try {
      await driver.run(`CREATE TABLE busy (id INTEGER PRIMARY KEY, v TEXT) WITH (autovacuum_enabled = false)`);
      await driver.run(`CREATE TABLE quiet (id INTEGER PRIMARY KEY) WITH (autovacuum_enabled = false)`);
      await withStatisticsFlushed(driver, [`INSERT INTO busy SELECT g, 'x' FROM generate_series(1, 3000) g`, `INSERT INTO quiet SELECT g FROM generate_series(1, 10) g`]);
      const deadline = Date.now() + 10_000;
      while ((await estimatedRows(driver, "busy")) !== 3000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await estimatedRows(driver, "busy")).toBe(3000);
      // Ten changed rows are below the threshold: left to autovacuum (switched off here).
      expect(await estimatedRows(driver, "quiet")).toBeLessThan(0);
    } finally {
      await driver.close();
    }
  });

  it("analyzes a table again once it has grown by a fifth, not for rows that were only updated, and with a small sample", async () => {
    const driver = new PostgresDriver(database.url, { max: 2, statisticsIntervalMs: null });
    const { PlannerStatistics } = await import("../../backend/src/adapters/store/postgres-statistics.js");
    const statistics = new PlannerStatistics(driver, { intervalMs: 1_000 });
    try {
      await driver.run(`CREATE TABLE growing (id INTEGER PRIMARY KEY, v INTEGER NOT NULL) WITH (autovacuum_enabled = false)`);
      await withStatisticsFlushed(driver, [`INSERT INTO growing SELECT g, g FROM generate_series(1, 5000) g`]);
      expect(await statistics.refreshNow()).toContain("growing");
      expect(await estimatedRows(driver, "growing")).toBe(5000);
      // A histogram of about ten buckets: the sample was small (the default target gives a hundred).
      const [stats] = await driver.all<{ bounds: number }>(`SELECT array_length(histogram_bounds::text::int[], 1) AS bounds FROM pg_stats WHERE tablename = 'growing' AND attname = 'v'`);
      expect(Number(stats!.bounds)).toBeLessThanOrEqual(11);

      // Every row changed twice over, none added: the statistics still tell the table's size.
      await withStatisticsFlushed(driver, [`UPDATE growing SET v = v + 1`, `UPDATE growing SET v = v + 1`]);
      expect(await statistics.refreshNow()).not.toContain("growing");
      // 900 more rows is under a fifth; 1,100 is over.
      await withStatisticsFlushed(driver, [`INSERT INTO growing SELECT g, g FROM generate_series(5001, 5900) g`]);
      expect(await statistics.refreshNow()).not.toContain("growing");
      await withStatisticsFlushed(driver, [`INSERT INTO growing SELECT g, g FROM generate_series(5901, 6100) g`]);
      expect(await statistics.refreshNow()).toContain("growing");
      expect(await estimatedRows(driver, "growing")).toBe(6100);
    } finally {
      await driver.close();
    }
  });

  it("lets one instance analyze at a time", async () => {
    const first = new PostgresDriver(database.url, { max: 2, statisticsIntervalMs: null });
    const second = new PostgresDriver(database.url, { max: 2, statisticsIntervalMs: null });
    const { PlannerStatistics } = await import("../../backend/src/adapters/store/postgres-statistics.js");
    try {
      await first.run(`CREATE TABLE shared_t (id INTEGER PRIMARY KEY) WITH (autovacuum_enabled = false)`);
      await withStatisticsFlushed(first, [`INSERT INTO shared_t SELECT g FROM generate_series(1, 2000) g`]);
      // The first instance holds the lock (in an open transaction) while the second tries.
      const analyzedBySecond = await first.transaction(async (tx) => {
        await tx.all(`SELECT pg_advisory_xact_lock(?)`, [7_362_891_004_118_233]);
        return new PlannerStatistics(second, { intervalMs: 1_000 }).refreshNow();
      });
      expect(analyzedBySecond).toEqual([]);
      expect(await new PlannerStatistics(second, { intervalMs: 1_000 }).refreshNow()).toContain("shared_t");
    } finally {
      await first.close();
      await second.close();
    }
  });
});

describe.skipIf(!available)("PostgreSQL driver: transactions", () => {
  let database: TestDatabase;
  let driver: PostgresDriver;
  beforeAll(async () => {
    database = await createTestDatabase();
    // One connection: whatever a transaction leaves behind on it, the next statement meets.
    driver = new PostgresDriver(database.url, { max: 1, statisticsIntervalMs: null });
    await driver.run(`CREATE TABLE u (id INTEGER PRIMARY KEY)`);
  });
  afterAll(async () => {
    await driver?.close();
    await database?.drop();
  });

  const ids = async () => (await driver.all<{ id: number }>(`SELECT id FROM u ORDER BY id`)).map((r) => r.id);
  /** What the driver's connections are doing, seen from another session: "idle", not "idle in transaction". */
  const otherSessions = async (): Promise<string[]> => {
    const observer = new pg.Client({ connectionString: database.url });
    await observer.connect();
    try {
      const { rows } = await observer.query<{ state: string }>(`SELECT state FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
      return rows.map((r) => r.state);
    } finally {
      await observer.end();
    }
  };

  it("runs the first statement inside the transaction: a rollback undoes it", async () => {
    await expect(
      driver.transaction(async (tx) => {
        await tx.run(`INSERT INTO u (id) VALUES (?)`, [1]);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await ids()).toEqual([]);
    await driver.transaction((tx) => tx.run(`INSERT INTO u (id) VALUES (?)`, [2]));
    expect(await ids()).toEqual([2]);
  });

  it("rolls back when the first statement fails, and the connection serves the next transaction", async () => {
    await expect(driver.transaction((tx) => tx.run(`INSERT INTO u (id) VALUES (?)`, [2]))).rejects.toMatchObject({ code: "23505" });
    await expect(
      driver.transaction(async (tx) => {
        await tx.run(`INSERT INTO u (id) VALUES (?)`, [3]);
        await tx.run(`INSERT INTO u (id) VALUES (?)`, [2]);
      }),
    ).rejects.toMatchObject({ code: "23505" });
    expect(await ids()).toEqual([2]);
    expect(await otherSessions()).toEqual(["idle"]);
  });

  it("runs a statement kept for COMMIT after the transaction's work and with its commit, never when the work fails", async () => {
    const returned: number[][] = [];
    await driver.transaction(async (tx) => {
      await tx.atCommit<{ id: number }>(`INSERT INTO u (id) VALUES (?) RETURNING id`, [10], (rows) => returned.push(rows.map((r) => r.id)));
      expect(returned).toEqual([]);
      // Had the kept statement run already, this one would see its row.
      expect(await tx.all(`SELECT id FROM u WHERE id = ?`, [10])).toEqual([]);
      await tx.run(`INSERT INTO u (id) VALUES (?)`, [11]);
    });
    expect(returned).toEqual([[10]]);
    expect(await ids()).toEqual([2, 10, 11]);

    await expect(
      driver.transaction(async (tx) => {
        await tx.run(`INSERT INTO u (id) VALUES (?)`, [12]);
        await tx.atCommit(`INSERT INTO u (id) VALUES (?)`, [13]);
        throw new Error("the work failed");
      }),
    ).rejects.toThrow("the work failed");
    expect(await ids()).toEqual([2, 10, 11]);
    expect(await otherSessions()).toEqual(["idle"]);
  });

  it("rolls the whole transaction back when a statement kept for COMMIT fails, and reports that statement's error", async () => {
    const onRows = vi.fn();
    await expect(
      driver.transaction(async (tx) => {
        await tx.run(`INSERT INTO u (id) VALUES (?)`, [14]);
        await tx.atCommit(`INSERT INTO u (id) VALUES (?)`, [15], onRows);
        await tx.atCommit(`INSERT INTO u (id) VALUES (?)`, [10]);
      }),
    ).rejects.toMatchObject({ code: "23505" });
    expect(onRows).not.toHaveBeenCalled();
    expect(await ids()).toEqual([2, 10, 11]);
    expect(await otherSessions()).toEqual(["idle"]);
  });

  it("refuses to report success for a transaction PostgreSQL rolled back because a failed statement's error was caught", async () => {
    await expect(
      driver.transaction(async (tx) => {
        await tx.run(`INSERT INTO u (id) VALUES (?)`, [20]);
        await tx.run(`INSERT INTO u (id) VALUES (?)`, [20]).catch(() => undefined);
      }),
    ).rejects.toBeInstanceOf(TransactionRolledBackError);
    expect(await ids()).toEqual([2, 10, 11]);
  });

  it("returns the result of a transaction that ran no statement, and leaves no transaction open", async () => {
    expect(await driver.transaction(async () => 42)).toBe(42);
    await expect(driver.transaction(async () => Promise.reject(new Error("nothing ran")))).rejects.toThrow("nothing ran");
    expect(await otherSessions()).toEqual(["idle"]);
    expect(await ids()).toEqual([2, 10, 11]);
  });
});

describe.skipIf(!available)("PostgreSQL driver: webhook ingest", () => {
  let database: TestDatabase;
  let store: SqlStore;
  beforeAll(async () => {
    database = await createTestDatabase();
    store = new SqlStore(new PostgresDriver(database.url, { max: 2, statisticsIntervalMs: null }), new SecretBox(Buffer.alloc(32, 5)));
    await store.migrate(1_800_000_000_000);
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it("stores and acknowledges a webhook body while every connection of the main pool is taken by jobs", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // One transaction per turn: transactions started in the same turn would share one connection.
    const busy: Array<Promise<void>> = [];
    const holding = [false, false];
    for (const i of [0, 1]) {
      busy.push(
        store.transaction(async (tx) => {
          await tx.jobs.counts();
          holding[i] = true;
          await released;
        }),
      );
      while (!holding[i]) await new Promise((resolve) => setImmediate(resolve));
    }
    try {
      const stored = store.recordWebhookEvent({ body: '{"object":"whatsapp_business_account","entry":[]}', bodySha256: "a".repeat(64), receivedAt: 1_800_000_000_000 });
      const outcome = await Promise.race([stored.then(() => "stored"), new Promise((resolve) => setTimeout(() => resolve("still waiting"), 3_000))]);
      expect(outcome).toBe("stored");
    } finally {
      release();
      await Promise.all(busy);
    }
    expect((await store.jobs.counts()).pending).toBe(1);
  });
});
