/**
 * The HTTP sender decides where a webhook may go at the moment it connects: the address it checks is
 * the address it connects to, so a name whose answer changes between a check and the connection
 * (DNS rebinding) cannot reach an internal service.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpWebhookSender, type Resolve } from "../../backend/src/adapters/webhooks/http-webhook-sender.js";

describe("outgoing webhook sender: destinations", () => {
  let server: Server;
  let port: number;
  let received = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      received++;
      req.resume();
      res.writeHead(202, { "retry-after": "7" }).end("accepted ".repeat(1000));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** A stand-in DNS: each lookup of a name takes the next answer from its list, then keeps the last. */
  const dns = (answers: Record<string, string[]>): { resolve: Resolve; lookups: string[] } => {
    const lookups: string[] = [];
    return {
      lookups,
      resolve: (hostname, callback) => {
        lookups.push(hostname);
        const list = answers[hostname];
        if (!list) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), []);
        const address = list.length > 1 ? list.shift()! : list[0]!;
        callback(null, [{ address, family: address.includes(":") ? 6 : 4 }]);
      },
    };
  };
  const post = (sender: HttpWebhookSender, host: string) => sender.post({ url: `http://${host}:${port}/hook`, headers: { "content-type": "application/json" }, body: "{}" });

  it("connects to the address its own lookup checked, and refuses a name that now points inside", async () => {
    // A rebinding name: public on the first answer, loopback on every later one.
    const stub = dns({ "rebind.example": ["93.184.216.34", "127.0.0.1"] });
    const sender = new HttpWebhookSender({ timeoutMs: 2_000, resolve: stub.resolve });
    stub.resolve("rebind.example", () => undefined); // someone else's earlier check got the public answer
    const before = received;
    const outcome = await post(sender, "rebind.example");
    expect(outcome).toMatchObject({ kind: "refused", error: expect.stringMatching(/rebind\.example resolves to a private or loopback address/) });
    expect(received).toBe(before);
    expect(stub.lookups).toEqual(["rebind.example", "rebind.example"]);
  });

  it("refuses an address written in the URL without looking anything up", async () => {
    const stub = dns({});
    const sender = new HttpWebhookSender({ timeoutMs: 2_000, resolve: stub.resolve });
    for (const host of ["127.0.0.1", "[::1]", "10.0.0.8"]) expect(await post(sender, host)).toMatchObject({ kind: "refused" });
    expect(stub.lookups).toEqual([]);
  });

  it("delivers through the resolved address when private destinations are allowed, reading only an excerpt", async () => {
    const stub = dns({ "receiver.internal": ["127.0.0.1"] });
    const sender = new HttpWebhookSender({ timeoutMs: 2_000, allowPrivateDestinations: true, resolve: stub.resolve });
    const before = received;
    const outcome = await post(sender, "receiver.internal");
    expect(outcome).toMatchObject({ kind: "answered", status: 202, retryAfter: "7" });
    expect(outcome.kind === "answered" && outcome.excerpt.length).toBe(300);
    expect(received).toBe(before + 1);
    expect(stub.lookups).toEqual(["receiver.internal"]);
  });

  it("reports a name that does not resolve as unreachable, not refused", async () => {
    const sender = new HttpWebhookSender({ timeoutMs: 2_000, resolve: dns({}).resolve });
    expect(await post(sender, "nowhere.example")).toMatchObject({ kind: "unreachable", error: expect.stringMatching(/ENOTFOUND/) });
  });
});
