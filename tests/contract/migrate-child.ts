/**
 * A second process running the migrations, as an instance starting beside another one does. It
 * opens the store, prints "ready", and migrates when it reads "go", so the parent can line up the race.
 * Usage: node --import tsx tests/contract/migrate-child.ts <sqlite|postgres> <file-or-url>
 */
import { once } from "node:events";
import { openStoreAt } from "../support/stores.js";

const [engine, target] = process.argv.slice(2);
if ((engine !== "sqlite" && engine !== "postgres") || !target) throw new Error("usage: migrate-child.ts <sqlite|postgres> <file-or-url>");
const store = openStoreAt({ engine, target });
await store.ping();
console.log("ready");
await once(process.stdin, "data");
const applied = await store.migrate(Date.now());
await store.close();
console.log(JSON.stringify({ applied }));
process.exit(0);
