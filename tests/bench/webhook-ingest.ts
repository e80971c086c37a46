/**
 * `npm run bench`: end-to-end benchmarks of the real server (a child process in live mode) over
 * loopback. Not a test: vitest does not pick it up, and it asserts nothing; it prints figures and
 * whether they meet the targets.
 *
 * 1. Ingest: a closed-loop load generator (closed-loop-load.ts; BENCH_LOAD_GENERATOR=autocannon for
 *    autocannon, which costs the shared cores several times more per request) POSTs distinct, correctly
 *    signed ~1.1 KB text-message webhooks to a web-only
 *    server (PROCESS_ROLE=web) on the embedded store and on PostgreSQL; afterwards every acknowledged
 *    body is looked up in webhook_events.
 * 2. Reply latency (and, when the server falls behind, the replies per second it still delivers): inbound webhooks at a fixed rate, each from a new customer, to a server running
 *    its jobs (no debounce) against a loopback Graph API; the time from sending a webhook to the bot's
 *    reply reaching the Graph endpoint. The embedded store runs as one process (PROCESS_ROLE=all).
 *    PostgreSQL, the store of deployments with several processes, runs as a web process that takes
 *    the webhooks and a worker process that runs the jobs, woken by LISTEN/NOTIFY; one run more
 *    shows it as a single process, for comparison. Two scenarios: "answered", a routine
 *    question the tenant's knowledge base answers (the sandbox's demo entries, loaded through the
 *    admin API), and "handoff", a question it cannot answer, so every message is handed to a person
 *    (handoff record, SLA timers, audit, events) and the reply is the handoff notice.
 *
 * First, two round trips are timed (a worker-thread message, a PostgreSQL `SELECT 1`) and printed with
 * the results: what a wake-up costs differs a lot between our 2-core machines, and so do all the
 * figures, for the same code.
 *
 * Each run gets a new server, a new temporary data directory or a new PostgreSQL database (dropped
 * afterwards), and ends by stopping the server; all of it is undone on failure, Ctrl-C or the global
 * deadline too. CPU shares of the server, this process, PostgreSQL and everything else on the machine
 * are printed with each result, because other work on a shared box moves every figure.
 *
 * Knobs (environment): BENCH_STORES=sqlite,postgres  BENCH_CONNECTIONS=50  BENCH_DURATION_S=10  BENCH_INGEST_ROUNDS=3
 * BENCH_WARMUP_S=3  BENCH_REPLY_RATE=500  BENCH_REPLY_WARMUP_S=10  BENCH_REPLY_WARMUP_RATE=200 (at most the reply rate)  BENCH_REPLY_DURATION_S=10  BENCH_REPLY_ROUNDS=3  BENCH_REPLY_SCENARIO=answered|handoff
 * BENCH_REPLY_LOW_RATES=sqlite:200,postgres:100 (the other scenario, at a rate each store sustains)
 * BENCH_REPLY_SUSTAINED_RATES=postgres:200 (the main scenario again, below the target rate)
 * BENCH_JOB_POLL_MS=10  BENCH_JOB_CONCURRENCY (server default)  BENCH_SKIP_INGEST=1  BENCH_SKIP_REPLY=1  BENCH_LOAD_GENERATOR=autocannon
 * BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (extra flags for the server's node).
 * BENCH_POSTGRES_PROCESSES=web+worker|one (PostgreSQL's layout for the target runs)  BENCH_COMPARE_PROCESSES=0 (no run with the other)
 */
