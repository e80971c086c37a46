/**
 * Structured logs (pino). Secrets and personal data stay out: known secret fields are redacted, and
 * the code logs ids and outcomes, never message text or phone numbers.
 */
import { pino } from "pino";

export type Logger = pino.Logger;

/** `destination`: where the lines go instead of stdout (tests read them back). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    redact: {
      paths: ["accessToken", "*.accessToken", "token", "*.token", "authorization", "*.authorization", "headers.authorization", "appSecret", "*.appSecret", "secret", "*.secret", "text", "*.text", "body", "*.body"],
      censor: "[redacted]",
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export const silentLogger: Logger = pino({ level: "silent" });
