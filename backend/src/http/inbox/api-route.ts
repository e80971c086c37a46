/**
 * One definition per endpoint — method, path, request and response schemas — used both to register
 * the Hono handler (requests are parsed with the schemas) and to generate the OpenAPI document, so
 * the published contract is the code's.
 */
import type { Context, Hono } from "hono";
import { z } from "zod";
import { ZErrorResponse } from "@salesbot/shared";
import { AppError } from "../../domain/errors.js";
import type { VerifiedCaller } from "./caller.js";

export interface ApiRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType> {
  method: "get" | "post" | "put" | "delete";
  /** OpenAPI style: /conversations/{id} */
  path: string;
  summary: string;
  tag: string;
  params: P;
  query: Q;
  body: B | null;
  response: R;
  status?: 200 | 201 | 202;
  /** Responses may answer 304 to If-None-Match. */
  etag?: boolean;
  produces?: "application/json" | "text/csv";
}

export type Env = { Variables: { caller: VerifiedCaller } };

export interface Handled<R> {
  body: R;
  etag?: string;
  csv?: string;
}

export const registry: Array<ApiRoute<z.ZodType, z.ZodType, z.ZodType, z.ZodType>> = [];

export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(route: ApiRoute<P, Q, B, R>): ApiRoute<P, Q, B, R> {
  registry.push(route as unknown as ApiRoute<z.ZodType, z.ZodType, z.ZodType, z.ZodType>);
  return route;
}

const honoPath = (path: string) => path.replace(/\{(\w+)\}/g, ":$1");

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".") || "(body)"}: ${issue.message}` : "invalid";
}

export function mount<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  app: Hono<Env>,
  route: ApiRoute<P, Q, B, R>,
  handler: (input: { caller: VerifiedCaller; params: z.infer<P>; query: z.infer<Q>; body: B extends z.ZodType ? z.infer<B> : undefined; c: Context<Env> }) => Promise<Handled<z.infer<R>>>,
): void {
  app[route.method](honoPath(route.path), async (c) => {
    const params = route.params.safeParse(c.req.param());
    if (!params.success) throw new AppError("bad_request", firstIssue(params.error));
    const query = route.query.safeParse(c.req.query());
    if (!query.success) throw new AppError("bad_request", firstIssue(query.error));
    let body: unknown = undefined;
    if (route.body) {
      const parsed = route.body.safeParse(await c.req.json().catch(() => undefined));
      if (!parsed.success) throw new AppError("bad_request", firstIssue(parsed.error));
      body = parsed.data;
    }
    const result = await handler({ caller: c.get("caller"), params: params.data, query: query.data, body: body as never, c });
    if (result.etag) {
      c.header("ETag", result.etag);
      if (c.req.header("if-none-match") === result.etag) return c.body(null, 304);
    }
    if (result.csv !== undefined) return c.body(result.csv, 200, { "content-type": "text/csv; charset=utf-8" });
    return c.json(result.body as object, route.status ?? 200);
  });
}

export const ZNoParams = z.object({});
export const ZNoQuery = z.object({});
export const errorSchema = ZErrorResponse;
