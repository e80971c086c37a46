/**
 * Plumbing for the benchmarks: realistic signed webhook bodies, the real server as a child process,
 * a throw-away PostgreSQL database, CPU readings from /proc, percentiles, and a cleanup list that runs
 * on success, failure, Ctrl-C and the global deadline alike.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHash, createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import pg from "pg";
import { stringifyLikeMeta } from "../../backend/src/sandbox/meta-json.js";

export const REPO_ROOT = resolve(import.meta.dirname, "../..");
export const POSTGRES_ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export const APP_SECRET = "bench-app-secret-0123456789abcdef";
export const VERIFY_TOKEN = "bench-verify-token";
export const ACCESS_TOKEN = "EAAG-bench-access-token-0123456789";
export const PHONE_NUMBER_ID = "106540352242922";
export const DISPLAY_PHONE_NUMBER = "15550783881";
export const SECRETS_KEY = randomBytes(32).toString("base64");
export const API_TOKEN = "bench-operator-token-0123456789abcdef";

// ---------------------------------------------------------------------------------------------
// Cleanup

type CleanupStep = { name: string; run: () => Promise<void> | void };
const cleanupSteps: CleanupStep[] = [];
const liveChildren = new Set<ChildProcess>();
const tempDirs = new Set<string>();

/** Registers work to undo; steps run last-in first-out. */
export function onCleanup(name: string, run: () => Promise<void> | void): void {
  cleanupSteps.push({ name, run });
}

export async function runCleanup(): Promise<void> {
  while (cleanupSteps.length > 0) {
    const step = cleanupSteps.pop()!;
    try {
      await step.run();
    } catch (error) {
      console.error(`cleanup "${step.name}" failed: ${String(error)}`);
    }
  }
}