import { createServer, Agent, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import pg from "pg";
import { demoKnowledge } from "../../backend/src/sandbox/demo-knowledge.js";
import { runClosedLoop, type ClosedLoopResult } from "./closed-loop-load.js";
import {
  ACCESS_TOKEN,
  API_TOKEN,
  CpuWindow,
  calibrateMachine,
  type MachineCalibration,
  PHONE_NUMBER_ID,
  Samples,
  WebhookBodies,
  createBenchDatabase,
  makeTempDir,
  onCleanup,
  postgresReachable,
  runCleanup,
  settleMachine,
  sha256Hex,
  startCommandArgs,
  startServer,
} from "./support.js";

type StoreKind = "sqlite" | "postgres";
type ReplyScenario = "answered" | "handoff";
const otherScenario = (scenario: ReplyScenario): ReplyScenario => (scenario === "answered" ? "handoff" : "answered");
/** What each scenario's customers write; `i` makes every text distinct. */
const scenarioText: Record<ReplyScenario, (i: number) => string> = {
  answered: (i) => `Hello, which CRM integrations do you support? (customer ${i})`,
  handoff: (i) => `Hello, this is customer number ${i}. I found your shop online and would like to know more about what you offer.`,
};
type CpuShares = { server: number; bench: number; postgres: number; others: number };
const cpuText = (c: CpuShares) => `server ${fmt(c.server, 0)} %, bench ${fmt(c.bench, 0)} %, postgres ${fmt(c.postgres, 0)} %, other processes ${fmt(c.others, 0)} %`;

/** "sqlite:200,postgres:100" → { sqlite: 200, postgres: 100 }. */
const ratesPerStore = (spec: string): Partial<Record<StoreKind, number>> =>
  Object.fromEntries(
    spec
      .split(",")
      .filter(Boolean)
      .map((pair) => pair.split(":"))
      .map(([store, rate]) => [store, Number(rate)]),
  ) as Partial<Record<StoreKind, number>>;

const num = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

const zeroOrMore = (name: string): number => {
  const value = Number(process.env[name] || 0);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be 0 or more`);
  return value;
};

const settings = {
  stores: (process.env.BENCH_STORES ?? "sqlite,postgres").split(",").map((s) => s.trim()).filter(Boolean) as StoreKind[],
  connections: num("BENCH_CONNECTIONS", 50),
  durationS: num("BENCH_DURATION_S", 10),
  warmupS: num("BENCH_WARMUP_S", 3),
  replyRate: num("BENCH_REPLY_RATE", 500),
  replyDurationS: num("BENCH_REPLY_DURATION_S", 10),
  /**
   * Seconds of load before measuring. V8 compiles the reply path's hot code for some seconds after a
   * server starts (see the README): after 2 s at the measured rate, that compiling still fell in the first
   * measured second. The target is about a server in service, not one a few seconds old.
   */
  replyWarmupS: num("BENCH_REPLY_WARMUP_S", 10),
  /** The warm-up's rate, at most the measured one: below the target rate, a long warm-up builds no backlog. */
  replyWarmupRate: num("BENCH_REPLY_WARMUP_RATE", 200),
  /** A second, shorter reply run per store at a lower rate, in the other scenario ("" to skip). */
  replyLowRates: ratesPerStore(process.env.BENCH_REPLY_LOW_RATES ?? "sqlite:200,postgres:100"),
  /** The main scenario again at a rate the store sustains on this machine, where the target rate is too much ("" to skip). */
  replySustainedRates: ratesPerStore(process.env.BENCH_REPLY_SUSTAINED_RATES ?? "postgres:200"),
  /** PostgreSQL is the store of deployments with several processes: the reply runs use a web and a worker process. */
  postgresProcesses: (process.env.BENCH_POSTGRES_PROCESSES === "one" ? "one" : "web+worker") as Processes,
  /** One more PostgreSQL run at the target rate with the other layout, for comparison. */
  compareProcesses: process.env.BENCH_COMPARE_PROCESSES !== "0",
  replyLowDurationS: 5,
  /** The scenario of the main reply run per store; the low-rate run uses the other one. */
  replyScenario: (process.env.BENCH_REPLY_SCENARIO ?? "answered") as ReplyScenario,
  jobPollMs: num("BENCH_JOB_POLL_MS", 10),
  /**
   * REPLY_DEBOUNCE_MS of the reply runs. 0 by default: the reply path with nothing waited for. Otherwise
   * the latency is counted from the end of the window, the path production takes with its 1.5 s default.
   */
  replyDebounceMs: zeroOrMore("BENCH_REPLY_DEBOUNCE_MS"),
  /** How long the fake Graph API takes to answer each call (Meta's take some 100–500 ms); 0: at once. */
  graphLatencyMs: process.env.BENCH_GRAPH_LATENCY_MS ? num("BENCH_GRAPH_LATENCY_MS", 0) : 0,
  /** JOB_CONCURRENCY for the reply runs; unset: the server's default. */
  jobConcurrency: process.env.BENCH_JOB_CONCURRENCY,
  skipIngest: process.env.BENCH_SKIP_INGEST === "1",
  loadGenerator: process.env.BENCH_LOAD_GENERATOR === "autocannon" ? "autocannon" : "sockets",
  /** Ingest runs per store, interleaved; the verdict is taken on the median run (one run moves with the machine). */
  ingestRounds: num("BENCH_INGEST_ROUNDS", 3),
  skipReply: process.env.BENCH_SKIP_REPLY === "1",
  /** Runs of the main reply scenario at the target rate per store, interleaved; the verdict is taken on the median run by p99. */
  replyRounds: num("BENCH_REPLY_ROUNDS", 3),
  /** The whole run, including start-up and verification, must end before this. */
  deadlineS: 480,
};

const TARGET = { ingestRps: 10_000, ingestP99Ms: 25, replyP99Ms: 100, replyRate: 500 };

const fmt = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : "n/a");
const int = (value: number): string => (Number.isFinite(value) ? Math.round(value).toLocaleString("en-US") : "n/a");

// ---------------------------------------------------------------------------------------------
// 1. Ingest

interface IngestResult {
  store: StoreKind;
  round: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  responses: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  serverCpuUsPerReq: number;
  postgresCpuUsPerReq: number | null;
  /** % of one core during the measured window: server, load generator, PostgreSQL, everything else. */
  cpu: CpuShares;
  rows: number;
  jobs: number;
  acked: number;
  ackedMissing: number;
  storedUnacked: number;
  signedInLoop: number;
}

function runLoad(url: string, durationS: number, bodies: WebhookBodies, state: { next: number; acked: Uint8Array }, latencies: Samples | null): Promise<ClosedLoopResult> {
  if (settings.loadGenerator === "autocannon") return runAutocannon(url, durationS, bodies, state, latencies);
  const { hostname, port } = new URL(url);
  const head = (signature: string, length: number) =>
    `POST /webhooks/whatsapp HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nX-Hub-Signature-256: ${signature}\r\nContent-Length: ${length}\r\n\r\n`;
  return runClosedLoop({
    host: hostname,
    port: Number(port),
    connections: settings.connections,
    durationS,
    timeoutS: 10,
    next: () => state.next++,
    request: (i) => {
      const body = bodies.body(i);
      return Buffer.from(head(bodies.signature(i), Buffer.byteLength(body)) + body);
    },
    onResponse: (i, status, latencyMs) => {
      if (status < 200 || status >= 300) return;
      state.acked[i] = 1;
      latencies?.add(latencyMs);
    },
  });
}

async function runAutocannon(url: string, durationS: number, bodies: WebhookBodies, state: { next: number; acked: Uint8Array }, latencies: Samples | null): Promise<ClosedLoopResult> {
  const result = await new Promise<autocannon.Result>((resolveRun, reject) => {
    const instance = autocannon(
      {
        url: `${url}/webhooks/whatsapp`,
        connections: settings.connections,
        pipelining: 1,
        duration: durationS,
        timeout: 10,
        requests: [
          {
            method: "POST",
            headers: { "content-type": "application/json" },
            setupRequest: (request, context) => {
              const i = state.next++;
              context.i = i;
              return { ...request, body: bodies.body(i), headers: { ...request.headers, "x-hub-signature-256": bodies.signature(i) } };
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolveRun(result)),
    );
    // Which body a response answers: each connection sends one request at a time, and its context is the
    // one setupRequest filled until the next request is built, after this event. (Not an onResponse
    // callback: autocannon then collects every response's headers into an object, which cost the load
    // generator, on the same two cores as the server, several microseconds per request.)
    instance.on("response", (client: { requestIterator: { context: { i?: number } } }, status: number, _bytes: number, responseTimeMs: number) => {
      if (status < 200 || status >= 300) return;
      state.acked[client.requestIterator.context.i!] = 1;
      latencies?.add(responseTimeMs);
    });
  });
  return { responses: result.requests.total, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts };
}

async function storedShas(store: StoreKind, target: string): Promise<{ shas: Set<string>; jobs: number }> {
  if (store === "sqlite") {
    const db = new Database(target, { readonly: true });
    try {
      const rows = db.prepare(`SELECT body_sha256 FROM webhook_events`).pluck().all() as string[];
      const jobs = db.prepare(`SELECT COUNT(*) FROM jobs`).pluck().get() as number;
      return { shas: new Set(rows), jobs };
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  try {
    const rows = await client.query<{ body_sha256: string }>(`SELECT body_sha256 FROM webhook_events`);
    const jobs = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM jobs`);
    return { shas: new Set(rows.rows.map((r) => r.body_sha256)), jobs: Number(jobs.rows[0]!.n) };
  } finally {
    await client.end();
  }
}

