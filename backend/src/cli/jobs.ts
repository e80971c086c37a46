/**
 * Operator CLI for the dead-letter list, against the configured store (same environment as the server):
 *   npm run jobs -- counts | dead [limit] | replay <id>
 */
import { loadConfigOrExit } from "../config.js";
import { openStore } from "../runtime.js";

async function main(args: string[]): Promise<number> {
  const [command, argument] = args;
  const config = loadConfigOrExit(process.env);
  const store = openStore(config);
  try {
    if ((await store.pendingMigrations()) > 0) {
      console.error("The store has unapplied migrations: start the server once first.");
      return 1;
    }
    switch (command) {
      case "counts":
        console.log(JSON.stringify(await store.jobs.counts()));
        return 0;
      case "dead": {
        const limit = argument ? Number(argument) : 50;
        for (const job of await store.jobs.listDead(limit)) {
          console.log(`${job.id}\t${job.kind}\tattempts=${job.attempts}\t${new Date(job.updatedAt).toISOString()}\t${job.lastError ?? ""}`);
        }
        return 0;
      }
      case "replay": {
        const id = Number(argument);
        if (!Number.isInteger(id) || id <= 0) {
          console.error("usage: npm run jobs -- replay <job id>");
          return 2;
        }
        const replayed = await store.jobs.replayDead(id, Date.now());
        console.log(replayed ? `job ${id} queued again` : `no dead job ${id}`);
        return replayed ? 0 : 1;
      }
      default:
        console.error("usage: npm run jobs -- counts | dead [limit] | replay <id>");
        return 2;
    }
  } finally {
    await store.close();
  }
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
