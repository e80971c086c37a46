/**
 * AppError codes → HTTP statuses, in one place. 5xx bodies never echo an internal message.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
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

export function handleError(logger: Logger) {
  return (error: Error, c: Context): Response => {
    const requestId = c.res.headers.get("x-request-id") ?? undefined;
    if (error instanceof AppError) {
      const status = statusOf[error.code];
      if (status >= 500) logger.error({ requestId, code: error.code, err: error.message }, "request failed");
      return c.json(errorBody(error.code, status >= 500 ? "The server could not complete the request." : error.message, requestId), status);
    }
    if (error instanceof HTTPException && error.status < 500) {
      return c.json(errorBody(error.status === 401 ? "unauthorized" : "bad_request", error.message || "The request was refused.", requestId), error.status);
    }
    logger.error({ requestId, err: error.message, stack: error.stack }, "unhandled error");
    return c.json(errorBody("internal", "The server could not complete the request.", requestId), 500);
  };
}
