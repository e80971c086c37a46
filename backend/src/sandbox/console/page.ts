/**
 * The sandbox console: the rep's side of the sandbox, one self-contained page (no CDN, no external
 * assets) that works the inbox API exactly as a CRM card would. It carries the console token, which
 * only exists in sandbox mode, where every conversation is local demo data.
 */
import { consoleAppScript } from "./app-script.js";
import { consoleClientScript } from "./client-script.js";
import { consoleConversationScript } from "./conversation-script.js";
import { consoleFormatScript } from "./format-script.js";
import { consoleQueuesScript } from "./queues-script.js";
import { consoleShellScript } from "./shell-script.js";
import { consoleCss } from "./style.js";

/** JSON that cannot end the script element it is embedded in. */
const inlineJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");

export function consolePageHtml(options: { token: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Sandbox console</title>
<style>${consoleCss}</style>
</head>
<body>
<header class="topbar">
  <div class="brand"><div class="logo" aria-hidden="true">S</div><div><div class="brand-name">Sales inbox</div><div class="brand-sub">Sandbox console · demo data</div></div></div>
  <div class="spacer"></div>
  <label>Acting as <select id="rep" aria-label="Acting as"></select></label>
  <button id="availability" class="status-toggle" role="switch" aria-checked="false" aria-label="Available for handoffs"><span class="dot" aria-hidden="true"></span><span id="availability-label">…</span></button>
  <a href="/" target="_blank" rel="noopener">Customer phone ↗</a>
</header>
<div id="toast" class="toast" role="alert" hidden><div id="toast-text"></div><button id="toast-close" aria-label="Dismiss">×</button></div>
<div class="layout">
  <nav class="sidebar" aria-label="Queues">
    <div class="tabs" role="tablist" id="tabs"></div>
    <ul class="queue" id="queue" aria-label="Conversations"></ul>
  </nav>
  <main class="conversation">
    <div class="empty" id="empty">Pick a conversation from a queue on the left. Handoffs routed to you appear under <b>Mine</b>.</div>
    <div class="conv-head" id="conv-head" hidden>
      <div class="avatar" id="conv-avatar" aria-hidden="true"></div>
      <div class="who"><div class="who-name"><span id="conv-name"></span><span id="conv-vip" class="chip vip" hidden>VIP</span></div><div class="who-sub" id="conv-sub"></div></div>
      <span class="chip" id="conv-mode"></span>
    </div>
    <section class="transcript" id="transcript" aria-label="Transcript" aria-live="polite" hidden></section>
    <form class="composer" id="composer" hidden>
      <div class="row" id="reply-row">
        <textarea id="reply" aria-label="Reply" placeholder="Write a reply…"></textarea>
        <button class="primary" id="send" type="submit">Send</button>
      </div>
      <div class="hint"><span id="reply-hint"></span> <button class="link" id="use-template" type="button">Send a template instead</button></div>
      <div class="window-closed" id="window-closed" role="status" hidden>
        <div><strong>Template needed.</strong> The customer has not written in the last 24 hours, so WhatsApp only allows an approved template message.</div>
      </div>
      <div class="template-row" id="template-row" hidden>
        <input id="template-name" aria-label="Template name" placeholder="Approved template name, e.g. follow_up">
        <button class="primary" id="send-template" type="button">Send template</button>
      </div>
    </form>
  </main>
  <aside class="details" id="details" aria-label="Conversation details" hidden>
    <section class="card" aria-labelledby="handoff-title">
      <h2 id="handoff-title">Handoff</h2>
      <div class="sla" id="sla" data-state="none"><div class="label" id="sla-label">SLA</div><div class="clock" id="sla-timer">—</div></div>
      <dl class="facts">
        <dt>Reason</dt><dd id="handoff-reason">—</dd>
        <dt>Priority</dt><dd id="handoff-priority">—</dd>
        <dt>Owner</dt><dd id="handoff-owner">—</dd>
        <dt>Team</dt><dd id="handoff-team">—</dd>
        <dt>Status</dt><dd id="handoff-status">—</dd>
      </dl>
      <div class="summary"><dl class="facts" id="summary-facts"></dl><p id="summary-text"></p></div>
    </section>
    <section class="card" aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      <div class="actions">
        <div class="row"><button class="secondary wide" id="take-over" type="button">Take over</button><button class="secondary wide" id="return-to-bot" type="button">Return to bot</button></div>
        <div class="row"><select id="assign-to" aria-label="Assign to"></select><button class="secondary" id="assign" type="button">Assign</button></div>
        <div class="row">
          <select id="outcome" aria-label="Outcome">
            <option value="won">Won</option><option value="lost">Lost</option><option value="resolved" selected>Resolved</option>
            <option value="no_response">No response</option><option value="spam">Spam</option><option value="other">Other</option>
          </select>
          <button class="secondary" id="resolve" type="button">Resolve</button>
        </div>
      </div>
    </section>
    <section class="card" aria-labelledby="notes-title">
      <h2 id="notes-title">Internal notes</h2>
      <ul class="notes" id="notes" aria-label="Notes"></ul>
      <p class="notes-empty" id="notes-empty">No notes yet. Notes stay inside your team and are never sent to the customer.</p>
      <form class="note-form" id="note-form">
        <textarea id="note" aria-label="Internal note" placeholder="Add a note for your team…"></textarea>
        <button class="secondary" type="submit">Add note</button>
      </form>
    </section>
  </aside>
</div>
<script>
const CONSOLE = ${inlineJson({ token: options.token, pollMs: 1500 })};
${consoleClientScript}
${consoleFormatScript}
${consoleShellScript}
${consoleQueuesScript}
${consoleConversationScript}
${consoleAppScript}
</script>
</body>
</html>`;
}
