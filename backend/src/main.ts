import { loadConfigOrExit } from "./config.js";
import { startBackend, type RunningBackend } from "./runtime.js";
import { describeStartupFailure } from "./startup-failure.js";

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  let backend: RunningBackend;
  try {
    backend = await startBackend(config);
  } catch (error) {
    const { message, exitCode } = describeStartupFailure(error, config);
    console.error(message);
    process.exit(exitCode);
  }
  if (config.mode === "sandbox") console.log(`\n  Sandbox running: open http://localhost:${new URL(backend.url).port}/ to chat as a customer.\n`);
  const shutdown = (signal: string) => {
    backend.logger.info({ signal }, "shutting down");
    void backend.close().then(() => process.exit(0));
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

void main();
