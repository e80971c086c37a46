/**
 * Posts outgoing webhooks over HTTP(S) with a deadline that covers the whole exchange. Only a short
 * excerpt of the answer is read: a receiver can send megabytes, and nothing more is kept anyway.
 */
import { lookup } from "node:dns/promises";
import { isPrivateAddress } from "../../domain/webhooks/destination.js";
import type { WebhookRequest, WebhookResponse, WebhookSender } from "../../domain/ports/webhooks.js";

const EXCERPT_CHARS = 300;
const EXCERPT_BYTES = 4096;

async function readExcerpt(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes).slice(0, EXCERPT_CHARS);
}

function describe(error: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `no answer within ${timeoutMs} ms`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | null)?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  return (typeof code === "string" ? `${code}: ${message}` : message).slice(0, 300);
}

export class HttpWebhookSender implements WebhookSender {
  constructor(private readonly options: { timeoutMs: number; allowPrivateDestinations?: boolean }) {}

  /** The host's addresses must all be public, unless the deployment allows private ones. */
  private async refusal(url: string): Promise<string | null> {
    if (this.options.allowPrivateDestinations) return null;
    const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
    const addresses = await lookup(host, { all: true }).catch(() => null);
    if (!addresses) return null; // DNS failure: the request itself will report it as unreachable.
    return addresses.some((a) => isPrivateAddress(a.address)) ? `refused: ${host} resolves to a private or loopback address` : null;
  }

  async post(request: WebhookRequest): Promise<WebhookResponse> {
    const started = performance.now();
    const refused = await this.refusal(request.url);
    if (refused) return { kind: "refused", error: refused, durationMs: Math.round(performance.now() - started) };
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.timeoutMs);
    try {
      const response = await fetch(request.url, { method: "POST", headers: request.headers, body: request.body, redirect: "manual", signal: controller.signal });
      const excerpt = await readExcerpt(response);
      return { kind: "answered", status: response.status, retryAfter: response.headers.get("retry-after"), excerpt, durationMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { kind: "unreachable", error: describe(error, timedOut, this.options.timeoutMs), durationMs: Math.round(performance.now() - started) };
    } finally {
      clearTimeout(timer);
    }
  }
}
