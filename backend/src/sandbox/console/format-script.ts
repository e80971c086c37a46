/**
 * The console page's wording, as browser script: labels for the API's codes, times, and the SLA
 * clock a rep reads. Pure functions of their arguments and `now`, so the per-second timer tick and
 * the polled renders always agree.
 */
export const consoleFormatScript = String.raw`
const fmt = (() => {
  const REASONS = {
    human_requested: "Asked for a person", complaint: "Complaint", pricing_or_contract: "Pricing or contract", payment_or_identity: "Payment or identity",
    unknown_answer: "Bot had no answer", high_value_lead: "High-value lead", vip: "VIP customer", low_confidence: "Bot was unsure",
  };
  const MODES = { bot: "Bot", waiting: "Waiting for a rep", human: "With a rep", shared: "Rep, bot drafting", resolved: "Resolved" };
  const STATUSES = { queued: "Waiting in queue", assigned: "Assigned, not answered", answered: "Answered", resolved: "Resolved", returned_to_bot: "Returned to bot" };
  const DELIVERY = { queued: "Queued", accepted: "Sending", sent: "\u2713 Sent", delivered: "\u2713\u2713 Delivered", read: "\u2713\u2713 Read", played: "\u2713\u2713 Played", failed: "Not delivered" };
  const OPEN = ["queued", "assigned", "answered"];
  const capital = (s) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : "");
  const pad = (n) => String(n).padStart(2, "0");

  /** 4:05, 59:59, 1:00:00: a countdown a rep reads at a glance. */
  function duration(ms) {
    const total = Math.max(0, Math.floor(ms / 1000));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    return h > 0 ? h + ":" + pad(m) + ":" + pad(s) : m + ":" + pad(s);
  }
  function roughly(ms) {
    const minutes = Math.round(ms / 60000);
    if (minutes < 1) return Math.max(1, Math.round(ms / 1000)) + " s";
    if (minutes < 90) return minutes + " min";
    return Math.round(minutes / 60) + " h";
  }
  const time = (at) => (at === null ? "" : new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
  function when(at, now) {
    if (at === null) return "";
    return now - at < 20 * 3600 * 1000 ? time(at) : new Date(at).toLocaleDateString([], { month: "short", day: "numeric" });
  }

  /**
   * The clock that matters now: the first response until it is met, then the next response while the
   * customer waits for one. state: running | warning | breached | met | none.
   */
  function sla(h, now) {
    if (!h) return { state: "none", label: "SLA", text: "No handoff", short: "" };
    if (!OPEN.includes(h.status)) return { state: "none", label: "SLA", text: h.status === "resolved" ? "Closed" + (h.outcome ? " \u00b7 " + h.outcome.replace(/_/g, " ") : "") : "Back with the bot", short: "" };
    if (h.queuedUntil !== null && h.queuedUntil > now) return { state: "running", label: "Out of hours", text: "Routed at " + time(h.queuedUntil), short: "Opens " + time(h.queuedUntil) };
    const first = h.sla.firstResponse;
    const next = h.sla.nextResponse;
    const firstOpen = first.dueAt !== null && first.metAt === null;
    const nextOpen = next.dueAt !== null && next.metAt === null;
    const c = firstOpen ? first : nextOpen ? next : null;
    const name = firstOpen ? "First response" : "Next response";
    if (!c) {
      const took = h.firstResponseAt !== null && h.requestedAt !== null ? " in " + roughly(h.firstResponseAt - h.requestedAt) : "";
      return { state: "met", label: "First response", text: "Met" + took, short: "Answered" };
    }
    const left = c.dueAt - now;
    if (c.breachedAt !== null || left <= 0) {
      const over = duration(now - c.dueAt);
      return { state: "breached", label: name + " overdue", text: "\u2212" + over, short: "Overdue " + over };
    }
    const warning = c.warnedAt !== null || left < 5 * 60 * 1000;
    return { state: warning ? "warning" : "running", label: name + " due in", text: duration(left), short: duration(left) };
  }

  /** Free text is allowed until a minute before the window closes, as the backend decides. */
  const windowOpen = (conversation, now) => conversation.windowClosesAt !== null && now < conversation.windowClosesAt - 60 * 1000;

  return {
    reason: (r) => REASONS[r] || capital(String(r).replace(/_/g, " ")),
    mode: (m) => MODES[m] || capital(m),
    status: (s) => STATUSES[s] || capital(String(s).replace(/_/g, " ")),
    delivery: (s) => DELIVERY[s] || capital(s),
    priority: (p) => capital(p),
    team: capital,
    isOpen: (h) => !!h && OPEN.includes(h.status),
    duration, roughly, time, when, sla, windowOpen,
  };
})();
`;
