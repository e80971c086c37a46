/**
 * A backend that cannot reach its database says so in one line, naming the server but not the
 * password, and exits with EX_UNAVAILABLE, instead of dying on an unhandled rejection's stack trace.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../backend/src/config.js";
import { describeDatabase, describeStartupFailure, EXIT_UNAVAILABLE } from "../../backend/src/startup-failure.js";
import { startTsChild } from "../support/child.js";

/** A loopback port nothing listens on (taken and released at once). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

describe("startup failure", () => {
  it("reports an unreachable PostgreSQL in one line, without the password, and exits 69", async () => {
    const port = await closedPort();
    const dataDir = mkdtempSync(join(tmpdir(), "salesbot-startup-"));
    try {
      const child = startTsChild("backend/src/main.ts", [], {
        DATABASE_URL: `postgres://salesbot:s3cret-pw@127.0.0.1:${port}/salesbot`,
        PORT: "0",
        DATA_DIR: dataDir,
        LOG_LEVEL: "silent",
      });
      const exit = await child.exited;
      expect(exit.code).toBe(EXIT_UNAVAILABLE);
      const output = `${exit.stdout}${exit.stderr}`.trim();
      expect(output).toBe(
        `Cannot start: PostgreSQL at salesbot@127.0.0.1:${port}/salesbot failed: connect ECONNREFUSED 127.0.0.1:${port} (ECONNREFUSED). Check DATABASE_URL and that the server accepts connections.`,
      );
      expect(output).not.toContain("s3cret-pw");
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("names PostgreSQL's own refusals with their SQLSTATE, and anything else plainly", () => {
    const config = loadConfig({ DATABASE_URL: "postgres://app:pw@db.internal:6432/sales" });
    const refused = Object.assign(new Error('database "sales" does not exist'), { code: "3D000" });
    expect(describeStartupFailure(refused, config)).toEqual({
      message: 'Cannot start: PostgreSQL at app@db.internal:6432/sales failed: database "sales" does not exist (3D000). Check DATABASE_URL and that the server accepts connections.',
      exitCode: EXIT_UNAVAILABLE,
    });
    expect(describeStartupFailure(Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE" }), loadConfig({ PORT: "3456" }))).toEqual({
      message: "Cannot start: port 3456 is already in use (EADDRINUSE). Set PORT to a free port.",
      exitCode: 1,
    });
    expect(describeStartupFailure(new Error("disk full"), loadConfig({}))).toEqual({ message: "Cannot start: disk full", exitCode: 1 });
    expect(describeDatabase("postgres://localhost/test?host=/var/run/postgresql")).toBe("localhost:5432/test");
    expect(describeDatabase("postgres:///test?host=/var/run/postgresql")).toBe("/var/run/postgresql/test");
  });
});
