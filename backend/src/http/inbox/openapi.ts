/**
 * The OpenAPI 3.1 document of the inbox API, generated from the route registry's zod schemas.
 */
import { z } from "zod";
import { errorSchema, registry } from "./api-route.js";

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { target: "draft-2020-12", io: "output", unrepresentable: "any" });
const input = (schema: z.ZodType) => z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" });

function parameters(schema: z.ZodType, where: "path" | "query"): unknown[] {
  const shape = (input(schema) as { properties?: Record<string, unknown>; required?: string[] }).properties ?? {};
  const required = new Set((input(schema) as { required?: string[] }).required ?? []);
  return Object.entries(shape).map(([name, s]) => ({ name, in: where, required: where === "path" || required.has(name), schema: s }));
}

export function openApiDocument(serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of registry) {
    const responses: Record<string, unknown> = {
      [String(route.status ?? 200)]: {
        description: "OK",
        content: { [route.produces ?? "application/json"]: { schema: route.produces === "text/csv" ? { type: "string" } : json(route.response) } },
      },
      "400": { description: "Invalid request", content: { "application/json": { schema: json(errorSchema) } } },
      "401": { description: "No verified caller", content: { "application/json": { schema: json(errorSchema) } } },
      "404": { description: "Not found in the caller's account", content: { "application/json": { schema: json(errorSchema) } } },
    };
    if (route.etag) responses["304"] = { description: "Not modified since the ETag given in If-None-Match" };
    paths[route.path] = {
      ...paths[route.path],
      [route.method]: {
        summary: route.summary,
        tags: [route.tag],
        parameters: [...parameters(route.params, "path"), ...parameters(route.query, "query")],
        ...(route.body ? { requestBody: { required: true, content: { "application/json": { schema: input(route.body) } } } } : {}),
        responses,
      },
    };
  }
  paths["/media/{id}"] = { get: mediaOperation() };
  return {
    openapi: "3.1.0",
    info: {
      title: "Inbox API",
      version: "1.0.0",
      description: "Conversations, handoffs and SLA state for the CRM cards and the console. Tenant and acting user come from the verified caller only.",
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    paths,
  };
}

/** The file route serves bytes, not JSON, so it is described here rather than from a zod schema. */
function mediaOperation(): Record<string, unknown> {
  const header = (description: string) => ({ description, schema: { type: "string" } });
  return {
    summary: "A message's file, as copied from Meta when it arrived (the `media` URLs of a message view)",
    tags: ["conversations"],
    parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
    responses: {
      "200": {
        description:
          "The file's bytes. The type is the one the customer's phone declared: pictures, sound and video are served inline, anything else as a download, and never as a page that runs script.",
        headers: {
          "Content-Type": header("The declared type, or application/octet-stream when it is not a valid media type"),
          "Content-Disposition": header("inline for image/jpeg, png, webp, gif, audio/* and video/*; attachment otherwise"),
          "Content-Security-Policy": header("default-src 'none'; sandbox"),
          "X-Content-Type-Options": header("nosniff"),
        },
        content: { "application/octet-stream": { schema: { type: "string", contentMediaType: "application/octet-stream" } } },
      },
      "401": { description: "No verified caller", content: { "application/json": { schema: json(errorSchema) } } },
      "404": { description: "Not found in the caller's account", content: { "application/json": { schema: json(errorSchema) } } },
    },
  };
}

/** A readable page of the document, with no external assets. */
export function docsPage(document: Record<string, unknown>): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[ch]!);
  const paths = document.paths as Record<string, Record<string, { summary: string; tags: string[] }>>;
  const rows = Object.entries(paths)
    .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => `<tr><td><code class="m ${method}">${method.toUpperCase()}</code></td><td><code>/api/v1${esc(path)}</code></td><td>${esc(op.summary)}</td></tr>`))
    .join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Inbox API</title>
<style>body{font-family:system-ui,sans-serif;max-width:980px;margin:2rem auto;padding:0 1rem;color:#1f2933}table{border-collapse:collapse;width:100%}td{border-bottom:1px solid #e4e7eb;padding:.45rem .3rem;vertical-align:top}.m{font-weight:700}.get{color:#0b7285}.post{color:#2b8a3e}.put{color:#e67700}.delete{color:#c92a2a}pre{background:#f5f7fa;padding:1rem;overflow:auto;max-height:30rem}</style></head>
<body><h1>Inbox API v1</h1><p>${esc(String((document.info as { description: string }).description))}</p>
<p>Machine-readable: <a href="/api/v1/openapi.json">openapi.json</a> (OpenAPI 3.1).</p>
<table>${rows}</table><h2>Document</h2><pre>${esc(JSON.stringify(document, null, 2))}</pre></body></html>`;
}