// Last resort when the process exits without running the async cleanup: no orphan servers, no temp dirs.
process.on("exit", () => {
  for (const child of liveChildren) child.kill("SIGKILL");
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

const dirtyMegabytes = (): number => {
  const line = readFileSync("/proc/meminfo", "utf8").match(/^Dirty:\s+(\d+) kB/m);
  return line ? Number(line[1]) / 1024 : 0;
};

/**
 * Between runs: the run before leaves hundreds of megabytes of written pages (a dropped PostgreSQL
 * database, a deleted SQLite file) for the kernel to write back, and that writeback would land in
 * the next run, slowing its fsyncs. Flush it now and let the disk go quiet. Returns what was flushed.
 */
export async function settleMachine(): Promise<{ dirtyMb: number; ms: number }> {
  const dirtyMb = dirtyMegabytes();
  const started = performance.now();
  await new Promise<void>((resolve) => execFile("sync", () => resolve()));
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return { dirtyMb, ms: performance.now() - started };
}

export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  onCleanup(`remove ${dir}`, () => {
    rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  });
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Webhook bodies

const NAMES = ["Sheena Nelson", "José Álvarez", "Ana Beatriz Gonçalves", "Mehmet Yılmaz", "Priya Raman", "Łukasz Nowak", "Chloé Martin", "Kwame Mensah"];
const TEXTS = [
  "Good afternoon! I saw your catalogue on Instagram and I would like to know whether the linen shirts come in other colours besides white and navy. I usually wear a medium, but the last brand I bought from ran small, so I would also like to understand how your sizes compare. Is there a size chart I can look at? I am also curious about delivery times to Porto, because I need the shirts before a trip at the end of the month. Could you also tell me whether you ship in recyclable packaging? Thank you very much in advance for your help!",
  "Olá! Vi o vosso anúncio e queria saber mais sobre os cursos de fotografia para principiantes. Tenho uma câmara reflex antiga mas nunca aprendi a usar o modo manual. As aulas são presenciais ou online? Gostava também de saber quantas pessoas há em cada turma, se o material está incluído e se há aulas ao fim de semana, porque durante a semana trabalho até tarde. Já agora, se eu faltar a uma aula é possível recuperá-la noutra turma? Obrigado desde já pela ajuda e pela paciência com tantas perguntas!",
  "Hello there, my colleague recommended your team after you helped her set up the online booking for her clinic. We are a small dental practice with three chairs and we are looking for something similar: patients should be able to pick a slot, get a reminder the day before and confirm by replying. Our receptionist currently does all of this by phone and it takes hours every week. Could you explain how the setup works, what information you would need from us and how long it usually takes before everything is running?",
];

/** One field of a compact JSON body, escaped the way Meta escapes it (\uXXXX, \/). */
const metaField = (value: string): string => stringifyLikeMeta(value).slice(1, -1);
const ESCAPED_NAMES = NAMES.map(metaField);
const ESCAPED_TEXTS = TEXTS.map(metaField);

/**
 * Deterministic, distinct WhatsApp text-message webhooks: body `i` comes from customer `waIdBase + i`
 * with a wamid of its own, compact JSON with Meta's escaping, like the bodies Meta sends.
 */
export class WebhookBodies {
  private readonly parts: string[];
  private readonly signatures: string[] = [];
  /** Bodies signed on the fly because the run outlasted the pre-signed pool. */
  signedInLoop = 0;
  /** Meta's `timestamp`: now, so the 24-hour reply window is open. */
  private readonly epochSeconds = Math.floor(Date.now() / 1000);

  constructor(
    private readonly waIdBase: number,
    private readonly textOf: (i: number) => string = (i) => ESCAPED_TEXTS[i % ESCAPED_TEXTS.length]!,
  ) {
    const template = stringifyLikeMeta({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "102290129340398",
          changes: [
            {
              value: {
                messaging_product: "whatsapp",
                metadata: { display_phone_number: DISPLAY_PHONE_NUMBER, phone_number_id: PHONE_NUMBER_ID },
                contacts: [{ profile: { name: "@@NAME@@" }, wa_id: "@@WAID@@" }],
                messages: [{ from: "@@WAID@@", id: "@@WAMID@@", timestamp: "@@TS@@", type: "text", text: { body: "@@TEXT@@" } }],
              },
              field: "messages",
            },
          ],
        },
      ],
    });
    this.parts = template.split(/@@(NAME|WAID|WAMID|TS|TEXT)@@/);
  }

  waId(i: number): string {
    return String(this.waIdBase + i);
  }

  indexOf(waId: string): number {
    return Number(waId) - this.waIdBase;
  }

  wamid(i: number): string {
    return `wamid.HBgL${Buffer.from(this.waId(i)).toString("base64")}FQIAEhgUM0E${i.toString(16).toUpperCase().padStart(12, "0")}RgA=`;
  }

  body(i: number): string {
    let out = "";
    for (let p = 0; p < this.parts.length; p++) {
      const part = this.parts[p]!;
      if (p % 2 === 0) out += part;
      else if (part === "NAME") out += ESCAPED_NAMES[i % ESCAPED_NAMES.length];
      else if (part === "WAID") out += this.waId(i);
      else if (part === "WAMID") out += this.wamid(i);
      else if (part === "TS") out += String(this.epochSeconds + Math.floor(i / 1000));
      else out += this.textOf(i);
    }
    return out;
  }

  /** Signs bodies [0, count) ahead of the run. */
  presign(count: number): void {
    for (let i = this.signatures.length; i < count; i++) this.signatures.push(sign(this.body(i)));
  }

  get presigned(): number {
    return this.signatures.length;
  }

  signature(i: number): string {
    const pre = this.signatures[i];
    if (pre !== undefined) return pre;
    this.signedInLoop++;
    return sign(this.body(i));
  }
}

export function sign(body: string): string {
  return `sha256=${createHmac("sha256", APP_SECRET).update(body).digest("hex")}`;
}

export function sha256Hex(body: string): string {
  return createHash("sha256").update(body).digest("hex");
}

// ---------------------------------------------------------------------------------------------
// The server under test, as a child process

export interface ServerChild {
  url: string;
  pid: number;
  /** Lines the server logged (LOG_LEVEL=warn: warnings and errors only). */
  logLines(): number;
  stop(): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * The server runs as `npm start` runs it: the arguments of its `node` command in package.json (the
 * V8 flags there are part of what is measured).
 */
export function startCommandArgs(): string[] {
  const start = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { scripts: { start: string } }).scripts.start;
  const [program, ...args] = start.trim().split(/\s+/);
  if (program !== "node") throw new Error(`npm start is expected to run node, not ${program}`);
  return args;
}

