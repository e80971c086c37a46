/**
 * Posts outgoing webhooks over HTTP(S) with a deadline that covers the whole exchange. Only a short
 * excerpt of the answer is read: a receiver can send megabytes, and nothing more is kept anyway.
 *
 * Private destinations (SSRF) are refused where the connection is made: the address checked is the
 * address connected to. Checking a name first and connecting later would let a name that changes its
 * answer in between (DNS rebinding) reach an internal service.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { isPrivateAddress } from "../../domain/webhooks/destination.js";
import type { WebhookRequest, WebhookResponse, WebhookSender } from "../../domain/ports/webhooks.js";

const EXCERPT_CHARS = 300;
const EXCERPT_BYTES = 4096;
const PRIVATE_DESTINATION = "ERR_PRIVATE_DESTINATION";

/** Resolves a host name the way `dns.lookup` does; replaceable so tests can stand in for DNS. */
export type Resolve = (hostname: string, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const systemResolve: Resolve = (hostname, callback) => dnsLookup(hostname, { all: true }, callback);

function refusal(host: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`refused: ${host} resolves to a private or loopback address`), { code: PRIVATE_DESTINATION });
}

/** The connection's own lookup: it resolves, refuses private answers unless allowed, and hands the rest to the socket. */
function connectionLookup(resolve: Resolve, refusePrivate: boolean): LookupFunction {
  return (hostname: string, options: LookupOptions, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    resolve(hostname, (error, addresses) => {
      if (error) return callback(error, "");
      const usable = addresses.filter((a) => options.family === undefined || options.family === 0 || a.family === options.family);
      if (usable.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), "");
      if (refusePrivate && usable.some((a) => isPrivateAddress(a.address))) return callback(refusal(hostname), "");
      if (options.all) return callback(null, usable);
      callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}

function readExcerpt(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = () => {
      response.destroy();
      resolve(Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString("utf8").slice(0, EXCERPT_CHARS));
    };
    response.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.byteLength;
      if (size >= EXCERPT_BYTES) finish();
    });
    response.on("end", finish);
    response.on("error", finish);
  });
}

function describe(error: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `no answer within ${timeoutMs} ms`;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return (typeof code === "string" ? `${code}: ${message}` : message).slice(0, 300);
}

export class HttpWebhookSender implements WebhookSender {
  private readonly lookup: LookupFunction;

  constructor(private readonly options: { timeoutMs: number; allowPrivateDestinations?: boolean; resolve?: Resolve }) {
    this.lookup = connectionLookup(options.resolve ?? systemResolve, !options.allowPrivateDestinations);
  }

  async post(request: WebhookRequest): Promise<WebhookResponse> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const url = new URL(request.url);
    const host = url.hostname.replace(/^\[|\]$/g, "");
    // An address in the URL itself is connected to without any lookup: check it here.
    if (!this.options.allowPrivateDestinations && isIP(host) !== 0 && isPrivateAddress(host)) {
      return { kind: "refused", error: refusal(host).message, durationMs: elapsed() };
    }
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.timeoutMs);
    try {
      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        const send = url.protocol === "https:" ? httpsRequest : httpRequest;
        const outgoing = send(url, {
          method: "POST",
          headers: { ...request.headers, "content-length": Buffer.byteLength(request.body) },
          lookup: this.lookup,
          signal: controller.signal,
        });
        outgoing.on("response", resolve);
        outgoing.on("error", reject);
        outgoing.end(request.body);
      });
      const excerpt = await readExcerpt(response);
      const retryAfter = response.headers["retry-after"];
      return { kind: "answered", status: response.statusCode ?? 0, retryAfter: typeof retryAfter === "string" ? retryAfter : null, excerpt, durationMs: elapsed() };
    } catch (error) {
      if ((error as { code?: unknown }).code === PRIVATE_DESTINATION) return { kind: "refused", error: (error as Error).message, durationMs: elapsed() };
      return { kind: "unreachable", error: describe(error, timedOut, this.options.timeoutMs), durationMs: elapsed() };
    } finally {
      clearTimeout(timer);
    }
  }
}
