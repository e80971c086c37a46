/**
 * AppError codes → HTTP statuses, in one place. 5xx bodies never echo an internal message.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorResponse } from "@salesbot/shared";
import { AppError, type ErrorCode } from "../domain/errors.js";
import type { Logger } from "../observability/logger.js";

const statusOf: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 422 | 500 | 502 | 503> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  window_closed: 422,
  opted_out: 422,
  vendor_unavailable: 502,
  not_ready: 503,
  internal: 500,
};

export function errorBody(code: ErrorCode, message: string, requestId?: string): ErrorResponse {
  return { error: { code, message, ...(requestId ? { requestId } : {}) } };
}

/** The answer to a request that threw: its status and body, logged when the fault is ours. */
export function errorAnswer(error: unknown, logger: Logger, requestId: string | undefined): { status: ContentfulStatusCode; body: ErrorResponse } {
  if (error instanceof AppError) {
    const status = statusOf[error.code];
    if (status >= 500) logger.error({ requestId, code: error.code, err: error.message }, "request failed");
    return { status, body: errorBody(error.code, status >= 500 ? "The server could not complete the request." : error.message, requestId) };
  }
  if (error instanceof HTTPException && error.status < 500) {
    return { status: error.status, body: errorBody(error.status === 401 ? "unauthorized" : "bad_request", error.message || "The request was refused.", requestId) };
  }
  const err = error instanceof Error ? error : new Error(String(error));
  logger.error({ requestId, err: err.message, stack: err.stack }, "unhandled error");
  return { status: 500, body: errorBody("internal", "The server could not complete the request.", requestId) };
}

export function handleError(logger: Logger) {
  return (error: Error, c: Context): Response => {
    const requestId = c.res.headers.get("x-request-id") ?? undefined;
    const { status, body } = errorAnswer(error, logger, requestId);
    return c.json(body, status);
  };
}
