/**
 * The WhatsApp Cloud API fake for tests: the product's own simulator (the same one `npm start` uses in
 * sandbox mode), served on a loopback port of its own, so the backend runs in live mode against it
 * with a real Graph base URL, a real access token check and signed webhooks.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { WhatsAppSimulator, type SimulatorOptions } from "../../backend/src/sandbox/simulator.js";

export interface FakeWhatsApp {
  url: string;
  simulator: WhatsAppSimulator;
  close(): Promise<void>;
}

export async function startFakeWhatsApp(options: SimulatorOptions): Promise<FakeWhatsApp> {
  const simulator = new WhatsAppSimulator(options);
  const server = serve({ fetch: simulator.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  simulator.setWebhookUrl(options.webhookUrl ?? "", url);
  return {
    url,
    simulator,
    async close() {
      simulator.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if ("closeAllConnections" in server) server.closeAllConnections();
      await closed;
    },
  };
}
