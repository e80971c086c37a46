/**
 * The Chat Completions wire format as OpenAI documents it, the part our engine uses: the request the
 * fake accepts (anything else is a 400 like OpenAI's), and the response and error bodies it returns.
 */
import { z } from "zod";

const ZToolCall = z.object({ id: z.string(), type: z.literal("function"), function: z.object({ name: z.string(), arguments: z.string() }) });

export const ZChatMessage = z.discriminatedUnion("role", [
  z.object({ role: z.enum(["system", "developer"]), content: z.string() }),
  z.object({ role: z.literal("user"), content: z.string() }),
  z.object({ role: z.literal("assistant"), content: z.string().nullable().optional(), tool_calls: z.array(ZToolCall).optional(), refusal: z.string().nullable().optional() }),
  z.object({ role: z.literal("tool"), tool_call_id: z.string(), content: z.string() }),
]);
export type ChatMessage = z.infer<typeof ZChatMessage>;
export type ToolCall = z.infer<typeof ZToolCall>;

export const ZChatRequest = z.object({
  model: z.string().min(1),
  messages: z.array(ZChatMessage).min(1),
  tools: z
    .array(z.object({ type: z.literal("function"), function: z.object({ name: z.string(), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()).optional(), strict: z.boolean().optional() }) }))
    .optional(),
  tool_choice: z.union([z.enum(["none", "auto", "required"]), z.object({ type: z.literal("function"), function: z.object({ name: z.string() }) })]).optional(),
  response_format: z
    .union([
      z.object({ type: z.literal("text") }),
      z.object({ type: z.literal("json_object") }),
      z.object({ type: z.literal("json_schema"), json_schema: z.object({ name: z.string(), strict: z.boolean().nullable().optional(), schema: z.record(z.string(), z.unknown()).optional() }) }),
    ])
    .optional(),
  temperature: z.number().min(0).max(2).optional(),
});
export type ChatRequest = z.infer<typeof ZChatRequest>;

export interface ApiError {
  status: number;
  error: { message: string; type: string; param: string | null; code: string | null };
}

export const apiError = (status: number, message: string, type: string, code: string | null = null, param: string | null = null): ApiError => ({
  status,
  error: { message, type, param, code },
});

/** What strict mode demands of a schema: every object closed and every property required. */
export function strictSchemaProblem(schema: unknown, path = "root"): string | null {
  if (typeof schema !== "object" || schema === null) return null;
  const node = schema as Record<string, unknown>;
  if (node.type === "object" || (Array.isArray(node.type) && node.type.includes("object"))) {
    const properties = (node.properties ?? {}) as Record<string, unknown>;
    if (node.additionalProperties !== false) return `In context=(${path}), 'additionalProperties' is required to be supplied and to be false.`;
    const required = Array.isArray(node.required) ? node.required : [];
    const missing = Object.keys(properties).filter((key) => !required.includes(key));
    if (missing.length > 0) return `In context=(${path}), 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]}'.`;
    for (const [key, value] of Object.entries(properties)) {
      const problem = strictSchemaProblem(value, `${path}, '${key}'`);
      if (problem) return problem;
    }
  }
  for (const key of ["items", "anyOf"] as const) {
    const child = node[key];
    for (const item of Array.isArray(child) ? child : child === undefined ? [] : [child]) {
      const problem = strictSchemaProblem(item, `${path}, '${key}'`);
      if (problem) return problem;
    }
  }
  return null;
}

/** Every tool message must answer a tool call of the assistant message before it, as OpenAI checks. */
export function toolOrderProblem(messages: ChatMessage[]): string | null {
  let open = new Set<string>();
  for (const [index, message] of messages.entries()) {
    if (message.role === "tool") {
      if (!open.has(message.tool_call_id)) return `Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'. (messages.[${index}])`;
      open.delete(message.tool_call_id);
    } else {
      if (open.size > 0) return "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'.";
      open = new Set(message.role === "assistant" ? (message.tool_calls ?? []).map((call) => call.id) : []);
    }
  }
  return null;
}

export interface AssistantTurn {
  content: string | null;
  refusal?: string | null;
  tool_calls?: ToolCall[];
}

let completionCounter = 0;

export function completion(model: string, turn: AssistantTurn, promptChars: number) {
  const finish = turn.tool_calls && turn.tool_calls.length > 0 ? "tool_calls" : "stop";
  const completionTokens = Math.ceil(((turn.content ?? "").length + JSON.stringify(turn.tool_calls ?? []).length) / 4);
  const promptTokens = Math.ceil(promptChars / 4);
  return {
    id: `chatcmpl-fake${(completionCounter++).toString(36)}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: turn.content, refusal: turn.refusal ?? null, annotations: [], ...(turn.tool_calls ? { tool_calls: turn.tool_calls } : {}) },
        logprobs: null,
        finish_reason: finish,
      },
    ],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    system_fingerprint: "fp_fake",
  };
}
