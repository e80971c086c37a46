import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresDriver } from "../../backend/src/adapters/store/postgres-driver.js";
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
