/**
 * The console page's left side and top bar, as browser script: who the rep is (picker and
 * availability switch) and the queues: the rep's own, one per team, and every recent conversation.
 */
export const consoleQueuesScript = String.raw`
function renderRepPicker() {
  const picker = $("rep");
  const options = state.reps.map((r) => el("option", { value: r.id, selected: r.id === state.rep, text: r.name + " (" + r.teams.map(fmt.team).join(", ") + ")" }));
  if (picker.options.length !== options.length || [...picker.options].some((o, i) => o.textContent !== options[i].textContent)) picker.replaceChildren(...options);
  picker.value = state.rep;
  const me = state.reps.find((r) => r.id === state.rep);
  const available = !!me && me.status === "available";
  $("availability").setAttribute("aria-checked", String(available));
  $("availability-label").textContent = available ? "Available" : "Away";
}
$("rep").addEventListener("change", () => {
  state.rep = $("rep").value;
  api.actAs(state.rep);
  params.set("rep", state.rep);
  history.replaceState(null, "", "?" + params);
  state.mine = [];
  poll();
});
$("availability").addEventListener("click", (e) => {
  const me = state.reps.find((r) => r.id === state.rep);
  act(e.currentTarget, () => api.setStatus(me && me.status === "available" ? "away" : "available"));
});

// ---- queues
function tabs() {
  return [
    { id: "mine", label: "Mine", items: state.mine },
    ...state.teams.map((t) => ({ id: "team:" + t, label: fmt.team(t), items: state.teamQueues[t] || [] })),
    { id: "all", label: "All", items: state.recent },
  ];
}
function renderTabs() {
  const all = tabs();
  if (!all.some((t) => t.id === state.tab)) state.tab = "mine";
  $("tabs").replaceChildren(...all.map((t) => el("button", {
    role: "tab", type: "button", "aria-selected": String(t.id === state.tab), "data-tab": t.id,
    onclick: () => { state.tab = t.id; renderTabs(); renderQueue(); },
  }, t.label, el("span", { className: "count", text: String(t.items.length) }))));
}
const slaTimers = new Map();
function queueItem(id, name, chips, foot, handoff, when) {
  const timer = handoff ? el("span", { className: "timer" }) : null;
  if (timer) slaTimers.set(timer, handoff);
  return el("li", {}, el("button", {
    type: "button", className: "item", "data-conversation-id": id, "aria-current": String(id === state.selectedId),
    onclick: () => select(id),
  },
    el("span", { className: "row" }, el("span", { className: "name", text: name }), el("span", { className: "when", text: when })),
    el("span", { className: "row" }, ...chips),
    el("span", { className: "row" }, el("span", { className: "owner", text: foot }), timer)));
}
function renderQueue() {
  slaTimers.clear();
  const names = new Map(state.recent.map((c) => [c.id, customerName(c)]));
  if (state.conversation) names.set(state.conversation.id, customerName(state.conversation));
  const now = Date.now();
  const tab = tabs().find((t) => t.id === state.tab) || tabs()[0];
  const items = state.tab === "all"
    ? state.recent.map((c) => queueItem(c.id, customerName(c),
        [el("span", { className: "chip mode-" + c.mode, text: fmt.mode(c.mode) }), fmt.isOpen(c.handoff) ? el("span", { className: "chip reason", text: fmt.reason(c.handoff.reason) }) : null],
        fmt.isOpen(c.handoff) ? (c.handoff.ownerId ? repName(c.handoff.ownerId) : "Unassigned") : "", fmt.isOpen(c.handoff) ? c.handoff : null, fmt.when(c.updatedAt, now)))
    : tab.items.map((h) => queueItem(h.conversationId, names.get(h.conversationId) || "Customer",
        [el("span", { className: "chip reason", text: fmt.reason(h.reason) }), h.priority !== "normal" ? el("span", { className: "chip priority-" + h.priority, text: fmt.priority(h.priority) }) : null],
        h.ownerId ? repName(h.ownerId) : "Unassigned", h, fmt.when(h.requestedAt, now)));
  const empty = state.tab === "mine" ? "Nothing assigned to you. Take a conversation from a team queue." : "No conversations here.";
  $("queue").replaceChildren(...(items.length ? items : [el("li", { className: "queue-empty", text: empty })]));
  tickTimers();
}
`;
