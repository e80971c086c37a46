/**
 * Operator endpoints (bearer API_TOKEN): the dead-letter list, replaying a dead job, alerts, the
 * channel events we kept but could not act on, a tenant's knowledge, settings and outgoing webhooks.
 * Without API_TOKEN they are switched off.
 */
import { Hono } from "hono";
import { z } from "zod";
import { ZAgentSettings, ZInboxSettings, ZKnowledgeEntry, ZRep } from "@salesbot/shared";
import type { Clock } from "../../domain/ports/clock.js";
import type { Store } from "../../domain/ports/store.js";
import { requireBearer } from "../bearer.js";
import { errorBody } from "../errors.js";
import { registerWebhookRoutes } from "./admin-webhooks.js";

const ZLimit = z.coerce.number().int().min(1).max(500).default(100);
const ZTenantId = z.string().min(1).max(100);

/** Routes under /tenants/:tenantId see the checked tenant id. */
export type TenantScope = { Variables: { tenantId: string } };

export function adminRoutes(deps: { store: Store; clock: Clock; apiToken: string | undefined; onReplayed: () => void }): Hono {
  const app = new Hono();
  const token = deps.apiToken;
  if (!token) {
    app.all("*", (c) => c.json(errorBody("not_found", "Admin endpoints are off: set API_TOKEN to enable them."), 404));
    return app;
  }
  app.use("*", requireBearer(token));
  app.get("/jobs/dead", async (c) => c.json({ jobs: await deps.store.jobs.listDead(ZLimit.parse(c.req.query("limit"))) }));
  app.get("/jobs/counts", async (c) => c.json(await deps.store.jobs.counts()));
  app.post("/jobs/:id/replay", async (c) => {
    const id = z.coerce.number().int().positive().safeParse(c.req.param("id"));
    if (!id.success) return c.json(errorBody("bad_request", "Job ids are positive integers."), 400);
    const replayed = await deps.store.jobs.replayDead(id.data, deps.clock.now());
    if (!replayed) return c.json(errorBody("not_found", "No dead job with that id."), 404);
    deps.onReplayed();
    return c.json({ replayed: id.data });
  });
  // Every tenant-scoped route answers 404 for a tenant that does not exist, before its handler runs.
  const tenants = new Hono<TenantScope>();
  tenants.use("*", async (c, next) => {
    const id = ZTenantId.safeParse(c.req.param("tenantId"));
    if (!id.success || !(await deps.store.getTenant(id.data))) return c.json(errorBody("not_found", "No such tenant."), 404);
    c.set("tenantId", id.data);
    await next();
  });
  tenants.get("/knowledge", async (c) => {
    const tenantId = c.get("tenantId");
    return c.json({ entries: await deps.store.listKnowledge(tenantId) });
  });
  tenants.put("/knowledge", async (c) => {
    const tenantId = c.get("tenantId");
    const body = z.object({ entries: z.array(ZKnowledgeEntry).max(5000) }).safeParse(await c.req.json().catch(() => null));
    if (!body.success) return c.json(errorBody("bad_request", `Invalid knowledge base: ${body.error.issues[0]?.path.join(".")}: ${body.error.issues[0]?.message}`), 400);
    const ids = body.data.entries.map((e) => e.id);
    if (new Set(ids).size !== ids.length) return c.json(errorBody("bad_request", "Entry ids must be unique."), 400);
    await deps.store.transaction((tx) => tx.replaceKnowledge(tenantId, body.data.entries, deps.clock.now()));
    return c.json({ entries: body.data.entries.length });
  });
  tenants.get("/agent-settings", async (c) => {
    const tenantId = c.get("tenantId");
    return c.json(await deps.store.getAgentSettings(tenantId));
  });
  tenants.put("/agent-settings", async (c) => {
    const tenantId = c.get("tenantId");
    const settings = ZAgentSettings.safeParse(await c.req.json().catch(() => null));
    if (!settings.success) return c.json(errorBody("bad_request", `Invalid settings: ${settings.error.issues[0]?.path.join(".")}: ${settings.error.issues[0]?.message}`), 400);
    await deps.store.putAgentSettings(tenantId, settings.data, deps.clock.now());
    return c.json(settings.data);
  });
  registerWebhookRoutes(tenants, { store: deps.store, clock: deps.clock, onQueued: deps.onReplayed });
  tenants.get("/reps", async (c) => {
    const tenantId = c.get("tenantId");
    return c.json({ reps: await deps.store.handoffs.listReps(tenantId) });
  });
  tenants.put("/reps/:repId", async (c) => {
    const tenantId = c.get("tenantId");
    const rep = ZRep.safeParse({ ...((await c.req.json().catch(() => null)) as object), id: c.req.param("repId") });
    if (!rep.success) return c.json(errorBody("bad_request", `Invalid rep: ${rep.error.issues[0]?.path.join(".")}: ${rep.error.issues[0]?.message}`), 400);
    await deps.store.handoffs.upsertRep(tenantId, rep.data, deps.clock.now());
    return c.json(rep.data);
  });
  tenants.get("/inbox-settings", async (c) => {
    const tenantId = c.get("tenantId");
    return c.json(await deps.store.handoffs.getSettings(tenantId));
  });
  tenants.put("/inbox-settings", async (c) => {
    const tenantId = c.get("tenantId");
    const settings = ZInboxSettings.safeParse(await c.req.json().catch(() => null));
    if (!settings.success) return c.json(errorBody("bad_request", `Invalid settings: ${settings.error.issues[0]?.path.join(".")}: ${settings.error.issues[0]?.message}`), 400);
    await deps.store.handoffs.putSettings(tenantId, settings.data, deps.clock.now());
    return c.json(settings.data);
  });
  app.route("/tenants/:tenantId", tenants);
  app.get("/alerts", async (c) => c.json({ alerts: await deps.store.listAlerts(null, ZLimit.parse(c.req.query("limit"))) }));
  app.get("/channel-events", async (c) => c.json({ events: await deps.store.listChannelEvents(null, ZLimit.parse(c.req.query("limit"))) }));
  return app;
}
