import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteDriver } from "../../backend/src/adapters/store/sqlite-driver.js";

describe("SQLite driver: group commit", () => {
  let dir: string;
  let file: string;
  let driver: SqliteDriver;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "salesbot-driver-"));
    file = join(dir, "db.sqlite");
    driver = new SqliteDriver(file);
    await driver.run(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`);
  });
  afterEach(async () => {
    await driver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** What another connection sees: only committed rows. */
  const committed = () => {
    const other = new Database(file, { readonly: true });
    try {
      return (other.prepare(`SELECT v FROM t ORDER BY id`).all() as Array<{ v: string }>).map((r) => r.v);
    } finally {
      other.close();
    }
  };

  it("settles a write only once it is committed", async () => {
    const write = driver.run(`INSERT INTO t (v) VALUES (?)`, ["a"]);
    expect(committed()).toEqual([]);
    await write;
    expect(committed()).toEqual(["a"]);
  });

  it("keeps each transaction atomic inside a shared commit", async () => {
    const failing = driver.transaction(async (tx) => {
      await tx.run(`INSERT INTO t (v) VALUES (?)`, ["lost"]);
      throw new Error("boom");
    });
    const ok = driver.transaction(async (tx) => {
      await tx.run(`INSERT INTO t (v) VALUES (?)`, ["kept"]);
      return (await tx.all<{ n: number }>(`SELECT COUNT(*) AS n FROM t`))[0]!.n;
    });
    const single = driver.run(`INSERT INTO t (id, v) VALUES (1, 'dup')`);
    await expect(failing).rejects.toThrow("boom");
    expect(await ok).toBe(1);
    await expect(single).rejects.toThrow(/UNIQUE|constraint/i);
    expect(committed()).toEqual(["kept"]);
  });

  it("runs writes in order, and a read after an awaited write sees it", async () => {
    const writes = await Promise.all([driver.run(`INSERT INTO t (v) VALUES ('x')`), driver.run(`UPDATE t SET v = 'y'`)]);
    expect(writes.map((w) => w.changes)).toEqual([1, 1]);
    expect(await driver.all<{ v: string }>(`SELECT v FROM t`)).toEqual([{ v: "y" }]);
  });

  it("answers a read at once from committed data while writes wait for their group", async () => {
    await driver.run(`INSERT INTO t (v) VALUES ('old')`);
    const write = driver.run(`UPDATE t SET v = 'new'`);
    // Like two calls on a PostgreSQL pool, a read issued without awaiting the write is concurrent with it.
    expect(await driver.all<{ v: string }>(`SELECT v FROM t`)).toEqual([{ v: "old" }]);
    await write;
    expect(await driver.all<{ v: string }>(`SELECT v FROM t`)).toEqual([{ v: "new" }]);
  });

  it("holds a read back while a transaction is open, instead of showing it uncommitted rows", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedSignal = new Promise<void>((resolve) => (inserted = resolve));
    const tx = driver.transaction(async (t) => {
      await t.run(`INSERT INTO t (v) VALUES ('pending')`);
      inserted();
      await gate;
      return "done";
    });
    await insertedSignal;
    let readDone = false;
    const read = driver.all<{ v: string }>(`SELECT v FROM t`).then((rows) => {
      readDone = true;
      return rows;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(readDone).toBe(false);
    release();
    expect(await tx).toBe("done");
    expect(await read).toEqual([{ v: "pending" }]);
    expect(committed()).toEqual(["pending"]);
  });

  it("runs a statement kept for COMMIT inside the transaction, so the transaction's rollback undoes it", async () => {
    const returned: string[] = [];
    await driver.transaction(async (tx) => {
      await tx.atCommit<{ v: string }>(`INSERT INTO t (v) VALUES (?) RETURNING v`, ["kept"], (rows) => returned.push(...rows.map((r) => r.v)));
      await tx.run(`INSERT INTO t (v) VALUES (?)`, ["after"]);
    });
    expect(returned).toEqual(["kept"]);
    await expect(
      driver.transaction(async (tx) => {
        await tx.atCommit(`INSERT INTO t (v) VALUES (?)`, ["undone"]);
        throw new Error("the work failed");
      }),
    ).rejects.toThrow("the work failed");
    expect(committed()).toEqual(["kept", "after"]);
  });

  it("runs a transaction's after-commit effects once its group has committed, and never those of one rolled back", async () => {
    const effects: string[] = [];
    const seenAtEffect: string[][] = [];
    const kept = driver.transaction(async (tx) => {
      await tx.run(`INSERT INTO t (v) VALUES (?)`, ["with effect"]);
      tx.afterCommit(() => {
        effects.push("kept");
        seenAtEffect.push(committed());
      });
    });
    const undone = driver.transaction(async (tx) => {
      tx.afterCommit(() => effects.push("undone"));
      throw new Error("rolled back");
    });
    expect(effects).toEqual([]);
    await kept;
    await expect(undone).rejects.toThrow("rolled back");
    expect(effects).toEqual(["kept"]);
    expect(seenAtEffect).toEqual([["with effect"]]);
  });

  it("runs an urgent transaction (the webhook ingest) ahead of the writes already queued, and urgent ones in order", async () => {
    await driver.run(`CREATE TABLE w (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`);
    const queued = Array.from({ length: 5 }, (_, i) => driver.run(`INSERT INTO w (v) VALUES (?)`, [`job write ${i}`]));
    const urgent = [1, 2].map((n) => driver.urgentTransaction((tx) => tx.run(`INSERT INTO w (v) VALUES (?)`, [`webhook body ${n}`])));
    await Promise.all([...queued, ...urgent]);
    const rows = await driver.all<{ v: string }>(`SELECT v FROM w ORDER BY id`);
    expect(rows.map((r) => r.v)).toEqual(["webhook body 1", "webhook body 2", ...Array.from({ length: 5 }, (_, i) => `job write ${i}`)]);
  });

  it("commits a burst of concurrent writes", async () => {
    const writes = Array.from({ length: 200 }, (_, i) => driver.run(`INSERT INTO t (v) VALUES (?)`, [String(i)]));
    await Promise.all(writes);
    expect(committed()).toHaveLength(200);
  });

  it("close() waits for queued work", async () => {
    const write = driver.run(`INSERT INTO t (v) VALUES ('last')`);
    await driver.close();
    await write;
    expect(committed()).toEqual(["last"]);
    driver = new SqliteDriver(file);
  });
});
