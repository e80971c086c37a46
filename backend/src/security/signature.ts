/**
 * HMAC-SHA256 signatures as Meta sends them in `X-Hub-Signature-256: sha256=<hex>`, computed over the
 * raw body bytes and compared in constant time.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export function signBody(secret: string, body: Uint8Array | string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export function verifyBodySignature(secret: string, body: Uint8Array, header: string | undefined | null): boolean {
  if (!header || !header.startsWith("sha256=")) return false;
  const given = Buffer.from(header.slice("sha256=".length), "hex");
  const expected = createHmac("sha256", secret).update(body).digest();
  // A malformed hex string decodes short; the length check is not secret-dependent.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
