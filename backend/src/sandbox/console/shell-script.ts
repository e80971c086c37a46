/**
 * The console page's groundwork, as browser script: the page state, a DOM builder, and how errors
 * reach the rep (a dismissible alert with the API's code and message, never swallowed). Every
 * action runs through `act`, which shows its error and then polls at once.
 */
export const consoleShellScript = String.raw`
const $ = (id) => document.getElementById(id);
function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") node.textContent = v;
    else if (k === "className") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

const params = new URLSearchParams(location.search);
const state = {
  rep: params.get("rep") || "", reps: [], teams: [], tab: "mine", selectedId: params.get("c"), templateChosen: false,
  mine: [], teamQueues: {}, recent: [], conversation: null, messages: [], notes: [],
};
const repName = (id) => (state.reps.find((r) => r.id === id) || { name: id || "Nobody" }).name;
const customerName = (c) => (c && (c.customer.name || (c.customer.phone ? c.customer.phone : null))) || "Customer";

// ---- errors: shown until dismissed or replaced, never swallowed
function showError(error) {
  const code = error instanceof ApiError ? error.code : "error";
  const message = error instanceof Error ? error.message : String(error);
  $("toast-text").replaceChildren(el("strong", { text: "Could not complete that (" + code + "). " }), message);
  $("toast").dataset.code = code;
  $("toast").hidden = false;
}
$("toast-close").addEventListener("click", () => { $("toast").hidden = true; });

async function act(button, work) {
  if (button) button.disabled = true;
  try {
    await work();
    $("toast").hidden = true;
  } catch (error) {
    showError(error);
  } finally {
    if (button) button.disabled = false;
    await poll();
  }
}
`;
