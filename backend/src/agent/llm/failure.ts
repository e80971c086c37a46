/**
 * Why a model call produced nothing usable. Every failure ends in the built-in decision, and the
 * reason is what gets logged: a category and at most an HTTP status, never the vendor's error text,
 * which can quote the request.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";

export type FailureReason =
  | "timeout"
  | "http_error"
  | "rate_limited"
  | "connection"
  | "invalid_json"
  | "schema_mismatch"
  | "refusal"
  | "truncated"
  | "empty"
  | "tool_rounds_exceeded"
  | "unexpected";

export class LlmFailure extends Error {
  constructor(
    readonly reason: FailureReason,
    readonly status: number | null = null,
  ) {
    super(`LLM call failed: ${reason}${status === null ? "" : ` (${status})`}`);
  }
}

export function toFailure(error: unknown, deadlinePassed: boolean): LlmFailure {
  if (error instanceof LlmFailure) return error;
  if (deadlinePassed || error instanceof APIConnectionTimeoutError || error instanceof APIUserAbortError) return new LlmFailure("timeout");
  if (error instanceof APIConnectionError) return new LlmFailure("connection");
  if (error instanceof APIError) return new LlmFailure(error.status === 429 ? "rate_limited" : "http_error", error.status ?? null);
  return new LlmFailure("unexpected");
}