export async function startServer(label: string, env: Record<string, string>): Promise<ServerChild> {
  const port = await freePort();
  // BENCH_NODE_ARGS: extra flags for the server's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const extraArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...extraArgs, ...startCommandArgs()], {
    cwd: REPO_ROOT,
    // Only what the server needs: nothing from the caller's environment leaks into the measurement.
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? "/tmp",
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
      WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      WHATSAPP_DISPLAY_PHONE_NUMBER: DISPLAY_PHONE_NUMBER,
      SECRETS_KEY,
      API_TOKEN,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  liveChildren.add(child);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolveExit) =>
    child.once("exit", (code, signal) => {
      liveChildren.delete(child);
      exitCode = code ?? (signal ? -1 : null);
      resolveExit(exitCode);
    }),
  );
  let lines = 0;
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line.trim()) continue;
      lines++;
      if (lines <= 10) console.log(`    [${label} server] ${line.slice(0, 300)}`);
      else if (lines === 11) console.log(`    [${label} server] … (further lines counted, not shown)`);
    }
  };
  child.stdout!.on("data", forward);
  child.stderr!.on("data", forward);

  const stop = async (): Promise<number | null> => {
    if (exitCode !== undefined) return exitCode;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  onCleanup(`stop ${label} server`, async () => void (await stop()));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`${label} server exited with code ${exitCode} before it was ready`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${label} server was not ready within 30 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, pid: child.pid!, logLines: () => lines, stop };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

