/** An error thrown in a worker thread arrives cloned, not always as an Error. */
export function describeWorkerError(error: unknown): string {
  if (error && typeof error === "object") {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof message === "string" && message !== "") return typeof code === "string" ? `${code}: ${message}` : message;
    if (typeof code === "string") return code;
  }
  return String(error);
}
