/**
 * Sandbox only: the simulated phone page and its API, and the rep console. Never mounted in live mode.
 */
import { Hono } from "hono";
import { z } from "zod";
import { ZPhoneSend } from "@salesbot/shared";
import type { WhatsAppSimulator } from "../../sandbox/simulator.js";
import { consolePageHtml } from "../../sandbox/console/page.js";
import { phonePageHtml } from "../../sandbox/phone-page.js";
import { errorBody } from "../errors.js";

const ZWaId = z.string().regex(/^\d{8,15}$/).default("15551234567");

export function sandboxRoutes(deps: { simulator: WhatsAppSimulator; consoleToken: string }): Hono {
  const app = new Hono();
  app.get("/", (c) => c.html(phonePageHtml()));
  // The page carries the console token: never cached, never sent on as a referrer.
  app.get("/console", (c) => c.html(consolePageHtml({ token: deps.consoleToken }), 200, { "cache-control": "no-store", "referrer-policy": "no-referrer" }));
  app.route("/sandbox/graph", deps.simulator.app);
  app.get("/sandbox/api/phone", (c) => {
    const waId = ZWaId.safeParse(c.req.query("waId"));
    if (!waId.success) return c.json(errorBody("bad_request", "waId must be 8 to 15 digits."), 400);
    return c.json(deps.simulator.phoneState(waId.data, { viewing: c.req.query("viewing") === "1" }));
  });
  app.post("/sandbox/api/phone/messages", async (c) => {
    const waId = ZWaId.safeParse(c.req.query("waId"));
    const name = z.string().min(1).max(60).default("Alex Customer").safeParse(c.req.query("name") || undefined);
    const send = ZPhoneSend.safeParse(await c.req.json().catch(() => null));
    if (!waId.success || !name.success || !send.success) return c.json(errorBody("bad_request", "Expected {type:'text', text} or a button/list reply."), 400);
    const result = await deps.simulator.customerSends(waId.data, name.data, send.data);
    return c.json({ wamid: result.wamid, webhookStatus: result.httpStatus });
  });
  return app;
}
