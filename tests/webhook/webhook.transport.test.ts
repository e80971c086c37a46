/**
 * How webhook bodies reach the server: whole or chunked, cut short by the client, refused past the
 * size limit while still arriving, or unstorable. Each case either stores the body and answers 200, or
 * stores nothing and says why, and the server goes on serving.
 */
import { request, type IncomingHttpHeaders } from "node:http";
import { connect } from "node:net";
import { Writable } from "node:stream";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../backend/src/observability/logger.js";
import { signBody } from "../../backend/src/security/signature.js";
import { startTestBackend, TEST_APP_SECRET, type TestBackend } from "../support/backend.js";

const envelope = (id: string, text = "hi") =>
  JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{ id: "1", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { phone_number_id: "106540352242922" }, messages: [{ from: "16505551234", id, timestamp: "1750000000", type: "text", text: { body: text } }] } }] }],
  });

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** POSTs `parts` one write each, without a Content-Length (chunked), to `path`. */
function postChunked(baseUrl: string, path: string, parts: string[], signature: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": signature } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on("error", reject);
    const writeNext = (i: number) => {
      if (i === parts.length) return void req.end();
      if (req.destroyed) return;
      req.write(parts[i]!, () => setImmediate(() => writeNext(i + 1)));
    };
    writeNext(0);
  });
}

describe("webhook endpoint: how bodies arrive", () => {
  let t: TestBackend;
  const logLines: string[] = [];
  beforeAll(async () => {
    const logger = createLogger("error", new Writable({ write: (chunk, _encoding, done) => (logLines.push(String(chunk)), done()) }));
    t = await startTestBackend({ overrides: { runJobs: false, logger } });
  });
  afterAll(async () => t.close());

  const storedBodies = async (): Promise<string[]> => {
    const file = t.backend.config.store.kind === "sqlite" ? t.backend.config.store.file : "";
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare("SELECT body FROM webhook_events ORDER BY id").pluck().all() as string[];
    } finally {
      db.close();
    }
  };

  it("stores a chunked body sent in pieces, byte for byte, and a POST with a query string", async () => {
    const body = envelope("wamid.chunked", "é ".repeat(5000));
    const bytes = Buffer.from(body);
    const pieces = [bytes.subarray(0, 1), bytes.subarray(1, 4097), bytes.subarray(4097)].map((b) => b.toString("latin1"));
    // Written as latin1 so that a multi-byte character can be split between two pieces, as on the wire.
    const reply = await new Promise<Reply>((resolve, reject) => {
      const req = request(`${t.backend.url}/webhooks/whatsapp`, { method: "POST", headers: { "x-hub-signature-256": signBody(TEST_APP_SECRET, bytes) } }, (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text }));
      });
      req.on("error", reject);
      for (const piece of pieces) req.write(Buffer.from(piece, "latin1"));
      req.end();
    });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe("OK");
    expect(await storedBodies()).toContain(body);

    const withQuery = envelope("wamid.query");
    const response = await fetch(`${t.backend.url}/webhooks/whatsapp?source=meta`, {
      method: "POST",
      headers: { "x-hub-signature-256": signBody(TEST_APP_SECRET, withQuery) },
      body: withQuery,
    });
    expect(response.status).toBe(200);
    expect(await storedBodies()).toContain(withQuery);
  });

  it("refuses a chunked body with 413 as soon as it passes 4 MB, stores none of it, and keeps serving", async () => {
    const before = (await storedBodies()).length;
    const piece = "x".repeat(512 * 1024);
    const parts = ['{"object":"whatsapp_business_account","entry":[],"padding":"', ...Array(10).fill(piece), '"}'];
    const reply = await postChunked(t.backend.url, "/webhooks/whatsapp", parts, "sha256=" + "0".repeat(64));
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.text).error.code).toBe("payload_too_large");
    expect((await storedBodies()).length).toBe(before);
    expect((await t.postWebhook(envelope("wamid.after-413"))).status).toBe(200);
  });

  it("stores nothing of a body whose sender goes away halfway, and keeps serving", async () => {
    const before = (await storedBodies()).length;
    const body = envelope("wamid.cut-short");
    await new Promise<void>((resolve) => {
      const req = request(`${t.backend.url}/webhooks/whatsapp`, { method: "POST", headers: { "content-length": String(body.length), "x-hub-signature-256": signBody(TEST_APP_SECRET, body) } });
      req.on("error", () => resolve());
      req.write(body.slice(0, 100), () => setTimeout(() => req.destroy(), 50));
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await storedBodies()).length).toBe(before);
    expect((await t.postWebhook(envelope("wamid.after-cut"))).status).toBe(200);
    expect((await storedBodies()).length).toBe(before + 1);
  });

  it("answers 500 with a request id, and acknowledges nothing, while bodies cannot be stored; 200 again once they can", async () => {
    const file = t.backend.config.store.kind === "sqlite" ? t.backend.config.store.file : "";
    const admin = new Database(file);
    admin.exec(`CREATE TRIGGER refuse_webhooks BEFORE INSERT ON webhook_events BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    try {
      const before = (await storedBodies()).length;
      const response = await t.postWebhook(envelope("wamid.unstorable", "secret text"));
      expect(response.status).toBe(500);
      const refusal = await response.json();
      expect(refusal.error.code).toBe("internal");
      expect(refusal.error.requestId).toBe(response.headers.get("x-request-id"));
      expect((await storedBodies()).length).toBe(before);
      const logged = logLines.find((line) => line.includes(refusal.error.requestId));
      expect(logged).toBeDefined();
      expect(logged).not.toContain("secret text");
    } finally {
      admin.exec(`DROP TRIGGER refuse_webhooks`);
      admin.close();
    }
    expect((await t.postWebhook(envelope("wamid.storable-again"))).status).toBe(200);
  });

  it("leaves every other route to the app: the handshake, and 404 for an unknown webhook path", async () => {
    const other = await fetch(`${t.backend.url}/webhooks/whatsapp/extra`, { method: "POST", body: "{}" });
    expect(other.status).toBe(404);
    expect(other.headers.get("x-request-id")).toBeTruthy();
    expect((await fetch(`${t.backend.url}/healthz`)).status).toBe(200);
    // HTTP/1.0 without a Host header: the app still builds its URL (from HOST) and answers.
    const { port } = new URL(t.backend.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1", () => socket.write("GET /healthz HTTP/1.0\r\n\r\n"));
      let text = "";
      socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 200/);
  });
});
