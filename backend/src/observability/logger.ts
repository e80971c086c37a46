/**
 * Structured logs (pino). Secrets and personal data stay out: known secret fields are redacted, and
 * the code logs ids and outcomes, never message text or phone numbers.
 */
import { pino } from "pino";

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    redact: {
      paths: ["accessToken", "*.accessToken", "token", "*.token", "authorization", "*.authorization", "headers.authorization", "appSecret", "*.appSecret", "text", "*.text", "body", "*.body"],
      censor: "[redacted]",
    },
  });
}

export const silentLogger: Logger = pino({ level: "silent" });
