/**
 * The HTTP the Graph client needs: one request, the whole (bounded) body back. The default runs on
 * node:http/https with keep-alive agents. It costs a fraction of the CPU of the global fetch (undici's
 * fetch builds Web streams, an AbortSignal and a Request/Response pair per call): with two Graph calls
 * per bot reply, that was a large share of a reply's cost. Like fetch, it follows GET redirects
 * (dropping the Authorization header when the origin changes) and decodes gzip/deflate/br bodies.
 */
import http from "node:http";
import https from "node:https";
import type { Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";

export interface HttpRequest {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** The body is refused (BodyTooLargeError) as soon as it is known to exceed this. */
  maxBytes?: number;
}

export interface HttpResponse {
  status: number;
  header(name: string): string | undefined;
  body: Buffer;
}

export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

export class HttpTimeoutError extends Error {
  constructor() {
    super("request timed out");
    this.name = "TimeoutError";
  }
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`response body larger than ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

const MAX_REDIRECTS = 5;
const REDIRECT = new Set([301, 302, 303, 307, 308]);

export function nodeHttpTransport(options: { maxSockets?: number } = {}): HttpTransport {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64 };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };

  const send = (request: HttpRequest, deadline: number, redirectsLeft: number): Promise<HttpResponse> =>
    new Promise((resolve, reject) => {
      let url: URL;
      try {
        url = new URL(request.url);
      } catch (error) {
        reject(error);
        return;
      }
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        reject(new Error(`unsupported protocol ${url.protocol}`));
        return;
      }
      const secure = url.protocol === "https:";
      const headers: Record<string, string> = { ...request.headers };
      if (request.body !== undefined) headers["content-length"] = String(Buffer.byteLength(request.body));
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      };
      const req = (secure ? https : http).request(url, { method: request.method, headers, agent: secure ? agents.https : agents.http }, (res) => {
        const status = res.statusCode ?? 0;
        const location = res.headers.location;
        if (request.method === "GET" && REDIRECT.has(status) && location && redirectsLeft > 0) {
          res.resume();
          settled = true;
          clearTimeout(timer);
          const next = new URL(location, url);
          const nextHeaders = { ...request.headers };
          if (next.origin !== url.origin) delete nextHeaders.authorization;
          resolve(send({ ...request, url: next.href, headers: nextHeaders }, deadline, redirectsLeft - 1));
          return;
        }
        const limit = request.maxBytes;
        const declared = Number(res.headers["content-length"] ?? "NaN");
        if (limit !== undefined && declared > limit) {
          res.destroy();
          fail(new BodyTooLargeError(limit));
          return;
        }
        let stream: Readable = res;
        const encoding = String(res.headers["content-encoding"] ?? "").toLowerCase();
        if (encoding === "gzip" || encoding === "x-gzip") stream = res.pipe(createGunzip());
        else if (encoding === "deflate") stream = res.pipe(createInflate());
        else if (encoding === "br") stream = res.pipe(createBrotliDecompress());
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (limit !== undefined && size > limit) {
            res.destroy();
            stream.destroy();
            fail(new BodyTooLargeError(limit));
            return;
          }
          chunks.push(chunk);
        });
        stream.on("error", fail);
        res.on("error", fail);
        stream.on("end", () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
          resolve({
            status,
            header: (name) => {
              const value = res.headers[name.toLowerCase()];
              return Array.isArray(value) ? value.join(", ") : value;
            },
            body,
          });
        });
      });
      const timer = setTimeout(() => {
        fail(new HttpTimeoutError());
        req.destroy();
      }, Math.max(0, deadline - Date.now()));
      req.on("error", fail);
      req.end(request.body);
    });

  return (request) => send(request, Date.now() + request.timeoutMs, MAX_REDIRECTS);
}

/** The same contract over a fetch implementation (for callers that inject their own fetch). */
export function fetchTransport(fetchImpl: typeof fetch): HttpTransport {
  return async (request) => {
    let response: Response;
    try {
      response = await fetchImpl(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(request.timeoutMs),
      });
    } catch (error) {
      if (error instanceof Error && error.name === "TimeoutError") throw new HttpTimeoutError();
      throw error;
    }
    const limit = request.maxBytes;
    if (limit !== undefined && Number(response.headers.get("content-length") ?? "0") > limit) {
      await response.body?.cancel().catch(() => undefined);
      throw new BodyTooLargeError(limit);
    }
    const body = Buffer.from(await response.arrayBuffer());
    if (limit !== undefined && body.length > limit) throw new BodyTooLargeError(limit);
    return { status: response.status, header: (name) => response.headers.get(name) ?? undefined, body };
  };
}
