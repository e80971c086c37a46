/**
 * Real child processes for crash and multi-process tests. `node --import tsx` keeps the script in one
 * process: the `tsx` CLI would run it in a grandchild, which a SIGKILL of the child would not reach.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dirname, "../..");

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningChild {
  process: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  exited: Promise<ChildExit>;
}

export function startTsChild(script: string, args: string[], env: Record<string, string> = {}): RunningChild {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  // "close", not "exit": it fires once the pipes are drained too.
  const exited = new Promise<ChildExit>((done, fail) => {
    child.once("error", fail);
    child.once("close", (code, signal) => done({ code, signal, stdout, stderr }));
  });
  return { process: child, stdout: () => stdout, exited };
}

export function runTsChild(script: string, args: string[], env?: Record<string, string>): Promise<ChildExit> {
  return startTsChild(script, args, env).exited;
}

/** Resolves with the first match of `pattern` in the child's stdout, or fails if the child exits first. */
export async function waitForOutput(child: RunningChild, pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void child.exited.then(() => (exited = true), () => (exited = true));
  for (;;) {
    const match = child.stdout().match(pattern);
    if (match) return match;
    if (exited || Date.now() > deadline) {
      const result = exited ? await child.exited : null;
      throw new Error(`child never printed ${pattern}${result ? `; it exited (${result.code ?? result.signal}): ${result.stderr.slice(-2000)}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
