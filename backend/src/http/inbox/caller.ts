/**
 * Who is calling the inbox API. Pluggable: each scheme verifies the request and yields the tenant and
 * the acting user; handlers never read either from the body. The operator scheme (API_TOKEN) acts
 * for the tenant and user named in its headers; CRM schemes (signed HubSpot requests, Salesforce
 * Named Credentials) come with the CRM apps.
 */
import type { Context, MiddlewareHandler } from "hono";
import { sameSecret } from "../../security/same-secret.js";
import { errorBody } from "../errors.js";

export interface VerifiedCaller {
  tenantId: string;
  actor: string;
  scheme: string;
}

export interface CallerScheme {
  name: string;
  /** null: this scheme does not apply to the request; a caller: verified; "refused": it applies and failed. */
  verify(c: Context): Promise<VerifiedCaller | null | "refused">;
}

const ID = /^[\w.@:-]{1,120}$/;

export function operatorTokenScheme(token: string): CallerScheme {
  return {
    name: "operator",
    async verify(c) {
      const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
      if (!match) return null;
      if (!sameSecret(match[1]!, token)) return "refused";
      const tenantId = c.req.header("x-salesbot-tenant") ?? "";
      const actor = c.req.header("x-salesbot-user") ?? "";
      if (!ID.test(tenantId) || !ID.test(actor)) return "refused";
      return { tenantId, actor, scheme: "operator" };
    },
  };
}

/** Sandbox only: the console page carries a per-process token and acts as the demo rep. */
export function sandboxConsoleScheme(token: string, tenantId: string): CallerScheme {
  return {
    name: "sandbox-console",
    async verify(c) {
      const given = c.req.header("x-sandbox-console");
      if (given === undefined) return null;
      if (!sameSecret(given, token)) return "refused";
      const actor = c.req.header("x-salesbot-user") ?? "";
      return ID.test(actor) ? { tenantId, actor, scheme: "sandbox-console" } : "refused";
    },
  };
}

export function requireCaller(schemes: readonly CallerScheme[]): MiddlewareHandler<{ Variables: { caller: VerifiedCaller } }> {
  return async (c, next) => {
    for (const scheme of schemes) {
      const result = await scheme.verify(c);
      if (result === null) continue;
      if (result === "refused") break;
      c.set("caller", result);
      return next();
    }
    c.header("WWW-Authenticate", 'Bearer realm="inbox"');
    return c.json(errorBody("unauthorized", "A verified caller is required."), 401);
  };
}
