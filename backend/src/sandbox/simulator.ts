/**
 * A stand-in for the WhatsApp Cloud API: it serves the Graph endpoints our client calls (send,
 * mark-as-read/typing, media) with Meta's request and response shapes, and plays the customer's
 * phone: a customer's message becomes a signed webhook POSTed to our endpoint, and every message we
 * send comes back as sent/delivered/read status webhooks. `npm start` runs it in sandbox mode; the
 * test suite uses the same class as its WhatsApp fake.
 */
import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import {
  ZSendMessageRequest,
  ZStatusUpdateRequest,
  type PhoneMessage,
  type PhoneSend,
  type PhoneState,
  type SendMessageRequest,
} from "@salesbot/shared";
import { signBody } from "../security/signature.js";
import { stringifyLikeMeta } from "./meta-json.js";

export interface RecordedGraphRequest {
  method: string;
  path: string;
  authorization: string | null;
  body: unknown;
  /** performance.now() when the request arrived. */
  receivedAt: number;
}

export interface InjectedFailure {
  httpStatus: number;
  code: number;
  message: string;
  details?: string;
}

export interface SimulatorOptions {
  appSecret: string;
  accessToken: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
  businessName?: string;
  webhookUrl?: string;
  /** Delays of the sent and delivered statuses after a send; read follows when the phone is viewed. */
  statusDelaysMs?: { sent: number; delivered: number };
  /** Mark messages read as soon as they are delivered (tests); otherwise when the phone page looks. */
  autoRead?: boolean;
  /** Where download URLs point; defaults to the webhook URL's origin + "/sandbox/graph". */
  publicBaseUrl?: string;
}

interface Customer {
  waId: string;
  name: string;
  messages: PhoneMessage[];
  typingUntil: number;
}

/** The templates the simulated WhatsApp account has, in the shape Meta lists them. */
const sandboxTemplates = [
  { name: "follow_up", language: "en_US", status: "APPROVED", category: "UTILITY", components: [{ type: "BODY", text: "Hi {{1}}, just following up on your question about {{2}}. Reply here any time." }] },
  { name: "welcome_back", language: "en_US", status: "APPROVED", category: "MARKETING", components: [{ type: "BODY", text: "We have news you may like. Reply to hear more." }] },
  { name: "seguimiento", language: "es", status: "APPROVED", category: "UTILITY", components: [{ type: "BODY", text: "Hola {{1}}, te escribimos sobre tu consulta." }] },
  { name: "spring_promo", language: "en_US", status: "PENDING", category: "MARKETING", components: [{ type: "BODY", text: "Spring offer!" }] },
];

const wamid = (): string => `wamid.SIM${randomBytes(18).toString("base64url")}`;
const seconds = (ms: number): string => String(Math.floor(ms / 1000));

export class WhatsAppSimulator {
  readonly requests: RecordedGraphRequest[] = [];
  readonly app: Hono;
  private readonly customers = new Map<string, Customer>();
  private readonly failures: InjectedFailure[] = [];
  private readReceiptDelayMs = 0;
  private readonly media = new Map<string, { bytes: Uint8Array; mimeType: string }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private webhookUrl: string | undefined;
  private publicBaseUrl: string | undefined;
  private deliveredWebhooks = 0;
  private closed = false;

  constructor(private readonly options: SimulatorOptions) {
    this.webhookUrl = options.webhookUrl;
    this.publicBaseUrl = options.publicBaseUrl;
    this.app = this.buildGraphApp();
  }

  setWebhookUrl(url: string, publicBaseUrl?: string): void {
    this.webhookUrl = url;
    if (publicBaseUrl) this.publicBaseUrl = publicBaseUrl;
  }

  /** Mark-as-read calls (and their typing indicator) are answered this much later, like a slow Graph API. */
  delayReadReceipts(ms: number): void {
    this.readReceiptDelayMs = ms;
  }

  /** The next `count` sends fail with this Graph error. */
  failNextSends(failure: InjectedFailure, count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push(failure);
  }

  addMedia(bytes: Uint8Array, mimeType: string, id = String(1_000_000_000_000 + this.media.size + Math.floor(Math.random() * 1_000_000))): string {
    this.media.set(id, { bytes, mimeType });
    return id;
  }

  get webhooksDelivered(): number {
    return this.deliveredWebhooks;
  }

  private customer(waId: string, name?: string): Customer {
    let customer = this.customers.get(waId);
    if (!customer) {
      customer = { waId, name: name ?? "Customer", messages: [], typingUntil: 0 };
      this.customers.set(waId, customer);
    }
    if (name) customer.name = name;
    return customer;
  }

