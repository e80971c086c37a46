import { loadConfigOrExit } from "./config.js";
import { startBackend } from "./runtime.js";

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  const backend = await startBackend(config);
  if (config.mode === "sandbox") console.log(`\n  Sandbox running: open http://localhost:${new URL(backend.url).port}/ to chat as a customer.\n`);
  const shutdown = (signal: string) => {
    backend.logger.info({ signal }, "shutting down");
    void backend.close().then(() => process.exit(0));
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

void main();
