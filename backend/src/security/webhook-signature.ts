/**
 * Signatures on our outgoing webhooks. The timestamp is inside the signed text, so a captured
 * request cannot be replayed later with a fresh timestamp header; receivers reject old timestamps.
 */
import { createHmac, randomBytes } from "node:crypto";

const SECRET_PREFIX = "whsec_";

/** 32 random bytes; the prefix lets secret scanners recognise one pasted where it should not be. */
export function newSigningSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64url");
}

/** `sha256=` + hex HMAC-SHA256 of `<timestamp>.<body>`, keyed with the secret string as given. */
export function signWebhook(secret: string, timestampSeconds: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex")}`;
}
