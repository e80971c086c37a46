/**
 * What an operator reads when the backend cannot start: one line saying what failed and where, with
 * no credentials, instead of an unhandled rejection's stack. The most common cause is a wrong or
 * unreachable DATABASE_URL.
 */
import type { Config } from "./config.js";

/** sysexits.h: a service the program needs is unavailable. */
export const EXIT_UNAVAILABLE = 69;

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]);
/** PostgreSQL answers with a five-character SQLSTATE (28000: no such role, 3D000: no such database…). */
const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The server and database a PostgreSQL URL names, with the user but never the password. */
export function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    const socket = parsed.searchParams.get("host");
    const host = parsed.hostname ? `${decodeURIComponent(parsed.hostname)}:${parsed.port || "5432"}` : (socket ?? "the default socket");
    const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : "";
    return `${user}${host}${parsed.pathname.length > 1 ? parsed.pathname : " (no database named)"}`;
  } catch {
    return "DATABASE_URL (unreadable)";
  }
}

export function describeStartupFailure(error: unknown, config: Config): { message: string; exitCode: number } {
  const reason = error instanceof Error ? error.message || error.name : String(error);
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  const codeText = typeof code === "string" ? ` (${code})` : "";
  const fromStore = typeof code === "string" && (NETWORK_CODES.has(code) || SQLSTATE.test(code));
  if (config.store.kind === "postgres" && fromStore) {
    return {
      message: `Cannot start: PostgreSQL at ${describeDatabase(config.store.url)} failed: ${reason}${codeText}. Check DATABASE_URL and that the server accepts connections.`,
      exitCode: EXIT_UNAVAILABLE,
    };
  }
  if (code === "EADDRINUSE") return { message: `Cannot start: port ${config.port} is already in use${codeText}. Set PORT to a free port.`, exitCode: 1 };
  return { message: `Cannot start: ${reason}${codeText}`, exitCode: 1 };
}
