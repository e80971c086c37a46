/**
 * The benchmark's load generator counts what the server answered: every request once, its status, a
 * response split across packets or sent with others in one, a connection the server closes.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { runClosedLoop } from "./closed-loop-load.js";

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

/** A server that answers request `n` (its body) with 200, or with 503 for multiples of 7, after reading it whole. */
async function listen(options: { closeEvery?: number } = {}): Promise<number> {
  let served = 0;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const n = Number(Buffer.concat(chunks).toString());
      served++;
      const body = `answer to ${n} `.repeat(1 + (n % 5) * 300);
      const close = options.closeEvery !== undefined && served % options.closeEvery === 0;
      res.writeHead(n % 7 === 0 ? 503 : 200, { "content-length": Buffer.byteLength(body), ...(close ? { connection: "close" } : {}) });
      // Every other response in two pieces, its body a moment after its headers.
      res.flushHeaders();
      if (n % 2 === 0) res.end(body);
      else setTimeout(() => res.end(body), 2);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return (server!.address() as AddressInfo).port;
}

const request = (port: number) => (i: number) => {
  const body = String(i);
  return Buffer.from(`POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
};

describe("closed-loop load generator", () => {
  it("reports each request's own status once, as many responses as requests sent", async () => {
    const port = await listen();
    let next = 0;
    const seen = new Map<number, number>();
    const result = await runClosedLoop({
      host: "127.0.0.1",
      port,
      connections: 4,
      durationS: 0.5,
      timeoutS: 5,
      next: () => next++,
      request: request(port),
      onResponse: (i, status) => {
        expect(seen.has(i)).toBe(false);
        seen.set(i, status);
      },
    });
    expect(result.errors).toBe(0);
    expect(result.responses).toBe(next);
    expect(seen.size).toBe(next);
    for (const [i, status] of seen) expect(status).toBe(i % 7 === 0 ? 503 : 200);
    expect(result.non2xx).toBe([...seen.keys()].filter((i) => i % 7 === 0).length);
    expect(next).toBeGreaterThan(50);
  });

  it("counts nothing twice when the server closes connections, and goes on over new ones", async () => {
    const port = await listen({ closeEvery: 10 });
    let next = 0;
    const seen = new Set<number>();
    const result = await runClosedLoop({
      host: "127.0.0.1",
      port,
      connections: 2,
      durationS: 0.5,
      timeoutS: 5,
      next: () => next++,
      request: request(port),
      onResponse: (i) => {
        expect(seen.has(i)).toBe(false);
        seen.add(i);
      },
    });
    expect(result.responses).toBe(seen.size);
    expect(result.responses).toBeGreaterThan(30);
    // A request sent just as its connection closed is counted as an error, never as a response.
    expect(result.responses + result.errors).toBeGreaterThanOrEqual(next - 2);
  });
});