export async function createBenchDatabase(): Promise<string> {
  const name = `salesbot_bench_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  onCleanup(`drop database ${name}`, async () => {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  });
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// Machine calibration

export interface MachineCalibration {
  /** A message to a worker thread and back: what waking another thread costs here. */
  threadRoundTripUs: number;
  /** `SELECT 1` (a prepared statement) on one connection, one at a time; null without PostgreSQL. */
  postgresRoundTripUs: number | null;
  /**
   * Plain computation, no wake-up: HMAC-SHA256 of one benchmark webhook body (about 1.1 KB), its
   * `JSON.parse` and `JSON.stringify`. Platform work only, so a change to our code does not move it.
   */
  computeUs: number;
}

/**
 * Every figure of this benchmark rests on cross-thread and cross-process wake-ups (the SQLite
 * checkpointer thread, PostgreSQL's backends, the load generator), whose cost differs a lot between
 * otherwise similar machines: the same code gave 13.5k and 7.5k ingest req/s on two of our 2-core machines. Printed with the
 * results, these two medians of short sequential round trips tell such machines apart, and a third
 * median, of plain computation, tells a slower processor from slower wake-ups.
 */
export async function calibrateMachine(postgres: boolean): Promise<MachineCalibration> {
  const median = (samples: number[]) => samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
  const timed = async (rounds: number, once: () => Promise<unknown>): Promise<number> => {
    const perRound: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      for (let i = 0; i < rounds; i++) await once();
      perRound.push(((performance.now() - t0) / rounds) * 1000);
    }
    return median(perRound);
  };
  const worker = new Worker(`require("node:worker_threads").parentPort.on("message", (m) => require("node:worker_threads").parentPort.postMessage(m));`, { eval: true });
  let threadRoundTripUs: number;
  try {
    const echo = () => new Promise((resolve) => {
      worker.once("message", resolve);
      worker.postMessage(1);
    });
    for (let i = 0; i < 500; i++) await echo();
    threadRoundTripUs = await timed(2000, echo);
  } finally {
    await worker.terminate();
  }
  let postgresRoundTripUs: number | null = null;
  if (postgres) {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
    await client.connect();
    try {
      const select = () => client.query({ name: "calibrate", text: "SELECT 1" });
      for (let i = 0; i < 500; i++) await select();
      postgresRoundTripUs = await timed(1000, select);
    } finally {
      await client.end();
    }
  }
  const bodies = new WebhookBodies(16_500_000_000);
  const sample = Array.from({ length: 64 }, (_, i) => bodies.body(i));
  let sink = 0;
  const compute = () => {
    for (const body of sample) {
      const digest = createHmac("sha256", "calibration").update(body).digest("hex");
      sink += digest.length + JSON.stringify(JSON.parse(body) as unknown).length;
    }
    return Promise.resolve();
  };
  for (let i = 0; i < 50; i++) await compute();
  const computeUs = (await timed(100, compute)) / sample.length;
  if (sink === 0) throw new Error("calibration computed nothing");
  return { threadRoundTripUs, postgresRoundTripUs, computeUs };
}

// ---------------------------------------------------------------------------------------------
// CPU time from /proc (Linux), in milliseconds

const TICK_MS = 10; // CLK_TCK = 100 on Linux

function statCpuMs(path: string): { comm: string; ms: number } | null {
  try {
    const stat = readFileSync(path, "utf8");
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return { comm, ms: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
  } catch {
    return null;
  }
}

export function processCpuMs(pid: number): number {
  return statCpuMs(`/proc/${pid}/stat`)?.ms ?? 0;
}

/** CPU so far of every process named `postgres` (the server and its backends), by pid. */
export function postgresCpuByPid(): Map<string, number> {
  const byPid = new Map<string, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = statCpuMs(`/proc/${entry}/stat`);
    if (stat?.comm === "postgres") byPid.set(entry, stat.ms);
  }
  return byPid;
}

/** PostgreSQL CPU used between two readings (backends that exited in between are not counted). */
export function postgresCpuSince(before: Map<string, number>): number {
  let total = 0;
  for (const [pid, ms] of postgresCpuByPid()) total += ms - (before.get(pid) ?? 0);
  return total;
}

/** Busy CPU time of the whole machine (all cores), from /proc/stat. */
export function machineBusyMs(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!;
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) * TICK_MS;
}

/**
 * CPU use during a window: the server, this process (the load generator), PostgreSQL, and what the
 * rest of the machine used, since other work on a shared box skews every figure.
 */
export class CpuWindow {
  private readonly server0: number;
  private readonly self0 = process.cpuUsage();
  private readonly postgres0 = postgresCpuByPid();
  private readonly machine0 = machineBusyMs();
  private readonly started = performance.now();

  private readonly serverPids: number[];

  /** `serverPids`: every process of the deployment under test (a web and a worker process, say). */
  constructor(serverPids: number | number[]) {
    this.serverPids = Array.isArray(serverPids) ? serverPids : [serverPids];
    this.server0 = this.serverCpuMs();
  }

  private serverCpuMs(): number {
    return this.serverPids.reduce((sum, pid) => sum + processCpuMs(pid), 0);
  }

  /** Each figure in % of one core, averaged over the window. */
  finish(): { wallMs: number; serverMs: number; serverPct: number; benchPct: number; postgresMs: number; postgresPct: number; othersPct: number } {
    const wallMs = performance.now() - this.started;
    const serverMs = this.serverCpuMs() - this.server0;
    const self = process.cpuUsage(this.self0);
    const benchMs = (self.user + self.system) / 1000;
    const postgresMs = postgresCpuSince(this.postgres0);
    const machineMs = machineBusyMs() - this.machine0;
    const pct = (ms: number) => (ms / wallMs) * 100;
    return {
      wallMs,
      serverMs,
      serverPct: pct(serverMs),
      benchPct: pct(benchMs),
      postgresMs,
      postgresPct: pct(postgresMs),
      othersPct: Math.max(0, pct(machineMs - serverMs - benchMs - postgresMs)),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics

export class Samples {
  private values = new Float64Array(1024);
  private n = 0;
  private sorted = true;

  add(value: number): void {
    if (this.n === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.n++] = value;
    this.sorted = false;
  }

  get count(): number {
    return this.n;
  }

  /** Nearest-rank percentile, q in [0, 1]. */
  percentile(q: number): number {
    if (this.n === 0) return NaN;
    if (!this.sorted) {
      this.values = this.values.slice(0, this.n).sort();
      this.sorted = true;
    }
    const rank = Math.min(this.n - 1, Math.max(0, Math.ceil(q * this.n) - 1));
    return this.values[rank]!;
  }

  max(): number {
    return this.percentile(1);
  }
}
