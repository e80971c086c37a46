/**
 * Meta's verification handshake on the webhook URL: no signature, answer the bare challenge. POSTs to
 * the same URL are served by node-listener.ts.
 */
import { Hono } from "hono";
import { sameSecret } from "../../security/same-secret.js";

export function whatsappWebhookRoutes(deps: { verifyToken: string }): Hono {
  const app = new Hono();
  app.get("/", (c) => {
    const mode = c.req.query("hub.mode");
    const token = c.req.query("hub.verify_token") ?? "";
    const challenge = c.req.query("hub.challenge") ?? "";
    if (mode === "subscribe" && sameSecret(token, deps.verifyToken)) return c.text(challenge, 200);
    return c.text("Forbidden", 403);
  });
  return app;
}
