import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GraphClient } from "../../backend/src/adapters/whatsapp/graph-client.js";
import { WhatsAppSendError } from "../../backend/src/domain/ports/whatsapp.js";
import { startFakeWhatsApp, type FakeWhatsApp } from "../fakes/whatsapp-cloud.js";
import { TEST_ACCESS_TOKEN, TEST_APP_SECRET, TEST_PHONE_NUMBER_ID } from "../support/backend.js";

const credentials = { phoneNumberId: TEST_PHONE_NUMBER_ID, accessToken: TEST_ACCESS_TOKEN };
const text = { messaging_product: "whatsapp", recipient_type: "individual", to: "16505551234", type: "text", text: { body: "Hello" } } as const;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("Graph client over node:http", () => {
  let fake: FakeWhatsApp;
  let client: GraphClient;
  beforeAll(async () => {
    fake = await startFakeWhatsApp({ appSecret: TEST_APP_SECRET, accessToken: TEST_ACCESS_TOKEN, phoneNumberId: TEST_PHONE_NUMBER_ID, displayPhoneNumber: "15550783881" });
    client = new GraphClient({ baseUrl: fake.url, version: "v25.0" });
  });
  afterAll(async () => fake.close());

  it("sends a message and marks one read, with the bearer token", async () => {
    const { wamid } = await client.sendMessage(credentials, text);
    expect(wamid).toMatch(/^wamid\./);
    await client.markRead(credentials, wamid, { typing: true });
    const last = fake.simulator.requests.at(-1)!;
    expect(last.path).toBe(`/v25.0/${TEST_PHONE_NUMBER_ID}/messages`);
    expect(last.authorization).toBe(`Bearer ${TEST_ACCESS_TOKEN}`);
    expect(last.body).toMatchObject({ status: "read", message_id: wamid, typing_indicator: { type: "text" } });
  });

  it("turns Meta's error body into a WhatsAppSendError with the code", async () => {
    fake.simulator.failNextSends({ httpStatus: 400, code: 131047, message: "Re-engagement message", details: "More than 24 hours" });
    const error = await client.sendMessage(credentials, text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhatsAppSendError);
    expect(error).toMatchObject({ httpStatus: 400, code: 131047, details: "More than 24 hours" });
  });

  it("refuses a bad token as Meta does", async () => {
    const error = await client.sendMessage({ ...credentials, accessToken: "wrong" }, text).catch((e: unknown) => e);
    expect(error).toMatchObject({ httpStatus: 401, code: 190 });
  });

  it("downloads media through the URL Meta hands out", async () => {
    const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
    const id = fake.simulator.addMedia(bytes, "image/jpeg");
    const media = await client.downloadMedia(credentials, id);
    expect(media.mimeType).toBe("image/jpeg");
    expect(Buffer.from(media.bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it("keeps as many calls in flight as it is given connections, so a slow Graph API does not cap sending below the job slots", async () => {
    let inFlight = 0;
    const held: Array<() => void> = [];
    const slow = createServer((req, res) => {
      inFlight++;
      req.resume();
      held.push(() => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ messaging_product: "whatsapp", contacts: [{ input: text.to, wa_id: text.to }], messages: [{ id: `wamid.HELD${held.length}` }] })));
    });
    const url = await listen(slow);
    const seenAtOnce = async (maxConnections: number | undefined, calls: number) => {
      inFlight = 0;
      const client = new GraphClient({ baseUrl: url, version: "v25.0", maxConnections });
      const sends = Array.from({ length: calls }, () => client.sendMessage(credentials, text));
      // Every call that can be on the wire arrives well within this; the others wait for a connection.
      const settleBy = Date.now() + 2_000;
      while (inFlight < calls && Date.now() < settleBy) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100));
      const seen = inFlight;
      while (held.length > 0 || inFlight < calls) {
        for (const answer of held.splice(0)) answer();
        await new Promise((r) => setTimeout(r, 5));
      }
      await Promise.all(sends);
      return seen;
    };
    try {
      expect(await seenAtOnce(3, 8)).toBe(3);
      expect(await seenAtOnce(100, 80)).toBe(80);
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });

  it("reports an unreachable Graph API and a timeout as status 0", async () => {
    const closed = new GraphClient({ baseUrl: "http://127.0.0.1:9", version: "v25.0" });
    await expect(closed.sendMessage(credentials, text)).rejects.toMatchObject({ httpStatus: 0, message: "Graph API could not connect" });

    const silent = createServer(() => undefined);
    const url = await listen(silent);
    try {
      const slow = new GraphClient({ baseUrl: url, version: "v25.0", timeoutMs: 100 });
      await expect(slow.sendMessage(credentials, text)).rejects.toMatchObject({ httpStatus: 0, message: "Graph API timed out" });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it("follows a media redirect and drops the token when it leaves the origin", async () => {
    const seen: Array<string | undefined> = [];
    const target = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(Buffer.from("file-bytes"));
    });
    const targetUrl = await listen(target);
    const graph = createServer((req, res) => {
      seen.push(req.headers.authorization);
      if (req.url?.startsWith("/v25.0/")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ messaging_product: "whatsapp", url: `http://127.0.0.1:${(graph.address() as AddressInfo).port}/dl`, mime_type: "application/pdf", id: "1" }));
        return;
      }
      res.writeHead(302, { location: `${targetUrl}/file` });
      res.end();
    });
    const graphUrl = await listen(graph);
    try {
      const media = await new GraphClient({ baseUrl: graphUrl, version: "v25.0" }).downloadMedia(credentials, "1");
      expect(Buffer.from(media.bytes).toString()).toBe("file-bytes");
      expect(seen).toEqual([`Bearer ${TEST_ACCESS_TOKEN}`, `Bearer ${TEST_ACCESS_TOKEN}`, undefined]);
    } finally {
      for (const server of [graph, target]) {
        server.closeAllConnections();
        server.close();
      }
    }
  });
});
