/**
 * The console page's API client, as browser script: every call the page makes goes through `api`.
 * It sends the sandbox console headers, keeps an ETag per URL so idle polling costs a 304, turns the
 * error envelope into an ApiError the page shows, and reads every response defensively: the page
 * renders normalised objects, never raw JSON, so a missing field degrades a label instead of
 * breaking the page.
 */
export const consoleClientScript = String.raw`
class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const api = (() => {
  const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
  const str = (v) => (typeof v === "string" ? v : null);
  const num = (v) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  const list = (v, parse) => (Array.isArray(v) ? v.map(parse).filter((x) => x !== null) : []);
  const obj = (v) => (isObject(v) ? v : {});
  const enc = encodeURIComponent;

  const clock = (v) => { const c = obj(v); return { dueAt: num(c.dueAt), metAt: num(c.metAt), warnedAt: num(c.warnedAt), breachedAt: num(c.breachedAt) }; };
  const sla = (v) => { const s = obj(v); return { status: str(s.status) || "active", firstResponse: clock(s.firstResponse), nextResponse: clock(s.nextResponse), resolution: clock(s.resolution) }; };
  const summary = (v) => {
    const s = obj(v);
    return { text: str(s.text) || "", need: str(s.need), budget: str(s.budget), product: str(s.product), unansweredQuestion: str(s.unansweredQuestion), sentiment: str(s.sentiment), intent: str(s.intent), confidence: num(s.confidence) };
  };
  const handoff = (v) => {
    if (!isObject(v) || !str(v.id) || !str(v.conversationId)) return null;
    return {
      id: v.id, conversationId: v.conversationId, reason: str(v.reason) || "unknown", priority: str(v.priority) || "normal", team: str(v.team) || "",
      ownerId: str(v.ownerId), status: str(v.status) || "queued", summary: summary(v.summary), requestedAt: num(v.requestedAt),
      firstResponseAt: num(v.firstResponseAt), outcome: str(v.outcome), queuedUntil: num(v.queuedUntil), sla: sla(v.sla),
    };
  };
  const conversation = (v) => {
    if (!isObject(v) || !str(v.id)) return null;
    const c = obj(v.customer);
    return {
      id: v.id, mode: str(v.mode) || "bot", language: str(v.language), windowClosesAt: num(v.windowClosesAt), updatedAt: num(v.updatedAt), handoff: handoff(v.handoff),
      customer: { name: str(c.name), phone: str(c.phone), waId: str(c.waId), optedOut: c.optedOut === true, vip: c.vip === true },
    };
  };
  const SENDERS = ["customer", "bot", "human", "system"];
  const message = (v) => {
    if (!isObject(v) || num(v.id) === null) return null;
    return { id: v.id, direction: v.direction === "outbound" ? "outbound" : "inbound", sender: SENDERS.includes(v.sender) ? v.sender : "system", type: str(v.type) || "text", text: str(v.text), status: str(v.status) || "", at: num(v.at) };
  };
  const rep = (v) => (isObject(v) && str(v.id) ? { id: v.id, name: str(v.name) || v.id, teams: list(v.teams, str), status: v.status === "away" ? "away" : "available" } : null);
  const note = (v) => (isObject(v) && num(v.id) !== null ? { id: v.id, authorId: str(v.authorId) || "", text: str(v.text) || "", at: num(v.at) } : null);

  /** ETag and last parsed body per rep and URL: the same URL answers differently for each rep. */
  const cache = new Map();
  let actor = "console";

  async function call(method, path, body) {
    const key = actor + " " + path;
    const cached = method === "GET" ? cache.get(key) : undefined;
    const headers = { accept: "application/json", "x-sandbox-console": CONSOLE.token, "x-salesbot-user": actor };
    if (cached) headers["if-none-match"] = cached.etag;
    if (body !== undefined) headers["content-type"] = "application/json";
    let response;
    try {
      // no-store: the ETags are ours to send, and a 304 must reach this code rather than be absorbed by the HTTP cache.
      response = await fetch("/api/v1" + path, { method, headers, cache: "no-store", body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, "network", "The backend did not answer. Is the sandbox still running?");
    }
    if (response.status === 304 && cached) return { changed: false, data: cached.data };
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    if (!response.ok) {
      const error = isObject(json) ? obj(json.error) : {};
      throw new ApiError(response.status, str(error.code) || "http_" + response.status, str(error.message) || "The backend answered " + response.status + " without an explanation.");
    }
    if (!isObject(json)) throw new ApiError(response.status, "bad_response", "The backend sent a response the console cannot read.");
    const etag = response.headers.get("etag");
    if (method === "GET" && etag) cache.set(key, { etag, data: json });
    return { changed: true, data: json };
  }
  const get = (path, parse) => call("GET", path).then((r) => ({ changed: r.changed, data: parse(r.data) }));
  const post = (path, body, parse) => call("POST", path, body).then((r) => parse(r.data));

  return {
    actAs(id) { actor = id; },
    reps: () => get("/reps", (d) => list(d.reps, rep)),
    myQueue: () => get("/queues/mine", (d) => list(d.handoffs, handoff)),
    teamQueue: (team) => get("/queues/teams/" + enc(team), (d) => list(d.handoffs, handoff)),
    recent: () => get("/conversations/recent?limit=50", (d) => list(d.conversations, conversation)),
    conversation: (id) => get("/conversations/" + enc(id), conversation),
    notes: (id) => get("/conversations/" + enc(id) + "/notes", (d) => list(d.notes, note)),
    /** The whole transcript, page by page along the cursor. */
    async messages(id) {
      const all = [];
      let after = 0;
      let changed = false;
      for (let page = 0; page < 100; page++) {
        const r = await get("/conversations/" + enc(id) + "/messages?limit=200&after=" + after, (d) => ({ messages: list(d.messages, message), next: num(d.nextCursor) }));
        changed = changed || r.changed;
        all.push(...r.data.messages);
        if (r.data.next === null) break;
        after = r.data.next;
      }
      return { changed, data: all };
    },
    reply: (id, text) => post("/conversations/" + enc(id) + "/messages", { text }, message),
    sendTemplate: (id, name, language) => post("/conversations/" + enc(id) + "/messages", { template: { name, language, variables: [] } }, message),
    takeOver: (id) => post("/conversations/" + enc(id) + "/take-over", undefined, handoff),
    assign: (id, repId) => post("/conversations/" + enc(id) + "/assign", { repId }, handoff),
    returnToBot: (id) => post("/conversations/" + enc(id) + "/return-to-bot", undefined, (d) => d),
    resolve: (id, outcome) => post("/conversations/" + enc(id) + "/resolve", { outcome }, (d) => d),
    addNote: (id, text) => post("/conversations/" + enc(id) + "/notes", { text }, note),
    setStatus: (status) => call("PUT", "/reps/me/status", { status }).then((r) => ({ status: r.data.status === "away" ? "away" : "available", handedBack: num(r.data.handedBack) || 0 })),
  };
})();
`;
