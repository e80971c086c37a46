/**
 * The HTTP server's request listener. Webhook POSTs from Meta, the one route that takes thousands of
 * requests a second, are read and answered on Node's own request and response; everything else goes
 * through the Hono app. Through Hono, each webhook cost a Web Request, a Response and their headers
 * on top of the work itself: measured on this route, some 15–25 % of the server's CPU per webhook.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { Hono } from "hono";
import { MAX_WEBHOOK_BYTES, WEBHOOK_PATH, type HttpAnswer, type WebhookAcknowledger } from "./webhook-acknowledgement.js";

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** What is read of a refused body before the connection is closed, so a client still sending can read the refusal. */
const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;

type BodyRead = { kind: "whole"; raw: Buffer } | { kind: "too_large" } | { kind: "gone" };

/** `hostname`: the host of requests that name none (HTTP/1.0), for the app's URLs. */
export function createNodeListener(app: Hono, webhook: WebhookAcknowledger, hostname?: string): Listener {
  const viaHono = getRequestListener(app.fetch, hostname === undefined ? {} : { hostname });
  return (req, res) => {
    if (req.method === "POST" && isWebhookPath(req.url)) void answerWebhook(req, res, webhook);
    else void viaHono(req, res);
  };
}

function isWebhookPath(url: string | undefined): boolean {
  if (url === WEBHOOK_PATH) return true;
  return url !== undefined && url.startsWith(WEBHOOK_PATH) && url.charCodeAt(WEBHOOK_PATH.length) === 63; /* "?" */
}

async function answerWebhook(req: IncomingMessage, res: ServerResponse, webhook: WebhookAcknowledger): Promise<void> {
  const read = await readBodyWithin(req, MAX_WEBHOOK_BYTES);
  if (read.kind === "gone") return;
  if (read.kind === "too_large") {
    discardRest(req);
    send(res, webhook.tooLarge());
    return;
  }
  const signature = req.headers["x-hub-signature-256"];
  send(res, await webhook.acknowledge(read.raw, typeof signature === "string" ? signature : undefined));
}

function send(res: ServerResponse, answer: HttpAnswer): void {
  if (res.destroyed) return;
  res.writeHead(answer.status, { "content-type": answer.contentType, "content-length": Buffer.byteLength(answer.body), ...answer.headers });
  res.end(answer.body);
}

/**
 * The body, whole, unless it passes `limit`: a declared Content-Length says so before anything is
 * read; a chunked body is cut off as soon as it does. "gone": the client went away first.
 */
function readBodyWithin(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && req.headers["transfer-encoding"] === undefined && Number(declared) > limit) {
    return Promise.resolve({ kind: "too_large" });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stop();
        resolve({ kind: "too_large" });
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve({ kind: "whole", raw: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
    };
    const onGone = () => {
      stop();
      resolve({ kind: "gone" });
    };
    const stop = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onGone);
      req.off("close", onGone);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onGone);
    req.on("close", onGone);
  });
}

/** Reads and drops what is still coming, up to a bound; past it, the connection is closed. */
function discardRest(req: IncomingMessage): void {
  if (req.readableEnded) return;
  let discarded = 0;
  req.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARDED_BYTES) req.socket.destroy();
  });
  req.on("error", () => undefined);
  req.resume();
}
