/**
 * The console page's loop, as browser script: state comes only from polling the inbox API through
 * `api` (ETags keep idle polls to 304s), and the buttons call it. Runs last: it starts the page.
 */
export const consoleAppScript = String.raw`
async function refreshQueues() {
  const reps = await api.reps();
  if (reps.changed) {
    state.reps = reps.data;
    state.teams = [...new Set(state.reps.flatMap((r) => r.teams))].sort();
    if (!state.reps.some((r) => r.id === state.rep) && state.reps[0]) {
      state.rep = state.reps[0].id;
      api.actAs(state.rep);
    }
  }
  renderRepPicker();
  const [mine, recent, ...teams] = await Promise.all([api.myQueue(), api.recent(), ...state.teams.map((t) => api.teamQueue(t))]);
  const changed = reps.changed || mine.changed || recent.changed || teams.some((t) => t.changed) || state.mine !== mine.data;
  state.mine = mine.data;
  state.recent = recent.data;
  state.teams.forEach((t, i) => { state.teamQueues[t] = teams[i].data; });
  if (changed) { renderTabs(); renderQueue(); }
}

async function refreshConversation() {
  const id = state.selectedId;
  if (!id) return renderConversation();
  let loaded;
  try {
    loaded = await Promise.all([api.conversation(id), api.messages(id), api.notes(id)]);
  } catch (error) {
    // A link to a conversation this account does not have (another sandbox's, say): say so once, then let go of it.
    if (error instanceof ApiError && error.status === 404 && id === state.selectedId) {
      state.selectedId = null;
      state.conversation = null;
      params.delete("c");
      history.replaceState(null, "", "?" + params);
      renderConversation();
    }
    throw error;
  }
  const [conversation, messages, notes] = loaded;
  if (id !== state.selectedId) return;
  const changed = conversation.changed || messages.changed || notes.changed || state.conversation === null;
  state.conversation = conversation.data;
  state.messages = messages.data;
  state.notes = notes.data;
  if (!changed) return renderComposer();
  renderConversation();
  renderTranscript();
  renderNotes();
}

let polling = null;
let again = false;
/** One poll at a time; a poll asked for meanwhile (after an action) runs right after it. */
function poll() {
  if (polling) { again = true; return polling; }
  polling = (async () => {
    try {
      if (state.rep) api.actAs(state.rep);
      await refreshQueues();
      await refreshConversation();
    } catch (error) {
      showError(error);
    } finally {
      polling = null;
      if (again) { again = false; poll(); }
    }
  })();
  return polling;
}

// ---- actions on the open conversation
const current = () => state.selectedId;
$("composer").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = $("reply").value.trim();
  if (!text) return;
  act($("send"), async () => {
    await api.reply(current(), text);
    $("reply").value = "";
  });
});
$("reply").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); $("composer").requestSubmit(); }
});
$("send-template").addEventListener("click", (e) => {
  const name = $("template-name").value.trim();
  if (!name) return showError(new ApiError(0, "template_required", "Enter the name of an approved template."));
  act(e.currentTarget, async () => {
    await api.sendTemplate(current(), name, (state.conversation && state.conversation.language) || "en");
    $("template-name").value = "";
  });
});
$("take-over").addEventListener("click", (e) => act(e.currentTarget, () => api.takeOver(current())));
$("assign").addEventListener("click", (e) => act(e.currentTarget, () => api.assign(current(), $("assign-to").value)));
$("return-to-bot").addEventListener("click", (e) => act(e.currentTarget, () => api.returnToBot(current())));
$("resolve").addEventListener("click", (e) => act(e.currentTarget, () => api.resolve(current(), $("outcome").value)));
$("note-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = $("note").value.trim();
  if (!text) return;
  act(e.submitter, async () => {
    await api.addNote(current(), text);
    $("note").value = "";
  });
});

if (state.rep) api.actAs(state.rep);
poll();
// A tick that finds a poll still running skips: only actions queue a poll behind the current one.
setInterval(() => { if (!polling) poll(); }, CONSOLE.pollMs);
`;
