import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares two secrets as SHA-256 digests: equal lengths always, so the time taken says nothing
 * about the length or content of a guess.
 */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(createHash("sha256").update(given).digest(), createHash("sha256").update(expected).digest());
}