/** Cleans up after a run and flushes what it wrote to disk, so the next run starts on a quiet machine. */
async function betweenRuns(): Promise<void> {
  await runCleanup();
  const { dirtyMb, ms } = await settleMachine();
  console.log(`  settled: flushed ${fmt(dirtyMb, 0)} MB of unwritten pages, ${fmt(ms / 1000, 1)} s`);
}

async function ingestBenchmark(store: StoreKind, bodies: WebhookBodies, round: number): Promise<IngestResult> {
  console.log(`\n── Ingest · ${store} · round ${round} ──`);
  const dataDir = makeTempDir(`salesbot-bench-${store}-`);
  const databaseUrl = store === "postgres" ? await createBenchDatabase() : null;
  const server = await startServer(`ingest/${store}`, {
    PROCESS_ROLE: "web",
    DATA_DIR: dataDir,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    // Nothing is sent in this run; a closed port makes sure of it.
    WHATSAPP_GRAPH_BASE_URL: "http://127.0.0.1:9",
  });
  const state = { next: 0, acked: new Uint8Array(4_000_000) };
  const signedBefore = bodies.signedInLoop;

  console.log(`  warm-up ${settings.warmupS} s, ${settings.connections} connections …`);
  const warm = await runLoad(server.url, settings.warmupS, bodies, state, null);
  console.log(`  warm-up: ${int(warm.responses)} responses, ${int(warm.non2xx)} non-2xx`);

  const latencies = new Samples();
  console.log(`  measuring ${settings.durationS} s …`);
  const cpuWindow = new CpuWindow(server.pid);
  const result = await runLoad(server.url, settings.durationS, bodies, state, latencies);
  const cpu = cpuWindow.finish();
  const elapsedS = cpu.wallMs / 1000;

  const exitCode = await server.stop();
  if (exitCode !== 0) console.log(`  note: server exited with code ${String(exitCode)}`);

  const responses = result.responses;
  const { shas, jobs } = await storedShas(store, databaseUrl ?? `${dataDir}/salesbot.sqlite`);
  let acked = 0;
  let ackedMissing = 0;
  for (let i = 0; i < state.next; i++) {
    if (state.acked[i] !== 1) continue;
    acked++;
    if (!shas.has(sha256Hex(bodies.body(i)))) ackedMissing++;
  }
  const out: IngestResult = {
    store,
    round,
    rps: responses / elapsedS,
    p50: latencies.percentile(0.5),
    p99: latencies.percentile(0.99),
    max: latencies.max(),
    responses,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    serverCpuUsPerReq: (cpu.serverMs * 1000) / Math.max(1, responses),
    postgresCpuUsPerReq: store === "postgres" ? (cpu.postgresMs * 1000) / Math.max(1, responses) : null,
    cpu: { server: cpu.serverPct, bench: cpu.benchPct, postgres: cpu.postgresPct, others: store === "postgres" ? cpu.othersPct : cpu.othersPct + cpu.postgresPct },
    rows: shas.size,
    jobs,
    acked,
    ackedMissing,
    storedUnacked: shas.size - (acked - ackedMissing),
    signedInLoop: bodies.signedInLoop - signedBefore,
  };
  console.log(
    `  ${int(out.rps)} req/s · p50 ${fmt(out.p50, 2)} ms · p99 ${fmt(out.p99, 2)} ms · max ${fmt(out.max, 1)} ms · non-2xx ${out.non2xx} · errors ${out.errors} · server CPU ${fmt(out.serverCpuUsPerReq)} µs/req` +
      (out.postgresCpuUsPerReq === null ? "" : ` · postgres CPU ${fmt(out.postgresCpuUsPerReq)} µs/req`),
  );
  console.log(`  CPU (% of one core): ${cpuText(out.cpu)}`);
  console.log(
    `  durability: webhook_events rows ${int(out.rows)} (jobs ${int(out.jobs)}); 2xx acknowledged (warm-up + measured) ${int(out.acked)}; acknowledged but missing ${out.ackedMissing}; stored but unacknowledged (in flight when the load stopped) ${out.storedUnacked}`,
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// 2. Reply latency

interface FakeGraph {
  url: string;
  /** performance.now() when the reply to a customer arrived, by wa_id. */
  replies: Map<string, number[]>;
  /** The text of the first reply, to show what the bot said. */
  sampleReply: string | null;
  markReads: number;
  /** performance.now() when the first mark-as-read for an inbound message arrived, by its wamid: the reply job has started. */
  readAt: Map<string, number>;
  unexpected: number;
  close(): Promise<void>;
}

const SEND_PATH = new RegExp(`^/v\\d+\\.\\d+/${PHONE_NUMBER_ID}/messages$`);

/** Connections the reply benchmark's webhook sender keeps open. */
const AGENT_SOCKETS = 256;

/** A GET through `agent`, answered and read to the end. */
function getThrough(agent: Agent, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    httpRequest(address, { agent }, (res) => {
      res.resume();
      res.on("end", () => resolve());
    })
      .on("error", reject)
      .end();
  });
}

