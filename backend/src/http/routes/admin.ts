/**
 * Operator endpoints (bearer API_TOKEN): the dead-letter list, replaying a dead job, alerts and the
 * channel events we kept but could not act on. Without API_TOKEN they are switched off.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { Clock } from "../../domain/ports/clock.js";
import type { Store } from "../../domain/ports/store.js";
import { requireBearer } from "../bearer.js";
import { errorBody } from "../errors.js";

const ZLimit = z.coerce.number().int().min(1).max(500).default(100);

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
  app.get("/alerts", async (c) => c.json({ alerts: await deps.store.listAlerts(null, ZLimit.parse(c.req.query("limit"))) }));
  app.get("/channel-events", async (c) => c.json({ events: await deps.store.listChannelEvents(null, ZLimit.parse(c.req.query("limit"))) }));
  return app;
}
