/**
 * A fake OpenAI-compatible server on loopback: POST /v1/chat/completions with OpenAI's request
 * checks (bearer key, body shape, strict response schema, tool message order), response and error
 * bodies. The real `openai` SDK talks to it. It records every request, raw, and what its scripted
 * model answered. Modes switch the model's behaviour or make the endpoint fail the ways real ones do.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { helpful, obedient, read, search } from "./openai-brain.js";
import { apiError, completion, strictSchemaProblem, toolOrderProblem, ZChatRequest, type ApiError, type AssistantTurn, type ChatRequest } from "./openai-wire.js";

export type FakeOpenAiMode =
  | "helpful"
  | "obedient"
  | "http_500"
  | "rate_limited"
  | "slow"
  | "malformed_json"
  | "schema_violation"
  | "refusal"
  /** Calls the search tool whenever it is allowed to. */
  | "tool_loop";

export interface RecordedChatRequest {
  authorization: string | null;
  raw: string;
  body: ChatRequest;
}

export interface FakeOpenAi {
  url: string;
  /** What to pass the SDK as baseURL. */
  baseUrl: string;
  apiKey: string;
  mode: FakeOpenAiMode;
  requests: RecordedChatRequest[];
  /** The model's answers, as sent (content or tool calls). */
  answers: AssistantTurn[];
  reset(mode?: FakeOpenAiMode): void;
  close(): Promise<void>;
}

export interface FakeOpenAiOptions {
  apiKey?: string;
  mode?: FakeOpenAiMode;
  /** How long `slow` takes to answer. */
  slowMs?: number;
}

const send = (failure: ApiError, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error: failure.error }), { status: failure.status, headers: { "content-type": "application/json", ...headers } });

function scripted(mode: FakeOpenAiMode, request: ChatRequest): AssistantTurn {
  switch (mode) {
    case "obedient":
      return obedient(request);
    case "malformed_json":
      return { content: '{"intent": "faq", "confidence": 0.9, "action": "reply", "text": "We integrate with' };
    case "schema_violation":
      return { content: JSON.stringify({ intent: "buy_now", confidence: 7, action: "dance", text: 42, summary: "none" }) };
    case "refusal":
      return { content: null, refusal: "I'm sorry, but I can't help with that request." };
    case "tool_loop": {
      const r = read(request);
      return r.mayCallTools ? search(`${r.customerText} (round ${r.results.length})`) : helpful(request);
    }
    default:
      return helpful(request);
  }
}

export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const apiKey = options.apiKey ?? "sk-test-fake-0123456789";
  const slowMs = options.slowMs ?? 3000;
  const timers = new Set<NodeJS.Timeout>();
  const app = new Hono();

  const fake: Omit<FakeOpenAi, "url" | "baseUrl" | "close"> = {
    apiKey,
    mode: options.mode ?? "helpful",
    requests: [],
    answers: [],
    reset(mode = "helpful") {
      fake.mode = mode;
      fake.requests.length = 0;
      fake.answers.length = 0;
    },
  };

  app.post("/v1/chat/completions", async (c) => {
    const authorization = c.req.header("authorization") ?? null;
    const raw = await c.req.text();
    if (authorization !== `Bearer ${apiKey}`) {
      return send(apiError(401, "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key"));
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return send(apiError(400, "We could not parse the JSON body of your request.", "invalid_request_error"));
    }
    const parsed = ZChatRequest.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return send(apiError(400, `Invalid request: ${issue?.message ?? "malformed"}`, "invalid_request_error", null, issue?.path.join(".") ?? null));
    }
    const body = parsed.data;
    fake.requests.push({ authorization, raw, body });
    const format = body.response_format;
    if (format?.type === "json_schema" && format.json_schema.strict) {
      const problem = strictSchemaProblem(format.json_schema.schema);
      if (problem) return send(apiError(400, `Invalid schema for response_format '${format.json_schema.name}': ${problem}`, "invalid_request_error", null, "response_format"));
    }
    const order = toolOrderProblem(body.messages);
    if (order) return send(apiError(400, order, "invalid_request_error", null, "messages"));

    switch (fake.mode) {
      case "http_500":
        return send(apiError(500, "The server had an error while processing your request. Sorry about that!", "server_error"));
      case "rate_limited":
        return send(apiError(429, `Rate limit reached for ${body.model} on requests per min (RPM): Limit 3, Used 3, Requested 1.`, "requests", "rate_limit_exceeded"), { "retry-after": "20" });
      case "slow":
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, slowMs);
          timers.add(timer);
        });
        break;
      default:
        break;
    }
    const turn = scripted(fake.mode, body);
    fake.answers.push(turn);
    return c.json(completion(body.model, turn, raw.length));
  });
  app.all("*", (c) => send(apiError(404, `Invalid URL (${c.req.method} ${new URL(c.req.url).pathname})`, "invalid_request_error")));

  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(fake, {
    url,
    baseUrl: `${url}/v1`,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if ("closeAllConnections" in server) server.closeAllConnections();
      await closed;
    },
  });
}
