/**
 * The team's real WhatsApp webhook bodies live in ../shared/fixtures/whatsapp beside the checkout.
 * A user's clone has no ../shared: suites that need it skip there, and fail on CI where it must exist.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const SHARED_FIXTURES_DIR = resolve(import.meta.dirname, "../../../shared/fixtures/whatsapp");

export function sharedFixturesAvailable(): boolean {
  const present = existsSync(SHARED_FIXTURES_DIR);
  if (!present && process.env.CI) throw new Error(`CI must have the shared fixtures at ${SHARED_FIXTURES_DIR}`);
  return present;
}

export function listSharedFixtures(): string[] {
  return readdirSync(SHARED_FIXTURES_DIR).filter((name) => name.endsWith(".json")).sort();
}

/** The file's exact bytes, as needed for signatures. */
export function readSharedFixture(name: string): string {
  return readFileSync(join(SHARED_FIXTURES_DIR, name), "utf8");
}
