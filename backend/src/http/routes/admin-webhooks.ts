/**
 * Operator endpoints for a tenant's outgoing webhooks, under /admin/tenants/:tenantId/webhooks.
 * Mounted by adminRoutes behind its bearer check and its tenant check.
 */
import type { Context, Hono } from "hono";
import { z } from "zod";
import { ZCreateWebhookRequest } from "@salesbot/shared";
import { createWebhook, listDeliveries, pingWebhook, redeliver, subscriptionView, type WebhookAdminDeps } from "../../use-cases/webhooks/manage-webhooks.js";
import { errorBody } from "../errors.js";
import type { TenantScope } from "./admin.js";

const ZLimit = z.coerce.number().int().min(1).max(500).default(50);
const ZId = z.string().min(1).max(100);

export function registerWebhookRoutes(app: Hono<TenantScope>, deps: WebhookAdminDeps & { onQueued: () => void }): void {
  const base = "/webhooks";
  const noWebhook = (c: Context) => c.json(errorBody("not_found", "No such webhook for this tenant."), 404);
  const idOf = (c: Context, name: string) => {
    const id = ZId.safeParse(c.req.param(name));
    return id.success ? id.data : null;
  };

  app.post(base, async (c) => {
    const tenantId = c.get("tenantId");
    const body = ZCreateWebhookRequest.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return c.json(errorBody("bad_request", `Invalid webhook: ${body.error.issues[0]?.path.join(".")}: ${body.error.issues[0]?.message}`), 400);
    return c.json(await createWebhook(deps, tenantId, body.data), 201);
  });

  app.get(base, async (c) => {
    const tenantId = c.get("tenantId");
    return c.json({ webhooks: (await deps.store.webhooks.listSubscriptions(tenantId)).map(subscriptionView) });
  });

  app.delete(`${base}/:id`, async (c) => {
    const tenantId = c.get("tenantId");
    const id = idOf(c, "id");
    const deleted = id !== null && (await deps.store.transaction((tx) => tx.webhooks.deleteSubscription(tenantId, id)));
    return deleted ? c.json({ deleted: id }) : noWebhook(c);
  });

  app.get(`${base}/:id/deliveries`, async (c) => {
    const tenantId = c.get("tenantId");
    const id = idOf(c, "id");
    const limit = ZLimit.safeParse(c.req.query("limit"));
    if (!limit.success) return c.json(errorBody("bad_request", "limit is a whole number from 1 to 500."), 400);
    const deliveries = id === null ? null : await listDeliveries(deps, tenantId, id, limit.data);
    return deliveries ? c.json({ deliveries }) : noWebhook(c);
  });

  app.post(`${base}/:id/deliveries/:deliveryId/redeliver`, async (c) => {
    const tenantId = c.get("tenantId");
    const id = idOf(c, "id");
    const deliveryId = idOf(c, "deliveryId");
    const result = id === null || deliveryId === null ? "not_found" : await redeliver(deps, tenantId, id, deliveryId);
    if (result === "not_found") return c.json(errorBody("not_found", "No such delivery for this webhook."), 404);
    if (result === "busy") return c.json(errorBody("conflict", "This delivery is still being attempted; wait for it to succeed or fail."), 409);
    deps.onQueued();
    return c.json({ redelivering: deliveryId }, 202);
  });

  app.post(`${base}/:id/ping`, async (c) => {
    const tenantId = c.get("tenantId");
    const id = idOf(c, "id");
    const ping = id === null ? null : await pingWebhook(deps, tenantId, id);
    if (!ping) return noWebhook(c);
    deps.onQueued();
    return c.json(ping, 202);
  });
}