/** The two Graph calls the reply path makes: mark-as-read (with "typing…" only for a slow agent) and send. Answers like Meta. */
async function startFakeGraph(): Promise<FakeGraph> {
  const fake: FakeGraph = { url: "", replies: new Map(), sampleReply: null, markReads: 0, readAt: new Map(), unexpected: 0, close: async () => undefined };
  let sendCount = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const arrived = performance.now();
      const json = (status: number, body: unknown) => {
        const text = JSON.stringify(body);
        const answer = () => {
          res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
          res.end(text);
        };
        if (settings.graphLatencyMs > 0) setTimeout(answer, settings.graphLatencyMs);
        else answer();
      };
      if (req.method !== "POST" || !SEND_PATH.test(req.url ?? "") || req.headers.authorization !== `Bearer ${ACCESS_TOKEN}`) {
        fake.unexpected++;
        return json(400, { error: { message: "Unsupported request", type: "OAuthException", code: 100 } });
      }
      let body: { status?: string; message_id?: string; to?: string; biz_opaque_callback_data?: string; text?: { body?: string } };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof body;
      } catch {
        fake.unexpected++;
        return json(400, { error: { message: "Invalid JSON", type: "OAuthException", code: 100 } });
      }
      if (body.status === "read") {
        fake.markReads++;
        if (body.message_id && !fake.readAt.has(body.message_id)) fake.readAt.set(body.message_id, arrived);
        return json(200, { success: true });
      }
      const to = body.to ?? "";
      fake.sampleReply ??= body.text?.body ?? null;
      const times = fake.replies.get(to);
      if (times) times.push(arrived);
      else fake.replies.set(to, [arrived]);
      sendCount++;
      return json(200, { messaging_product: "whatsapp", contacts: [{ input: to, wa_id: to }], messages: [{ id: `wamid.BENCH${String(sendCount).padStart(10, "0")}` }] });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  onCleanup("close fake Graph API", () => fake.close());
  return fake;
}

/** How the server runs: one process doing everything (PROCESS_ROLE=all), or a web and a worker process. */
type Processes = "one" | "web+worker";

interface ReplyResult {
  store: StoreKind;
  processes: Processes;
  scenario: ReplyScenario;
  round: number;
  sampleReply: string | null;
  rate: number;
  durationS: number;
  sent: number;
  ackNon200: number;
  ackP99: number;
  replied: number;
  missing: number;
  duplicateReplies: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  markReads: number;
  /** From sending a webhook to its mark-as-read reaching the Graph API: the part of the latency before the reply job started. */
  readP50: number;
  readP99: number;
  /** Replies (to any customer) that reached the Graph API per second while the measured messages were sent: below the rate, the server fell behind. */
  repliedPerS: number;
  cpu: CpuShares;
  /**
   * CPU time per reply delivered while sending, of the server and of PostgreSQL: what a reply costs,
   * steadier from run to run than the latencies, which swing with whatever else the cores do.
   */
  serverCpuUsPerReply: number;
  postgresCpuUsPerReply: number | null;
  logLines: number;
}

/** Sends bodies [from, from + rate × seconds) at a fixed rate, open loop; resolves when all are answered. */
async function sendAtRate(
  url: URL,
  agent: Agent,
  bodies: WebhookBodies,
  from: number,
  rate: number,
  seconds: number,
  sentAt: Float64Array,
  acks: Samples | null,
): Promise<{ non200: number; errors: string }> {
  const total = Math.round(rate * seconds);
  const errorCodes = new Map<string, number>();
  let issued = 0;
  let answered = 0;
  let non200 = 0;
  return new Promise((resolveAll) => {
    const start = performance.now();
    const sendOne = (i: number) => {
      const body = bodies.body(i);
      const signature = bodies.signature(i);
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: "/webhooks/whatsapp", method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-hub-signature-256": signature } },
        (res) => {
          res.resume();
          res.on("end", () => {
            if (res.statusCode !== 200) non200++;
            acks?.add(performance.now() - sentAt[i]!);
            if (++answered === total) resolveAll({ non200, errors: [...errorCodes].map(([k, v]) => `${k}×${v}`).join(", ") });
          });
        },
      );
      req.on("error", (error: NodeJS.ErrnoException) => {
        non200++;
        errorCodes.set(error.code ?? error.message, (errorCodes.get(error.code ?? error.message) ?? 0) + 1);
        if (++answered === total) resolveAll({ non200, errors: [...errorCodes].map(([k, v]) => `${k}×${v}`).join(", ") });
      });
      sentAt[i] = performance.now();
      req.end(body);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
      while (issued < due) sendOne(from + issued++);
      if (issued < total) setTimeout(tick, 1);
    };
    tick();
  });
}

