/**
 * The sandbox phone: a person chats as a customer and sees the business's replies with WhatsApp's
 * delivery ticks. Plain HTML and a small script; it polls the simulator's phone state.
 */
export function phonePageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>WhatsApp sandbox</title>
<style>
  :root { --green:#008069; --bubble-out:#d9fdd3; --bg:#efeae2; --tick:#53bdeb; }
  * { box-sizing: border-box; }
  /* A column that is exactly the viewport: the phone shrinks to fit short laptop screens instead of being cut off;
     "safe" keeps its top reachable when even the smallest phone is taller than the window. */
  body { margin:0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background:#d1d7db; display:flex; flex-direction:column; justify-content:center; justify-content:safe center; align-items:center; gap:8px; height:100vh; height:100dvh; padding:12px; }
  .phone { width: 380px; max-width: 100%; flex: 0 1 720px; min-height: 420px; background: var(--bg); border-radius: 28px; box-shadow: 0 10px 40px rgba(0,0,0,.25); display:flex; flex-direction:column; overflow:hidden; border: 10px solid #111; }
  header { background: var(--green); color:#fff; padding: 14px 16px; display:flex; gap:12px; align-items:center; }
  header .avatar { width:38px; height:38px; border-radius:50%; background:#ffffff33; display:grid; place-items:center; font-weight:600; }
  header .title { font-weight:600; }
  /* As in WhatsApp: the name is centred until "typing…" appears under it. */
  header .sub { font-size:12px; opacity:.85; }
  header .sub:empty { display:none; }
  main { flex:1; overflow-y:auto; padding: 12px 10px; display:flex; flex-direction:column; gap:6px; }
  .msg { max-width: 80%; padding: 6px 9px 4px; border-radius: 8px; font-size: 14.5px; line-height: 1.35; box-shadow: 0 1px .5px rgba(0,0,0,.13); white-space: pre-wrap; word-wrap: break-word; }
  .msg.in { align-self:flex-start; background:#fff; border-top-left-radius: 0; }
  .msg.out { align-self:flex-end; background: var(--bubble-out); border-top-right-radius: 0; }
  .meta { font-size: 11px; color:#667781; text-align:right; margin-top:2px; }
  .ticks { margin-left: 3px; letter-spacing: -3px; }
  .ticks svg { vertical-align: -1px; }
  .ticks[data-status="failed"] { color:#d93025; font-weight:700; letter-spacing:0; }
  .ticks.read { color: var(--tick); }
  .choices { display:flex; flex-direction:column; gap:4px; margin-top:6px; }
  .choices button { background:#fff; border:1px solid #d1d7db; color: var(--green); border-radius: 6px; padding:6px; font-size:14px; cursor:pointer; }
  footer { display:flex; gap:8px; padding: 8px; background:#f0f2f5; }
  footer input { flex:1; border:none; border-radius: 20px; padding: 10px 14px; font-size: 15px; outline:none; }
  footer button { background: var(--green); color:#fff; border:none; border-radius: 50%; width:42px; height:42px; cursor:pointer; font-size:18px; }
  .note { margin:0; font-size:12px; color:#3b4a54; max-width: 380px; text-align:center; }
  .note a { color: var(--green); font-weight:600; }
  /* Beside the phone only where there is room for both; above it otherwise, never over it. */
  @media (min-width: 1000px) { .note { position:fixed; top:10px; left:10px; max-width: 260px; text-align:left; } }
  /* On a real phone the page is the phone. */
  @media (max-width: 480px) {
    body { padding:0; gap:0; }
    .note { display:none; }
    .phone { width:100%; flex: 1 1 auto; min-height:0; border:none; border-radius:0; box-shadow:none; }
  }
</style>
</head>
<body>
<p class="note">Sandbox: this phone talks to the built-in WhatsApp simulator. Messages travel as signed webhooks through the real backend. Answer as a sales rep in the <a href="/console" target="_blank" rel="noopener">rep console</a>.</p>
<div class="phone">
  <header><div class="avatar" id="avatar">B</div><div><div class="title" id="business">Business</div><div class="sub" id="status"></div></div></header>
  <main id="chat" aria-live="polite"></main>
  <footer>
    <input id="text" placeholder="Message" autocomplete="off" aria-label="Message">
    <button id="send" aria-label="Send">&#10148;</button>
  </footer>
</div>
<script>
  const params = new URLSearchParams(location.search);
  const waId = params.get("waId") || "15551234567";
  const name = params.get("name") || "Alex Customer";
  const chat = document.getElementById("chat");
  let lastRendered = "";

  function ticks(status) {
    if (status === "read") return '<span class="ticks read" data-status="read" title="Read" aria-label="Read">&#10003;&#10003;</span>';
    if (status === "delivered") return '<span class="ticks" data-status="delivered" title="Delivered" aria-label="Delivered">&#10003;&#10003;</span>';
    if (status === "sent") return '<span class="ticks" data-status="sent" title="Sent" aria-label="Sent">&#10003;</span>';
    if (status === "failed") return '<span class="ticks" data-status="failed" title="Not delivered" aria-label="Not delivered">!</span>';
    // Drawn, not an emoji: machines without an emoji font showed an empty box.
    return '<span class="ticks" data-status="pending" title="Sending" aria-label="Sending"><svg viewBox="0 0 16 16" width="11" height="11" aria-hidden="true">' +
      '<circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M8 4.5V8l2.5 1.5" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/></svg></span>';
  }
  function esc(text) { const d = document.createElement("div"); d.textContent = text; return d.innerHTML; }
  function time(at) { return new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }); }

  function render(state) {
    document.getElementById("business").textContent = state.business.name;
    document.getElementById("avatar").textContent = state.business.name.slice(0, 1);
    document.getElementById("status").textContent = state.typing ? "typing…" : "";
    const key = JSON.stringify(state.messages);
    if (key === lastRendered) return;
    lastRendered = key;
    chat.innerHTML = state.messages.map((m) => {
      // The customer's own messages are on the right, the business's on the left, as on the customer's phone;
      // the business's messages carry the delivery ticks our backend receives as status webhooks.
      const mine = m.direction === "from_customer";
      const choices = (m.buttons || m.listRows || []).map((c) =>
        '<button data-reply-to="' + esc(m.id) + '" data-kind="' + (m.buttons ? "button_reply" : "list_reply") + '" data-id="' + esc(c.id) + '" data-title="' + esc(c.title) + '">' + esc(c.title) + '</button>').join("");
      return '<div class="msg ' + (mine ? "out" : "in") + '" data-direction="' + m.direction + '">' + esc(m.text) +
        (choices ? '<div class="choices">' + choices + '</div>' : '') +
        '<div class="meta">' + time(m.at) + (mine ? '' : ' ' + ticks(m.status)) + '</div></div>';
    }).join("");
    chat.querySelectorAll(".msg").forEach((el, i) => {
      const m = state.messages[i];
      if (m.direction === "to_customer") el.setAttribute("data-status", m.status || "pending");
    });
    chat.scrollTop = chat.scrollHeight;
  }

  async function refresh() {
    try {
      const res = await fetch("/sandbox/api/phone?viewing=1&waId=" + encodeURIComponent(waId));
      if (res.ok) render(await res.json());
    } catch (e) { /* the server may be restarting; try again on the next tick */ }
  }

  async function send(body) {
    await fetch("/sandbox/api/phone/messages?waId=" + encodeURIComponent(waId) + "&name=" + encodeURIComponent(name), {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
    });
    refresh();
  }

  document.getElementById("send").addEventListener("click", () => {
    const input = document.getElementById("text");
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send({ type: "text", text });
  });
  // Not while an input method is composing: there Enter picks a candidate, it does not send.
  document.getElementById("text").addEventListener("keydown", (e) => { if (e.key === "Enter" && !e.isComposing) document.getElementById("send").click(); });
  chat.addEventListener("click", (e) => {
    const b = e.target.closest("button[data-reply-to]");
    if (b) send({ type: b.dataset.kind, replyTo: b.dataset.replyTo, id: b.dataset.id, title: b.dataset.title });
  });
  refresh();
  setInterval(refresh, 700);
</script>
</body>
</html>`;
}