  private graphError(c: { json: (body: unknown, status: 400 | 401 | 404 | 429 | 500) => Response }, failure: InjectedFailure): Response {
    return c.json(
      {
        error: {
          message: failure.message,
          type: "OAuthException",
          code: failure.code,
          error_data: { messaging_product: "whatsapp", details: failure.details ?? failure.message },
          fbtrace_id: randomBytes(8).toString("base64url"),
        },
      },
      failure.httpStatus as 400 | 401 | 404 | 429 | 500,
    );
  }

  private buildGraphApp(): Hono {
    const app = new Hono();
    app.use("*", async (c, next) => {
      const raw = c.req.method === "POST" ? await c.req.text() : "";
      let body: unknown = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = raw;
      }
      this.requests.push({ method: c.req.method, path: new URL(c.req.url).pathname, authorization: c.req.header("authorization") ?? null, body, receivedAt: performance.now() });
      c.set("parsedBody" as never, body as never);
      if (c.req.header("authorization") !== `Bearer ${this.options.accessToken}`) {
        return this.graphError(c, { httpStatus: 401, code: 190, message: "Invalid OAuth access token - Cannot parse access token" });
      }
      await next();
    });

    app.post("/:version/:phoneNumberId/messages", async (c) => {
      const body = c.get("parsedBody" as never) as unknown;
      if (c.req.param("phoneNumberId") !== this.options.phoneNumberId) {
        return this.graphError(c, { httpStatus: 400, code: 100, message: "Unsupported post request. Object does not exist" });
      }
      const read = ZStatusUpdateRequest.safeParse(body);
      if (read.success) {
        if (this.readReceiptDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.readReceiptDelayMs));
        this.onMarkRead(read.data.message_id, Boolean(read.data.typing_indicator));
        return c.json({ success: true });
      }
      const send = ZSendMessageRequest.safeParse(body);
      if (!send.success) {
        return this.graphError(c, { httpStatus: 400, code: 100, message: "(#100) Invalid parameter", details: send.error.issues[0]?.message });
      }
      const failure = this.failures.shift();
      if (failure) return this.graphError(c, failure);
      const to = send.data.to ?? send.data.recipient ?? "";
      const id = wamid();
      this.onBusinessMessage(to, id, send.data);
      return c.json({
        messaging_product: "whatsapp",
        contacts: [{ input: to, wa_id: send.data.to ? to.replace(/\D/g, "") : undefined, user_id: send.data.recipient }],
        messages: [{ id, ...(send.data.type === "template" ? { message_status: "accepted" } : {}) }],
      });
    });

    app.get("/media-download/:mediaId", (c) => {
      const media = this.media.get(c.req.param("mediaId"));
      if (!media) return c.text("Not Found", 404);
      return c.body(Buffer.from(media.bytes), 200, { "content-type": media.mimeType, "content-length": String(media.bytes.byteLength) });
    });

    app.get("/:version/:businessAccountId/message_templates", (c) => {
      const after = Number(c.req.query("after") ?? "0");
      const page = sandboxTemplates.slice(after, after + 2);
      const origin = this.publicBaseUrl ?? new URL(c.req.url).origin;
      const next = after + 2 < sandboxTemplates.length ? `${origin}/${c.req.param("version")}/${c.req.param("businessAccountId")}/message_templates?after=${after + 2}` : undefined;
      return c.json({ data: page, paging: { cursors: { before: String(after), after: String(after + 2) }, ...(next ? { next } : {}) } });
    });

    app.get("/:version/:mediaId", (c) => {
      const id = c.req.param("mediaId");
      const media = this.media.get(id);
      if (!media) return this.graphError(c, { httpStatus: 400, code: 100, message: "Unsupported get request. Object does not exist" });
      const base = this.publicBaseUrl ?? new URL(c.req.url).origin;
      return c.json({ messaging_product: "whatsapp", url: `${base}/media-download/${id}`, mime_type: media.mimeType, sha256: "", file_size: media.bytes.byteLength, id });
    });
    return app;
  }

  private onMarkRead(messageId: string, typing: boolean): void {
    for (const customer of this.customers.values()) {
      if (customer.messages.some((m) => m.id === messageId) && typing) customer.typingUntil = Date.now() + 25_000;
    }
  }

  private onBusinessMessage(to: string, id: string, request: SendMessageRequest): void {
    const customer = this.customer(to);
    customer.typingUntil = 0;
    const message: PhoneMessage = { id, direction: "to_customer", type: request.type, text: textOf(request), at: Date.now(), status: null };
    if (request.type === "interactive") {
      const interactive = request.interactive;
      if (interactive.type === "button") message.buttons = interactive.action.buttons.map((b) => ({ id: b.reply.id, title: b.reply.title }));
      else message.listRows = interactive.action.sections.flatMap((s) => s.rows);
    }
    customer.messages.push(message);
    const delays = this.options.statusDelaysMs ?? { sent: 50, delivered: 250 };
    const callback = request.biz_opaque_callback_data;
    this.later(delays.sent, () => this.setStatus(customer, message, "sent", callback));
    this.later(delays.delivered, () => {
      this.setStatus(customer, message, "delivered", callback);
      if (this.options.autoRead) this.setStatus(customer, message, "read", callback);
    });
  }

  private setStatus(customer: Customer, message: PhoneMessage, status: "sent" | "delivered" | "read", callback: string | undefined): void {
    const order = { sent: 1, delivered: 2, read: 3, failed: 4 } as const;
    if (message.status && order[message.status] >= order[status]) return;
    message.status = status;
    void this.deliver({
      field: "messages",
      value: {
        messaging_product: "whatsapp",
        metadata: this.metadata(),
        statuses: [
          {
            id: message.id,
            status,
            timestamp: seconds(Date.now()),
            recipient_id: customer.waId,
            ...(callback ? { biz_opaque_callback_data: callback } : {}),
            ...(status === "sent" ? { pricing: { billable: false, pricing_model: "PMP", type: "free_customer_service", category: "service" } } : {}),
          },
        ],
      },
    });
  }

  private metadata() {
    return { display_phone_number: this.options.displayPhoneNumber, phone_number_id: this.options.phoneNumberId };
  }

  private later(ms: number, work: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) work();
    }, ms);
    this.timers.add(timer);
  }

  /** The customer writes to the business; resolves once our webhook endpoint has answered. */
  async customerSends(waId: string, name: string, send: PhoneSend): Promise<{ wamid: string; httpStatus: number }> {
    const customer = this.customer(waId, name);
    const id = wamid();
    const now = Date.now();
    let message: Record<string, unknown>;
    let text: string;
    switch (send.type) {
      case "text":
        message = { type: "text", text: { body: send.text } };
        text = send.text;
        break;
      case "button_reply":
        message = { type: "interactive", context: { from: this.options.displayPhoneNumber, id: send.replyTo }, interactive: { type: "button_reply", button_reply: { id: send.id, title: send.title } } };
        text = send.title;
        break;
      case "list_reply":
        message = { type: "interactive", context: { from: this.options.displayPhoneNumber, id: send.replyTo }, interactive: { type: "list_reply", list_reply: { id: send.id, title: send.title } } };
        text = send.title;
        break;
      default:
        return send satisfies never;
    }
    customer.messages.push({ id, direction: "from_customer", type: send.type, text, at: now, status: null });
    const httpStatus = await this.deliver({
      field: "messages",
      value: {
        messaging_product: "whatsapp",
        metadata: this.metadata(),
        contacts: [{ profile: { name: customer.name }, wa_id: waId }],
        messages: [{ from: waId, id, timestamp: seconds(now), ...message }],
      },
    });
    return { wamid: id, httpStatus };
  }

  /** What the customer's phone shows; looking at it marks delivered messages read, as a real phone does. */
  phoneState(waId: string, options: { viewing: boolean }): PhoneState {
    const customer = this.customer(waId);
    if (options.viewing) {
      for (const message of customer.messages) if (message.direction === "to_customer" && message.status === "delivered") this.setStatus(customer, message, "read", undefined);
    }
    return {
      customer: { waId: customer.waId, name: customer.name },
      business: { name: this.options.businessName ?? "Business", displayPhoneNumber: this.options.displayPhoneNumber },
      typing: customer.typingUntil > Date.now(),
      messages: customer.messages.map((m) => ({ ...m })),
    };
  }

  /** POSTs one signed change to our webhook endpoint, retrying like Meta when it is not answered with 200. */
  private async deliver(change: unknown, attempt = 0): Promise<number> {
    if (!this.webhookUrl || this.closed) return 0;
    const body = stringifyLikeMeta({ object: "whatsapp_business_account", entry: [{ id: "sandbox-waba", changes: [change] }] });
    let status = 0;
    try {
      const response = await fetch(this.webhookUrl, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": signBody(this.options.appSecret, body) },
        body,
      });
      status = response.status;
      await response.arrayBuffer();
    } catch {
      status = 0;
    }
    if (status === 200) {
      this.deliveredWebhooks++;
      return status;
    }
    if (attempt < 5) this.later(200 * 2 ** attempt, () => void this.deliver(change, attempt + 1));
    return status;
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

function textOf(request: SendMessageRequest): string {
  switch (request.type) {
    case "text":
      return request.text.body;
    case "interactive":
      return request.interactive.body.text;
    case "template":
      return `[template ${request.template.name}]`;
    case "image":
    case "document":
    case "audio":
    case "video": {
      const media = (request as Record<string, unknown>)[request.type] as { caption?: string };
      return media.caption ?? `[${request.type}]`;
    }
    default:
      return request satisfies never;
  }
}
