/**
 * Idle keep-alive connections stay open for HTTP_KEEP_ALIVE_TIMEOUT_MS: a proxy in front reuses its
 * connections for up to its own idle timeout (60 s on common load balancers), and one that sends a
 * request down a connection the server is closing at that moment answers Meta with a 502. Node's own
 * default is 5 s.
 */
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../backend/src/config.js";
import { startTestBackend, type TestBackend } from "../support/backend.js";

/** Sends one keep-alive request on a raw connection and resolves with the socket once the answer is in. */
function requestOnRawSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(`GET /healthz HTTP/1.1\r\nHost: ${hostname}\r\nConnection: keep-alive\r\n\r\n`));
    socket.once("error", reject);
    socket.once("data", () => resolve(socket));
  });
}

const closedWithin = (socket: Socket, ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

describe("HTTP keep-alive", () => {
  let running: TestBackend | undefined;
  afterEach(async () => running?.close());

  it("keeps an idle connection for a minute and five seconds unless told otherwise", () => {
    expect(loadConfig({}).http.keepAliveTimeoutMs).toBe(65_000);
    expect(loadConfig({ HTTP_KEEP_ALIVE_TIMEOUT_MS: "120000" }).http.keepAliveTimeoutMs).toBe(120_000);
    expect(() => loadConfig({ HTTP_KEEP_ALIVE_TIMEOUT_MS: "10" })).toThrow(/HTTP_KEEP_ALIVE_TIMEOUT_MS/);
  });

  it("closes an idle connection when the configured time is up, and not before", async () => {
    running = await startTestBackend({ env: { HTTP_KEEP_ALIVE_TIMEOUT_MS: "1500" } });
    const socket = await requestOnRawSocket(running.backend.url);
    try {
      expect(await closedWithin(socket, 800)).toBe(false);
      expect(await closedWithin(socket, 2_000)).toBe(true);
    } finally {
      socket.destroy();
    }
  });
});
