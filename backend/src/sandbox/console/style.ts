/**
 * The console's stylesheet: a three-column inbox (queues, conversation, details) that fills the
 * window, each column scrolling on its own so the composer and the SLA timer never scroll away.
 */
export const consoleCss = `
  :root {
    --ink:#1f2933; --muted:#66788a; --line:#e3e8ee; --panel:#ffffff; --canvas:#f4f6f8; --accent:#0b7a63; --accent-soft:#e3f4ef;
    --red:#c9302c; --red-soft:#fdecea; --amber:#b76e00; --amber-soft:#fff4e0; --blue:#1f6fd1; --bot:#eef2f7; --human:#dff5ea;
  }
  * { box-sizing: border-box; }
  html, body { height: 100%; }
  /* Three columns need a laptop's width; narrower windows scroll sideways rather than crush the transcript. */
  body { margin:0; min-width:1024px; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--canvas); display:flex; flex-direction:column; }
  button, select, input, textarea { font: inherit; color: inherit; }
  button { cursor:pointer; }
  button:disabled { cursor:not-allowed; opacity:.45; }
  [hidden] { display:none !important; }

  .topbar { flex:0 0 auto; height:56px; display:flex; align-items:center; gap:14px; padding:0 18px; background:#17212b; color:#fff; }
  .brand { display:flex; align-items:center; gap:10px; }
  .logo { width:32px; height:32px; border-radius:8px; background: var(--accent); display:grid; place-items:center; font-weight:700; }
  .brand-name { font-weight:600; }
  .brand-sub { font-size:12px; color:#a9b6c3; }
  .spacer { flex:1; }
  .topbar label { display:flex; align-items:center; gap:8px; font-size:13px; color:#c9d3dd; }
  .topbar select { background:#243240; border:1px solid #3a4b5c; border-radius:6px; padding:5px 8px; color:#fff; }
  .status-toggle { display:flex; align-items:center; gap:7px; border:1px solid #3a4b5c; background:#243240; color:#fff; border-radius:16px; padding:5px 12px; font-size:13px; }
  .status-toggle .dot { width:9px; height:9px; border-radius:50%; background:#9aa5b1; }
  .status-toggle[aria-checked="true"] .dot { background:#3ecf8e; }
  .topbar a { color:#9fd8c9; text-decoration:none; font-size:13px; }
  .topbar a:hover { text-decoration:underline; }

  .toast { position:fixed; top:64px; left:50%; transform:translateX(-50%); z-index:10; max-width:560px; display:flex; gap:12px; align-items:flex-start; padding:10px 12px 10px 14px; background: var(--red-soft); color:#7a1c17; border:1px solid #f1b5b0; border-radius:8px; box-shadow:0 6px 24px rgba(0,0,0,.12); }
  .toast strong { font-weight:600; }
  .toast button { border:none; background:none; font-size:18px; line-height:1; color:#7a1c17; padding:0 2px; }

  .layout { flex:1; min-height:0; display:grid; grid-template-columns: 290px minmax(0, 1fr) 340px; }
  .sidebar { background: var(--panel); border-right:1px solid var(--line); display:flex; flex-direction:column; min-height:0; }
  .tabs { display:flex; padding:8px 8px 0; border-bottom:1px solid var(--line); }
  .tabs button { flex:1 1 auto; min-width:0; border:none; background:none; padding:8px 4px 9px; border-bottom:2px solid transparent; color: var(--muted); font-weight:500; white-space:nowrap; }
  .tabs button[aria-selected="true"] { color: var(--accent); border-bottom-color: var(--accent); }
  .tabs .count { display:inline-block; min-width:18px; margin-left:4px; padding:0 5px; border-radius:9px; background: var(--canvas); font-size:11px; text-align:center; }
  .tabs button[aria-selected="true"] .count { background: var(--accent-soft); }
  .queue { list-style:none; margin:0; padding:6px; overflow-y:auto; flex:1; }
  .queue-empty { color: var(--muted); padding:24px 12px; text-align:center; font-size:13px; }
  .item { width:100%; text-align:left; border:1px solid transparent; background:none; border-radius:8px; padding:9px 10px; display:flex; flex-direction:column; gap:5px; }
  .item:hover { background:#f7f9fa; }
  .item[aria-current="true"] { background: var(--accent-soft); border-color:#bfe3d8; }
  .item .row { display:flex; align-items:center; gap:6px; min-width:0; }
  .item .name { font-weight:600; flex:1; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
  .item .when, .item .owner { color: var(--muted); font-size:12px; }
  .item .owner { flex:1; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }

  .chip { display:inline-block; padding:1px 8px; border-radius:10px; font-size:11.5px; font-weight:500; background: var(--canvas); color:#44525f; white-space:nowrap; }
  .chip.reason { background:#eef1fb; color:#3a4a9f; }
  .chip.priority-high { background: var(--amber-soft); color: var(--amber); }
  .chip.priority-urgent { background: var(--red-soft); color: var(--red); }
  .chip.mode-waiting { background: var(--amber-soft); color: var(--amber); }
  .chip.mode-human, .chip.mode-shared { background: var(--accent-soft); color: var(--accent); }
  .chip.mode-resolved { background:#eceff3; color:#5b6976; }
  .chip.vip { background:#fff1c2; color:#8a6100; }
  .timer { font-variant-numeric: tabular-nums; font-size:12px; color: var(--muted); }
  .timer[data-state="breached"] { color: var(--red); font-weight:600; }
  .timer[data-state="warning"] { color: var(--amber); }

  .conversation { display:flex; flex-direction:column; min-height:0; min-width:0; background: var(--canvas); }
  .empty { margin:auto; color: var(--muted); text-align:center; max-width:320px; }
  .conv-head { display:flex; align-items:center; gap:12px; padding:12px 20px; background: var(--panel); border-bottom:1px solid var(--line); }
  .avatar { width:38px; height:38px; border-radius:50%; background:#d8e3ec; display:grid; place-items:center; font-weight:600; color:#38506a; flex:0 0 auto; }
  .conv-head .who { flex:1; min-width:0; }
  .conv-head .who-name { font-weight:600; font-size:15px; display:flex; gap:8px; align-items:center; }
  .conv-head .who-sub { color: var(--muted); font-size:12.5px; }
  .transcript { flex:1; overflow-y:auto; padding:16px 20px; display:flex; flex-direction:column; gap:8px; }
  .msg { max-width:72%; padding:7px 10px 5px; border-radius:10px; background: var(--panel); box-shadow:0 1px 1px rgba(0,0,0,.06); white-space:pre-wrap; word-wrap:break-word; }
  .msg .by { font-size:11.5px; font-weight:600; color: var(--muted); margin-bottom:2px; }
  .msg .meta { font-size:11px; color: var(--muted); text-align:right; margin-top:3px; display:flex; justify-content:flex-end; gap:6px; }
  .msg[data-sender="customer"] { align-self:flex-start; border-top-left-radius:2px; }
  .msg[data-sender="bot"] { align-self:flex-end; background: var(--bot); border-top-right-radius:2px; }
  .msg[data-sender="human"] { align-self:flex-end; background: var(--human); border-top-right-radius:2px; }
  .msg[data-sender="human"] .by { color: var(--accent); }
  .msg[data-sender="system"] { align-self:center; background:none; box-shadow:none; color: var(--muted); font-size:12px; }
  .delivery[data-status="read"] { color: var(--blue); }
  .delivery[data-status="failed"] { color: var(--red); font-weight:600; }
  .composer { padding:12px 20px 14px; background: var(--panel); border-top:1px solid var(--line); display:flex; flex-direction:column; gap:8px; }
  .composer .row { display:flex; gap:8px; align-items:flex-end; }
  .composer textarea { flex:1; resize:none; height:62px; border:1px solid var(--line); border-radius:8px; padding:8px 10px; outline:none; }
  .composer textarea:focus, .note-form textarea:focus { border-color: var(--accent); }
  .composer .hint { font-size:12px; color: var(--muted); }
  .link { border:none; background:none; padding:0; color: var(--accent); font-size:12px; text-decoration:underline; }
  .window-closed { background: var(--amber-soft); color:#6b4300; border:1px solid #f0d29b; border-radius:8px; padding:8px 10px; font-size:13px; }
  .template-row { display:flex; gap:8px; }
  .template-row input { flex:1; border:1px solid var(--line); border-radius:6px; padding:6px 8px; }
  .primary { background: var(--accent); color:#fff; border:none; border-radius:8px; padding:8px 16px; font-weight:600; }
  .secondary { background: var(--panel); border:1px solid #cfd8e0; border-radius:8px; padding:6px 12px; }
  .secondary.danger { color: var(--red); }

  .details { background: var(--panel); border-left:1px solid var(--line); overflow-y:auto; padding:12px 14px 20px; display:flex; flex-direction:column; gap:12px; }
  .card { border:1px solid var(--line); border-radius:10px; padding:12px 14px; }
  .card h2 { margin:0 0 8px; font-size:12px; letter-spacing:.04em; text-transform:uppercase; color: var(--muted); }
  .sla { border-radius:8px; padding:8px 10px; background: var(--accent-soft); margin-bottom:10px; }
  .sla .label { font-size:12px; color:#3c5a52; }
  .sla .clock { font-size:22px; font-weight:600; font-variant-numeric: tabular-nums; color: var(--accent); }
  .sla[data-state="warning"] { background: var(--amber-soft); }
  .sla[data-state="warning"] .clock { color: var(--amber); }
  .sla[data-state="breached"] { background: var(--red-soft); }
  .sla[data-state="breached"] .clock { color: var(--red); }
  .sla[data-state="met"], .sla[data-state="none"] { background: var(--canvas); }
  .sla[data-state="met"] .clock, .sla[data-state="none"] .clock { font-size:15px; color:#44525f; }
  dl.facts { display:grid; grid-template-columns: 96px 1fr; gap:5px 10px; margin:0; font-size:13px; }
  dl.facts dt { color: var(--muted); }
  dl.facts dd { margin:0; min-width:0; overflow-wrap:anywhere; }
  .summary { margin:10px 0 0; padding-top:10px; border-top:1px dashed var(--line); font-size:13px; }
  .actions { display:flex; flex-direction:column; gap:8px; }
  .actions .row { display:flex; gap:6px; }
  .actions select { flex:1; min-width:0; border:1px solid #cfd8e0; border-radius:8px; padding:6px 8px; background:#fff; }
  .actions .row > .secondary { flex:0 0 104px; }
  .actions .row > .wide { flex:1 1 0; }
  .notes { list-style:none; margin:0 0 8px; padding:0; display:flex; flex-direction:column; gap:6px; }
  .notes li { background:#fffbea; border:1px solid #f3e6b3; border-radius:8px; padding:6px 9px; font-size:13px; white-space:pre-wrap; }
  .notes .note-meta { font-size:11.5px; color:#8a7a3a; margin-bottom:2px; white-space:normal; }
  .notes-empty { color: var(--muted); font-size:12.5px; margin:0 0 8px; }
  .note-form { display:flex; flex-direction:column; gap:6px; }
  .note-form textarea { resize:vertical; min-height:52px; border:1px solid var(--line); border-radius:8px; padding:7px 9px; outline:none; }
  .note-form .secondary { align-self:flex-end; }
`;
