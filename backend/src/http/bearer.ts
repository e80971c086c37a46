/** Bearer-token check for operator endpoints, compared in constant time. */
import type { MiddlewareHandler } from "hono";
import { sameSecret } from "../security/same-secret.js";
import { errorBody } from "./errors.js";

export function requireBearer(token: string): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match || !sameSecret(match[1]!, token)) {
      c.header("WWW-Authenticate", 'Bearer realm="admin"');
      return c.json(errorBody("unauthorized", "A valid bearer token is required."), 401);
    }
    await next();
  };
}
