/**
 * Meta's webhook bodies escape every non-ASCII character as \uXXXX and `/` as `\/`. The simulator
 * sends bodies the same way, so signature checks are exercised on bytes that differ from a plain
 * JSON.stringify of the parsed body (the classic bug).
 */
export function stringifyLikeMeta(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, "\\/")
    .replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
