/**
 * WhatsApp Cloud API client over HTTP (keep-alive node:http/https by default, see http-transport.ts). The base URL and version come from config, so tests and the
 * sandbox point it at the simulator. Requests are validated with the shared schema before they leave;
 * Meta's error body becomes a `WhatsAppSendError` carrying only status, code and details.
 */
import {
  ZGraphErrorBody,
  ZMediaUrlResponse,
  ZSendMessageRequest,
  ZSendMessageResponse,
  ZSuccessResponse,
  ZTemplateListResponse,
  type TemplateListResponse,
  type SendMessageRequest,
  type StatusUpdateRequest,
} from "@salesbot/shared";
import { WhatsAppSendError, type WhatsAppCredentials, type WhatsAppGateway } from "../../domain/ports/whatsapp.js";
import { BodyTooLargeError, fetchTransport, nodeHttpTransport, type HttpResponse, type HttpTransport } from "./http-transport.js";

export interface GraphClientOptions {
  /** A function when the address is known only later (the sandbox simulator's port). */
  baseUrl: string | (() => string);
  version: string;
  timeoutMs?: number;
  /** Overrides the default node:http transport with a fetch implementation. */
  fetch?: typeof fetch;
  transport?: HttpTransport;
  /**
   * Connections to the Graph API at once (default node:http transport). Each job makes one call at a
   * time, and Meta takes some 100–500 ms per call: fewer connections than jobs would cap sending there.
   */
  maxConnections?: number;
}

const MAX_MEDIA_BYTES = 100 * 1024 * 1024;

function parseJson(response: HttpResponse): unknown {
  return JSON.parse(response.body.toString("utf8"));
}

export class GraphClient implements WhatsAppGateway {
  private readonly transport: HttpTransport;
  private readonly timeoutMs: number;

  constructor(private readonly options: GraphClientOptions) {
    this.transport = options.transport ?? (options.fetch ? fetchTransport(options.fetch) : nodeHttpTransport({ maxSockets: options.maxConnections }));
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  private url(path: string): string {
    const base = typeof this.options.baseUrl === "function" ? this.options.baseUrl() : this.options.baseUrl;
    return `${base.replace(/\/$/, "")}/${this.options.version}/${path}`;
  }

  private async call(url: string, token: string, init: { method: "GET" | "POST"; body?: unknown; maxBytes?: number }): Promise<HttpResponse> {
    let response: HttpResponse;
    try {
      response = await this.transport({
        method: init.method,
        url,
        headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { "content-type": "application/json" }) },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        timeoutMs: this.timeoutMs,
        ...(init.maxBytes === undefined ? {} : { maxBytes: init.maxBytes }),
      });
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw new WhatsAppSendError("media larger than 100 MB", 413, undefined, undefined);
      const reason = error instanceof Error && error.name === "TimeoutError" ? "timed out" : "could not connect";
      throw new WhatsAppSendError(`Graph API ${reason}`, 0, undefined, undefined);
    }
    if (response.status < 200 || response.status >= 300) throw this.toError(response);
    return response;
  }

  private toError(response: HttpResponse): WhatsAppSendError {
    let parsed: ReturnType<typeof ZGraphErrorBody.safeParse> | null = null;
    try {
      parsed = ZGraphErrorBody.safeParse(parseJson(response));
    } catch {
      parsed = null;
    }
    if (parsed?.success) {
      const error = parsed.data.error;
      return new WhatsAppSendError(
        `Graph API error ${error.code}${error.error_data?.details ? `: ${error.error_data.details}` : ""}`,
        response.status,
        error.code,
        error.error_data?.details,
      );
    }
    return new WhatsAppSendError(`Graph API answered HTTP ${response.status}`, response.status, undefined, undefined);
  }

  async sendMessage(credentials: WhatsAppCredentials, request: SendMessageRequest): Promise<{ wamid: string }> {
    const body = ZSendMessageRequest.parse(request);
    const response = await this.call(this.url(`${encodeURIComponent(credentials.phoneNumberId)}/messages`), credentials.accessToken, {
      method: "POST",
      body,
    });
    let json: unknown = null;
    try {
      json = parseJson(response);
    } catch {
      json = null;
    }
    const parsed = ZSendMessageResponse.safeParse(json);
    if (!parsed.success) throw new WhatsAppSendError("Graph API answered a send with an unexpected body", response.status, undefined, undefined);
    return { wamid: parsed.data.messages[0]!.id };
  }

  async markRead(credentials: WhatsAppCredentials, wamid: string, options: { typing: boolean }): Promise<void> {
    const body: StatusUpdateRequest = {
      messaging_product: "whatsapp",
      status: "read",
      message_id: wamid,
      ...(options.typing ? { typing_indicator: { type: "text" as const } } : {}),
    };
    const response = await this.call(this.url(`${encodeURIComponent(credentials.phoneNumberId)}/messages`), credentials.accessToken, {
      method: "POST",
      body,
    });
    ZSuccessResponse.parse(parseJson(response));
  }

  async listTemplates(credentials: WhatsAppCredentials, businessAccountId: string): Promise<TemplateListResponse["data"]> {
    const templates: TemplateListResponse["data"] = [];
    let next: string | undefined = `${this.url(`${encodeURIComponent(businessAccountId)}/message_templates`)}?fields=name,language,status,category,components&limit=100`;
    for (let page = 0; next && page < 50; page++) {
      const response = await this.call(next, credentials.accessToken, { method: "GET" });
      const parsed = ZTemplateListResponse.parse(parseJson(response));
      templates.push(...parsed.data);
      next = parsed.paging?.next;
    }
    return templates;
  }

  async downloadMedia(credentials: WhatsAppCredentials, mediaId: string): Promise<{ bytes: Uint8Array; mimeType: string; sha256: string | null }> {
    const meta = await this.call(`${this.url(encodeURIComponent(mediaId))}?phone_number_id=${encodeURIComponent(credentials.phoneNumberId)}`, credentials.accessToken, {
      method: "GET",
    });
    const info = ZMediaUrlResponse.parse(parseJson(meta));
    const file = await this.call(info.url, credentials.accessToken, { method: "GET", maxBytes: MAX_MEDIA_BYTES });
    const bytes = new Uint8Array(file.body.buffer, file.body.byteOffset, file.body.byteLength);
    return { bytes, mimeType: info.mime_type, sha256: info.sha256 ?? null };
  }
}
