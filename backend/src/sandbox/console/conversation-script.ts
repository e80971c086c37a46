/**
 * The console page's conversation, as browser script: the transcript with delivery states, the
 * composer (free text inside the 24-hour window, a template outside it), the handoff with its
 * summary and live SLA clock, the actions' enabled states, and the internal notes.
 */
export const consoleConversationScript = String.raw`
function select(id) {
  if (id === state.selectedId) return;
  state.selectedId = id;
  state.templateChosen = false;
  state.conversation = null;
  state.messages = [];
  state.notes = [];
  params.set("c", id);
  history.replaceState(null, "", "?" + params);
  renderConversation();
  renderQueue();
  poll();
}

function renderTranscript() {
  const box = $("transcript");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const name = customerName(state.conversation);
  box.replaceChildren(...state.messages.map((m) => {
    const by = m.sender === "customer" ? name : m.sender === "bot" ? "Bot" : m.sender === "human" ? "Rep" : "System";
    const delivery = m.direction === "outbound" ? el("span", { className: "delivery", "data-status": m.status, text: fmt.delivery(m.status) }) : null;
    return el("div", { className: "msg", "data-sender": m.sender, "data-status": m.status },
      el("div", { className: "by", text: by }),
      el("div", { className: "text", text: m.text !== null ? m.text : "[" + m.type + "]" }),
      el("div", { className: "meta" }, el("span", { text: fmt.time(m.at) }), delivery));
  }));
  if (atBottom || box.dataset.conversation !== state.selectedId) box.scrollTop = box.scrollHeight;
  box.dataset.conversation = state.selectedId || "";
}

function renderComposer() {
  const c = state.conversation;
  const open = fmt.windowOpen(c, Date.now());
  $("reply-row").hidden = !open;
  $("window-closed").hidden = open;
  // Templates may always be sent; with the window closed they are the only way to reach the customer.
  $("template-row").hidden = open && !state.templateChosen;
  $("use-template").hidden = !open || state.templateChosen;
  const h = c.handoff;
  const mine = fmt.isOpen(h) && h.ownerId === state.rep;
  $("reply").placeholder = "Reply to " + customerName(c) + " as " + repName(state.rep) + "…";
  let hint = "Enter sends, Shift+Enter starts a new line.";
  if (c.customer.optedOut) hint = "The customer opted out: you may answer them, but templates and follow-ups are refused.";
  else if (!mine) hint = "Sending a reply takes the conversation over: the bot stays silent until it is returned or resolved.";
  else if (open) hint = "WhatsApp window open for " + fmt.roughly(c.windowClosesAt - Date.now()) + ". " + hint;
  $("reply-hint").textContent = open ? hint : "";
}
$("use-template").addEventListener("click", () => {
  state.templateChosen = true;
  renderComposer();
  $("template-name").focus();
});

function renderDetails() {
  const c = state.conversation;
  const h = c.handoff;
  const open = fmt.isOpen(h);
  $("handoff-title").textContent = h ? (open ? "Handoff" : "Last handoff") : "Handoff";
  $("handoff-reason").textContent = h ? fmt.reason(h.reason) : "None: the bot is handling this conversation";
  $("handoff-priority").replaceChildren(h ? el("span", { className: "chip priority-" + h.priority, text: fmt.priority(h.priority) }) : "—");
  $("handoff-owner").textContent = h ? (h.ownerId ? repName(h.ownerId) + (h.ownerId === state.rep ? " (you)" : "") : "Unassigned") : "—";
  $("handoff-team").textContent = h ? fmt.team(h.team) : "—";
  $("handoff-status").textContent = h ? fmt.status(h.status) : "—";
  const s = h ? h.summary : null;
  const facts = s ? [["Question", s.unansweredQuestion], ["Need", s.need], ["Budget", s.budget], ["Product", s.product], ["Sentiment", s.sentiment]].filter(([, v]) => v) : [];
  $("summary-facts").replaceChildren(...facts.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
  $("summary-text").textContent = s ? s.text : "No summary: nobody has handed this conversation over yet.";

  $("take-over").disabled = open && h.ownerId === state.rep;
  $("return-to-bot").disabled = !["waiting", "human", "shared"].includes(c.mode);
  $("resolve").disabled = c.mode === "resolved";
  const others = state.reps.filter((r) => !(open && r.id === h.ownerId));
  const picked = $("assign-to").value;
  $("assign-to").replaceChildren(...others.map((r) => el("option", { value: r.id, text: r.name + (r.status === "away" ? " (away)" : "") })));
  if (others.some((r) => r.id === picked)) $("assign-to").value = picked;
  $("assign").disabled = others.length === 0;
}

function renderNotes() {
  $("notes").replaceChildren(...state.notes.map((n) => el("li", { "data-note-id": n.id },
    el("div", { className: "note-meta", text: repName(n.authorId) + " \u00b7 " + fmt.when(n.at, Date.now()) }), n.text)));
  $("notes-empty").hidden = state.notes.length > 0;
}

function renderConversation() {
  const c = state.conversation;
  const shown = !!c;
  $("empty").hidden = shown;
  for (const id of ["conv-head", "transcript", "composer", "details"]) $(id).hidden = !shown;
  if (!c) return;
  $("conv-avatar").textContent = customerName(c).slice(0, 1).toUpperCase();
  $("conv-name").textContent = customerName(c);
  $("conv-vip").hidden = !c.customer.vip;
  $("conv-sub").textContent = [c.customer.phone, c.language ? c.language.toUpperCase() : null, c.customer.optedOut ? "Opted out" : null].filter(Boolean).join(" \u00b7 ");
  $("conv-mode").className = "chip mode-" + c.mode;
  $("conv-mode").textContent = fmt.mode(c.mode);
  renderComposer();
  renderDetails();
  tickTimers();
}

// ---- the SLA clocks tick every second between polls
function tickTimers() {
  const now = Date.now();
  for (const [node, handoff] of slaTimers) {
    const view = fmt.sla(handoff, now);
    node.textContent = view.short;
    node.dataset.state = view.state;
  }
  if (!state.conversation) return;
  const view = fmt.sla(state.conversation.handoff, now);
  $("sla").dataset.state = view.state;
  $("sla-label").textContent = view.label;
  $("sla-timer").textContent = view.text;
}
setInterval(tickTimers, 1000);
`;