async function waitForReplies(fake: FakeGraph, bodies: WebhookBodies, from: number, count: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    let have = 0;
    for (let i = from; i < from + count; i++) if (fake.replies.has(bodies.waId(i))) have++;
    if (have >= count || performance.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One sample of the server's Prometheus text: `name{label="value"}`, 0 when absent. */
function sample(metricsText: string, name: string, label: string, value: string): number {
  return Number(new RegExp(`^${name}\\{${label}="${value}"\\} (\\S+)$`, "m").exec(metricsText)?.[1] ?? 0);
}

/**
 * How long the jobs process's event loop was late, from Node's own delay histogram (prom-client resets
 * it at every scrape, so this covers the time since the reading before). A job's every step waits for
 * a turn of that loop.
 */
function eventLoopDelay(metricsText: string): string {
  const ms = (name: string) => 1000 * Number(new RegExp(`^nodejs_eventloop_lag_${name}_seconds (\\S+)$`, "m").exec(metricsText)?.[1] ?? NaN);
  return `mean ${fmt(ms("mean"))} ms, p99 ${fmt(ms("p99"))} ms, max ${fmt(ms("max"))} ms (each includes the 10 ms interval it is sampled at)`;
}

/** The server's group-commit counters (store_group_commit_members), as text; null on SQLite, which has none. */
function groupCommits(metricsText: string): string | null {
  const count = (outcome: string) => sample(metricsText, "store_group_commit_members_count", "outcome", outcome);
  const members = (outcome: string) => sample(metricsText, "store_group_commit_members_sum", "outcome", outcome);
  if (count("committed") + count("rerun") === 0) return null;
  return `${int(count("committed"))} committed (${fmt(members("committed") / Math.max(1, count("committed")))} members on average), ${int(count("rerun"))} rerun member by member`;
}

/**
 * The three jobs of a reply, from the server's own histograms between two readings (the warm-up's
 * backlog left out): mean delay after due, mean run time.
 */
function replyJobTimes(before: string, after: string): string {
  const delta = (name: string, kind: string) => sample(after, name, "kind", kind) - sample(before, name, "kind", kind);
  const meanMs = (histogram: string, kind: string) => (1000 * delta(`${histogram}_sum`, kind)) / Math.max(1, delta(`${histogram}_count`, kind));
  return ["webhook.process", "conversation.reply", "whatsapp.send"]
    .map((kind) => `${kind} started ${fmt(meanMs("jobs_start_delay_seconds", kind))} ms after due, ran ${fmt(meanMs("jobs_run_seconds", kind))} ms`)
    .join(" · ");
}

/** The tenant's approved answers: the sandbox's demo knowledge base, through the admin API. */
async function loadKnowledge(serverUrl: string): Promise<void> {
  const response = await fetch(`${serverUrl}/admin/tenants/default/knowledge`, {
    method: "PUT",
    headers: { authorization: `Bearer ${API_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ entries: demoKnowledge }),
  });
  if (!response.ok) throw new Error(`loading the knowledge base failed: ${response.status} ${await response.text()}`);
}

async function replyBenchmark(store: StoreKind, rate: number, durationS: number, scenario: ReplyScenario, round = 1, processes: Processes = store === "postgres" ? settings.postgresProcesses : "one"): Promise<ReplyResult> {
  console.log(`\n── Reply latency · ${store} · ${processes === "one" ? "one process" : "web + worker process"} · ${rate} msg/s · ${scenario}${round > 1 ? ` · round ${round}` : ""} ──`);
  // Customers 447700000000 + i: every message comes from a new wa_id, so nothing is debounced or laned together.
  const bodies = new WebhookBodies(447_700_000_000, scenarioText[scenario]);
  const warmRate = Math.min(settings.replyWarmupRate, rate);
  const warmCount = Math.round(warmRate * settings.replyWarmupS);
  const measuredCount = Math.round(rate * durationS);
  bodies.presign(warmCount + measuredCount);

  const fake = await startFakeGraph();
  const dataDir = makeTempDir(`salesbot-bench-reply-${store}-`);
  const databaseUrl = store === "postgres" ? await createBenchDatabase() : null;
  const serverEnv = {
    DATA_DIR: dataDir,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    WHATSAPP_GRAPH_BASE_URL: fake.url,
    REPLY_DEBOUNCE_MS: String(settings.replyDebounceMs),
    JOB_POLL_MS: String(settings.jobPollMs),
    ...(settings.jobConcurrency ? { JOB_CONCURRENCY: settings.jobConcurrency } : {}),
  };
  // Webhooks go to `server`; with two processes, `worker` runs the jobs, woken by LISTEN/NOTIFY.
  const server = await startServer(`reply/${store}`, { PROCESS_ROLE: processes === "one" ? "all" : "web", ...serverEnv });
  const worker = processes === "one" ? null : await startServer(`reply/${store}/worker`, { PROCESS_ROLE: "worker", ...serverEnv });
  const jobsServer = worker ?? server;
  const url = new URL(server.url);
  await loadKnowledge(server.url);
  // One keep-alive agent per phase, so no socket the server closed while idle between phases is reused.
  // Its connections are opened before the phase starts: on this sandbox's loopback a connection opened
  // under load now and then has its SYN answered only on the retransmission a second later (every
  // acknowledgement over a second came on a new connection), which measured the kernel, not the server.
  const newAgent = async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: AGENT_SOCKETS });
    onCleanup("destroy HTTP agent", () => agent.destroy());
    await Promise.all(Array.from({ length: AGENT_SOCKETS }, () => getThrough(agent, new URL("/healthz", url).toString())));
    return agent;
  };
  const sentAt = new Float64Array(warmCount + measuredCount);

  console.log(`  warm-up ${settings.replyWarmupS} s at ${warmRate} msg/s …`);
  const warmAgent = await newAgent();
  await sendAtRate(url, warmAgent, bodies, 0, warmRate, settings.replyWarmupS, sentAt, null);
  await waitForReplies(fake, bodies, 0, warmCount, 5_000);
  warmAgent.destroy();
  const agent = await newAgent();
  const metricsBefore = await (await fetch(`${jobsServer.url}/metrics`)).text();

  console.log(`  measuring ${durationS} s at ${rate} msg/s (${measuredCount} messages, one customer each) …`);
  const acks = new Samples();
  const cpuWindow = new CpuWindow(worker ? [server.pid, worker.pid] : server.pid);
  const sendingFrom = performance.now();
  const { non200, errors: sendErrors } = await sendAtRate(url, agent, bodies, warmCount, rate, durationS, sentAt, acks);
  const sendingTo = performance.now();
  if (sendErrors) console.log(`  webhook POST errors: ${sendErrors}`);
  const cpuMeasured = cpuWindow.finish();
  await waitForReplies(fake, bodies, warmCount, measuredCount, 10_000);

  const latencies = new Samples();
  const untilRead = new Samples();
  // Whether the tail is a steady queue or a stall of a few seconds: the worst latency of each second sent.
  const worstBySecond: number[] = [];
  let missing = 0;
  let duplicateReplies = 0;
  for (let i = warmCount; i < warmCount + measuredCount; i++) {
    const times = fake.replies.get(bodies.waId(i));
    if (!times) {
      missing++;
      continue;
    }
    if (times.length > 1) duplicateReplies += times.length - 1;
    const latency = times[0]! - sentAt[i]! - settings.replyDebounceMs;
    latencies.add(latency);
    const second = Math.floor((sentAt[i]! - sendingFrom) / 1000);
    worstBySecond[second] = Math.max(worstBySecond[second] ?? 0, latency);
    const readAt = fake.readAt.get(bodies.wamid(i));
    if (readAt !== undefined) untilRead.add(readAt - sentAt[i]!);
  }
  const markReads = fake.markReads;
  let repliesWhileSending = 0;
  for (const times of fake.replies.values()) for (const at of times) if (at >= sendingFrom && at <= sendingTo) repliesWhileSending++;
  const metricsText = await (await fetch(`${jobsServer.url}/metrics`)).text();
  const groups = groupCommits(metricsText);
  const jobTimes = replyJobTimes(metricsBefore, metricsText);
  const loopDelay = eventLoopDelay(metricsText);
  await server.stop();
  await worker?.stop();
  const out: ReplyResult = {
    store,
    processes,
    scenario,
    round,
    sampleReply: fake.sampleReply,
    rate,
    durationS,
    sent: measuredCount,
    ackNon200: non200,
    ackP99: acks.percentile(0.99),
    replied: latencies.count,
    missing,
    duplicateReplies,
    p50: latencies.percentile(0.5),
    p95: latencies.percentile(0.95),
    p99: latencies.percentile(0.99),
    max: latencies.max(),
    markReads,
    readP50: untilRead.percentile(0.5),
    readP99: untilRead.percentile(0.99),
    repliedPerS: repliesWhileSending / ((sendingTo - sendingFrom) / 1000),
    cpu: { server: cpuMeasured.serverPct, bench: cpuMeasured.benchPct, postgres: cpuMeasured.postgresPct, others: store === "postgres" ? cpuMeasured.othersPct : cpuMeasured.othersPct + cpuMeasured.postgresPct },
    serverCpuUsPerReply: (cpuMeasured.serverMs * 1000) / Math.max(1, repliesWhileSending),
    postgresCpuUsPerReply: store === "postgres" ? (cpuMeasured.postgresMs * 1000) / Math.max(1, repliesWhileSending) : null,
    logLines: server.logLines() + (worker?.logLines() ?? 0),
  };
  console.log(
    `  ${out.replied}/${out.sent} replied · ${int(out.repliedPerS)} replies/s while sending · p50 ${fmt(out.p50)} ms · p95 ${fmt(out.p95)} ms · p99 ${fmt(out.p99)} ms · max ${fmt(out.max)} ms · webhook ack p99 ${fmt(out.ackP99)} ms, non-200 ${out.ackNon200} · missing ${out.missing} · duplicate replies ${out.duplicateReplies} · mark-as-read calls ${out.markReads} (p50 ${fmt(out.readP50)} ms, p99 ${fmt(out.readP99)} ms after sending) · server log lines ${out.logLines}`,
  );
  console.log(`  worst reply latency by second sent (ms): ${Array.from(worstBySecond, (ms) => int(ms ?? 0)).join(" ")}`);
  console.log(`  CPU while sending (% of one core): ${cpuText(out.cpu)} · per reply: ${cpuPerReply(out)}`);
  if (groups) console.log(`  PostgreSQL group commits over the whole run: ${groups}`);
  console.log(`  jobs while measuring (means): ${jobTimes}`);
  console.log(`  event loop delay of the jobs process while measuring: ${loopDelay}`);
  console.log(`  first reply: ${JSON.stringify(out.sampleReply)}`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Main

/** A Markdown table with padded columns. */
function table(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (rightAligned[i] ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

const cpuPerReply = (r: ReplyResult): string =>
  `server ${int(r.serverCpuUsPerReply)} µs${r.postgresCpuUsPerReply === null ? "" : `, PostgreSQL ${int(r.postgresCpuUsPerReply)} µs`}`;

function calibrationText(machine: MachineCalibration): string {
  const postgres = machine.postgresRoundTripUs === null ? "" : `, PostgreSQL SELECT 1 round trip ${fmt(machine.postgresRoundTripUs)} µs`;
  return (
    `Machine: worker-thread message round trip ${fmt(machine.threadRoundTripUs)} µs${postgres} (medians; wake-ups cost this much here, and every figure below pays many); ` +
    `HMAC + JSON.parse + JSON.stringify of one webhook body ${fmt(machine.computeUs)} µs (plain computation).`
  );
}

function printTable(ingest: IngestResult[], reply: ReplyResult[], machine: MachineCalibration): void {
  const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");
  console.log("\n══════════════════════════════════════ Results ══════════════════════════════════════");
  console.log(`Node ${process.version}, ${availableParallelism()} cores; server = node ${startCommandArgs().join(" ")} (live mode, LOG_LEVEL=warn) on 127.0.0.1;`);
  console.log(calibrationText(machine));
  console.log(`CPU columns: % of one core during the measured window; "others" = everything on the machine that is not the server, this load generator or (for the PostgreSQL rows) PostgreSQL.`);
  if (ingest.length > 0) {
    console.log(
      `\nIngest: PROCESS_ROLE=web, ${settings.loadGenerator === "autocannon" ? "autocannon" : "closed-loop socket load generator"} ${settings.connections} connections (one request at a time each), ${settings.warmupS} s warm-up + ${settings.durationS} s measured, distinct signed text-message webhooks of ~1 KB`,
    );
    console.log(
      table(
        ["store", "round", "req/s", "p50 ms", "p99 ms", "max ms", "non-2xx", "errors", "server µs/req", "CPU server/bench/pg/others %", "durable: acked rows found", "target ≥10k/s & p99<25ms"],
        ingest.map((r) => [
          r.store,
          String(r.round),
          int(r.rps),
          fmt(r.p50, 2),
          fmt(r.p99, 2),
          fmt(r.max, 1),
          String(r.non2xx),
          String(r.errors + r.timeouts),
          `${fmt(r.serverCpuUsPerReq)}${r.postgresCpuUsPerReq === null ? "" : ` (+pg ${fmt(r.postgresCpuUsPerReq)})`}`,
          `${fmt(r.cpu.server, 0)}/${fmt(r.cpu.bench, 0)}/${fmt(r.cpu.postgres, 0)}/${fmt(r.cpu.others, 0)}`,
          r.ackedMissing === 0 ? `${int(r.acked)}/${int(r.acked)} (rows ${int(r.rows)})` : `MISSING ${r.ackedMissing} of ${int(r.acked)}`,
          verdict(r.rps >= TARGET.ingestRps && r.p99 < TARGET.ingestP99Ms && r.non2xx === 0 && r.ackedMissing === 0),
        ]),
        [false, true, true, true, true, true, true, true, true, true, false, false],
      ),
    );
    for (const store of new Set(ingest.map((r) => r.store))) {
      const runs = ingest.filter((r) => r.store === store).sort((a, b) => a.rps - b.rps);
      const median = runs[Math.floor(runs.length / 2)]!;
      const allDurable = runs.every((r) => r.ackedMissing === 0 && r.non2xx === 0);
      console.log(
        `${store}: median of ${runs.length} run(s) by req/s is round ${median.round}: ${int(median.rps)} req/s, p99 ${fmt(median.p99, 2)} ms; every acknowledged body stored in every run: ${allDurable ? "yes" : "NO"} → ${verdict(median.rps >= TARGET.ingestRps && median.p99 < TARGET.ingestP99Ms && allDurable)}`,
      );
    }
  }
  if (reply.length > 0) {
    console.log(
      `\nReply latency: processes "one" = PROCESS_ROLE=all; "web+worker" = webhooks to a PROCESS_ROLE=web process, jobs in a PROCESS_ROLE=worker process on the same database, woken by LISTEN/NOTIFY (CPU server = both); REPLY_DEBOUNCE_MS=${settings.replyDebounceMs}, JOB_POLL_MS=${settings.jobPollMs}${settings.jobConcurrency ? `, JOB_CONCURRENCY=${settings.jobConcurrency}` : ""}; time from sending a webhook${settings.replyDebounceMs > 0 ? " (plus the debounce window)" : ""} to the bot's reply POST reaching the fake Graph API${settings.graphLatencyMs > 0 ? `, which answers each call after ${settings.graphLatencyMs} ms` : ""}; one new customer per message; ${settings.replyWarmupS} s warm-up first, at ${settings.replyWarmupRate} msg/s or the run's rate if lower`,
    );
    console.log(
      table(
        ["store", "processes", "scenario", "round", "msg/s", "measured s", "replied", "replies/s while sending", "p50 ms", "p95 ms", "p99 ms", "max ms", "ack p99 ms", "dup", "CPU server/bench/pg/others %", "CPU µs/reply", "target p99<100ms @500"],
        reply.map((r) => [
          r.store,
          r.processes,
          r.scenario,
          String(r.round),
          String(r.rate),
          String(r.durationS),
          `${r.replied}/${r.sent}`,
          int(r.repliedPerS),
          fmt(r.p50),
          fmt(r.p95),
          fmt(r.p99),
          fmt(r.max),
          fmt(r.ackP99),
          String(r.duplicateReplies),
          `${fmt(r.cpu.server, 0)}/${fmt(r.cpu.bench, 0)}/${fmt(r.cpu.postgres, 0)}/${fmt(r.cpu.others, 0)}`,
          `${int(r.serverCpuUsPerReply)}${r.postgresCpuUsPerReply === null ? "" : ` (+pg ${int(r.postgresCpuUsPerReply)})`}`,
          r.rate >= TARGET.replyRate
            ? verdict(r.p99 < TARGET.replyP99Ms && r.missing === 0 && r.ackNon200 === 0)
            : `(below target rate; p99<100: ${r.p99 < TARGET.replyP99Ms && r.missing === 0 ? "yes" : "no"})`,
        ]),
        [false, false, false, true, true, true, false, true, true, true, true, true, true, true, true, true, false],
      ),
    );
    for (const store of new Set(reply.map((r) => r.store))) {
      const processes = store === "postgres" ? settings.postgresProcesses : "one";
      const runs = reply
        .filter((r) => r.store === store && r.processes === processes && r.scenario === settings.replyScenario && r.rate === settings.replyRate)
        .sort((a, b) => a.p99 - b.p99);
      if (runs.length === 0) continue;
      const median = runs[Math.floor(runs.length / 2)]!;
      const ok = median.p99 < TARGET.replyP99Ms && median.missing === 0 && median.ackNon200 === 0 && median.rate >= TARGET.replyRate;
      console.log(
        `${store} (${processes === "one" ? "one process" : "web + worker process"}): ${settings.replyScenario} at ${median.rate} msg/s, median of ${runs.length} run(s) by p99 is round ${median.round}: p99 ${fmt(median.p99)} ms, ${int(median.repliedPerS)} replies/s while sending → ${verdict(ok)}`,
      );
    }
  }
}

async function main(): Promise<number> {
  const began = performance.now();
  let stores = settings.stores;
  if (stores.includes("postgres") && !(await postgresReachable())) {
    console.log("PostgreSQL is not reachable: skipping the PostgreSQL runs.");
    stores = stores.filter((s) => s !== "postgres");
  }
  const ingest: IngestResult[] = [];
  const reply: ReplyResult[] = [];
  const machine = await calibrateMachine(stores.includes("postgres"));
  console.log(calibrationText(machine));

  if (!settings.skipIngest) {
    // One pool for every store (each run starts on an empty store): enough pre-signed bodies for ~30k req/s.
    const bodies = new WebhookBodies(16_505_000_000);
    const poolSize = Math.ceil((settings.warmupS + settings.durationS) * 30_000);
    const t0 = performance.now();
    bodies.presign(poolSize);
    console.log(`Pre-signed ${int(poolSize)} distinct webhook bodies (${Buffer.byteLength(bodies.body(0))} bytes each) in ${fmt((performance.now() - t0) / 1000, 1)} s.`);
    for (let round = 1; round <= settings.ingestRounds; round++) {
      for (const store of stores) {
        ingest.push(await ingestBenchmark(store, bodies, round));
        await betweenRuns();
      }
    }
  }
  if (!settings.skipReply) {
    for (let round = 1; round <= settings.replyRounds; round++) {
      for (const store of stores) {
        reply.push(await replyBenchmark(store, settings.replyRate, settings.replyDurationS, settings.replyScenario, round));
        await betweenRuns();
      }
    }
    if (stores.includes("postgres") && settings.compareProcesses) {
      reply.push(await replyBenchmark("postgres", settings.replyRate, settings.replyDurationS, settings.replyScenario, 1, settings.postgresProcesses === "one" ? "web+worker" : "one"));
      await betweenRuns();
    }
    for (const store of stores) {
      const sustained = settings.replySustainedRates[store];
      if (sustained) {
        reply.push(await replyBenchmark(store, sustained, settings.replyDurationS, settings.replyScenario));
        await betweenRuns();
      }
      const low = settings.replyLowRates[store];
      if (low) {
        reply.push(await replyBenchmark(store, low, settings.replyLowDurationS, otherScenario(settings.replyScenario)));
        await betweenRuns();
      }
    }
  }
  printTable(ingest, reply, machine);
  console.log(`\nTotal bench time ${fmt((performance.now() - began) / 1000, 1)} s.`);
  return 0;
}

const watchdog = setTimeout(() => {
  console.error(`\nBenchmark exceeded ${settings.deadlineS} s: stopping.`);
  void runCleanup().finally(() => process.exit(2));
}, settings.deadlineS * 1000);
watchdog.unref();

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up.`);
    void runCleanup().finally(() => process.exit(130));
  });
}

main()
  .catch((error: unknown) => {
    console.error("\nBenchmark failed:", error);
    return 1;
  })
  .then(async (code) => {
    await runCleanup();
    process.exit(code);
  });
