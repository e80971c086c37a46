import { Hono } from "hono";
import type { Store } from "../../domain/ports/store.js";
import type { Metrics } from "../../observability/metrics.js";

export function healthRoutes(deps: { store: Store; metrics: Metrics }): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    try {
      await deps.store.ping();
      const pending = await deps.store.pendingMigrations();
      if (pending > 0) return c.json({ status: "not_ready", reason: `${pending} migration(s) not applied` }, 503);
      return c.json({ status: "ready" });
    } catch {
      return c.json({ status: "not_ready", reason: "store unreachable" }, 503);
    }
  });
  app.get("/metrics", async (c) => {
    const counts = await deps.store.jobs.counts().catch(() => null);
    if (counts) for (const [state, n] of Object.entries(counts)) deps.metrics.jobQueue.set({ state }, n);
    return c.text(await deps.metrics.registry.metrics(), 200, { "content-type": deps.metrics.registry.contentType });
  });
  return app;
}
