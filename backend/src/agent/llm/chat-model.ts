/**
 * One decision's conversation with an OpenAI-compatible Chat Completions endpoint: strict structured
 * output, the knowledge tool, and a bounded number of tool rounds (the last round forbids tools, so the
 * model must answer). One deadline covers every round; the SDK does not retry, because a failed call
 * is answered at once by the built-in engine rather than after backoff.
 */
import OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { LlmFailure, toFailure } from "./failure.js";
import { searchToolDefinition, type KnowledgeSession } from "./knowledge-tool.js";
import { outputFormat } from "./output.js";
import type { PromptMessage } from "./prompt.js";

export interface LlmSettings {
  apiKey: string;
  /** Including the API version path, as the SDK expects: https://api.openai.com/v1 */
  baseUrl: string;
  model: string;
  /** Budget for the whole decision, tool rounds included. */
  timeoutMs: number;
}

export const MAX_TOOL_ROUNDS = 3;

export class ChatModel {
  private readonly client: OpenAI;

  constructor(private readonly settings: LlmSettings) {
    this.client = new OpenAI({ apiKey: settings.apiKey, baseURL: settings.baseUrl, timeout: settings.timeoutMs, maxRetries: 0 });
  }

  /** The model's final content (still unvalidated JSON text). Throws LlmFailure. */
  async complete(prompt: PromptMessage[], tools: KnowledgeSession): Promise<string> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.settings.timeoutMs);
    try {
      return await this.rounds(prompt, tools, deadline.signal);
    } catch (error) {
      throw toFailure(error, deadline.signal.aborted);
    } finally {
      clearTimeout(timer);
    }
  }

  private async rounds(prompt: PromptMessage[], tools: KnowledgeSession, signal: AbortSignal): Promise<string> {
    const messages: ChatCompletionMessageParam[] = [...prompt];
    for (let round = 0; round <= MAX_TOOL_ROUNDS; round++) {
      const completion = await this.client.chat.completions.create(
        {
          model: this.settings.model,
          messages,
          tools: [searchToolDefinition],
          tool_choice: round === MAX_TOOL_ROUNDS ? "none" : "auto",
          response_format: outputFormat,
          temperature: 0,
        },
        { signal },
      );
      const choice = completion.choices[0];
      if (!choice) throw new LlmFailure("empty");
      const { message } = choice;
      if (message.refusal) throw new LlmFailure("refusal");
      const calls = message.tool_calls ?? [];
      if (calls.length > 0) {
        if (round === MAX_TOOL_ROUNDS) throw new LlmFailure("tool_rounds_exceeded");
        messages.push({ role: "assistant", content: message.content, tool_calls: calls });
        for (const call of calls) {
          const content = call.type === "function" ? await tools.call(call.function.name, call.function.arguments) : JSON.stringify({ error: "unsupported tool type" });
          messages.push({ role: "tool", tool_call_id: call.id, content });
        }
        continue;
      }
      if (choice.finish_reason === "length") throw new LlmFailure("truncated");
      if (!message.content) throw new LlmFailure("empty");
      return message.content;
    }
    throw new LlmFailure("tool_rounds_exceeded");
  }
}
