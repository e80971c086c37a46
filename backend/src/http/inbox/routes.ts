/**
 * The inbox API (`/api/v1`): what the HubSpot card, the Salesforce component and the console call.
 * Every handler works inside the verified caller's tenant; a conversation of another tenant is
 * simply not found.
 */
import { createHash } from "node:crypto";
import { Hono } from "hono";
import { z } from "zod";
import {
  ZAssignRequest,
  ZAuditEntry,
  ZConversationList,
  ZConversationView,
  ZHandoffView,
  ZMessageView,
  ZNoteRequest,
  ZNoteView,
  ZRecentConversationsQuery,
  ZRep,
  ZRepStatus,
  ZResolveRequest,
  ZSendRequest,
  ZSlaState,
  ZSuggestedReply,
  ZFollowUpRequest,
  ZFollowUpView,
  ZApprovalRequest,
  ZApprovalDecision,
  ZApprovalView,
  ZTemplateView,
  ZCrmRecordRef,
  ZConversationStats,
} from "@salesbot/shared";
import { suggestReply, setBotDrafting } from "../../use-cases/inbox/assist.js";
import { cancelFollowUp, scheduleFollowUp } from "../../use-cases/inbox/follow-ups.js";
import { decideApproval, requestApproval } from "../../use-cases/inbox/approvals.js";
import { AppError } from "../../domain/errors.js";
import type { UseCaseContext } from "../../use-cases/context.js";
import { addNote, assign, repReply, resolve, returnToBot, setAvailability, takeOver } from "../../use-cases/handoff/rep-actions.js";
import { conversationView, conversationViews, handoffView, messageView } from "../../use-cases/inbox/views.js";
import type { OutboundContent } from "../../use-cases/queue-outbound.js";
import { missedHandoffReport, missedHandoffsCsv, ZMissedHandoffRow } from "../../use-cases/inbox/missed-handoffs.js";
import { defineRoute, mount, ZNoParams, ZNoQuery, type Env } from "./api-route.js";
import { requireCaller, type CallerScheme } from "./caller.js";
import { mediaResponseHeaders } from "./media-headers.js";
import { docsPage, openApiDocument } from "./openapi.js";

const ZId = z.object({ id: z.string().min(1).max(100) });
const ZMessagesQuery = z.object({ after: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(200).default(50) });
const ZMessagesPage = z.object({ messages: z.array(ZMessageView), nextCursor: z.number().int().nullable() });
const ZQueue = z.object({ handoffs: z.array(ZHandoffView) });
const ZOk = z.object({ ok: z.literal(true) });

const routes = {
  recent: defineRoute({ method: "get", path: "/conversations/recent", summary: "The account's most recently active conversations, newest first", tag: "conversations", params: ZNoParams, query: ZRecentConversationsQuery, body: null, response: ZConversationList, etag: true }),
  conversation: defineRoute({ method: "get", path: "/conversations/{id}", summary: "A conversation with its customer, qualification and handoff", tag: "conversations", params: ZId, query: ZNoQuery, body: null, response: ZConversationView, etag: true }),
  byPhone: defineRoute({
    method: "get",
    path: "/conversations",
    summary: "The conversation of a CRM record, found by the record's phone number (E.164)",
    tag: "conversations",
    params: ZNoParams,
    query: z.object({ phone: z.string().regex(/^\+[1-9]\d{6,14}$/, "E.164, like +14155550123") }),
    body: null,
    response: ZConversationList,
  }),
  messages: defineRoute({ method: "get", path: "/conversations/{id}/messages", summary: "Messages, oldest first, paged by cursor", tag: "conversations", params: ZId, query: ZMessagesQuery, body: null, response: ZMessagesPage, etag: true }),
  send: defineRoute({ method: "post", path: "/conversations/{id}/messages", summary: "Reply as the calling rep (free text inside the 24-hour window, else a template)", tag: "actions", params: ZId, query: ZNoQuery, body: ZSendRequest, response: ZMessageView, status: 202 }),
  takeOver: defineRoute({ method: "post", path: "/conversations/{id}/take-over", summary: "The calling rep takes the conversation; the bot goes silent", tag: "actions", params: ZId, query: ZNoQuery, body: null, response: ZHandoffView }),
  assign: defineRoute({ method: "post", path: "/conversations/{id}/assign", summary: "Give the conversation to a rep", tag: "actions", params: ZId, query: ZNoQuery, body: ZAssignRequest, response: ZHandoffView }),
  returnToBot: defineRoute({ method: "post", path: "/conversations/{id}/return-to-bot", summary: "Hand the conversation back to the bot", tag: "actions", params: ZId, query: ZNoQuery, body: null, response: ZOk }),
  resolve: defineRoute({ method: "post", path: "/conversations/{id}/resolve", summary: "Resolve with an outcome", tag: "actions", params: ZId, query: ZNoQuery, body: ZResolveRequest, response: ZOk }),
  notes: defineRoute({ method: "get", path: "/conversations/{id}/notes", summary: "Internal notes (never sent to the customer)", tag: "notes", params: ZId, query: ZNoQuery, body: null, response: z.object({ notes: z.array(ZNoteView) }), etag: true }),
  addNote: defineRoute({ method: "post", path: "/conversations/{id}/notes", summary: "Add an internal note", tag: "notes", params: ZId, query: ZNoQuery, body: ZNoteRequest, response: ZNoteView, status: 201 }),
  audit: defineRoute({ method: "get", path: "/conversations/{id}/audit", summary: "Who changed what, when and why", tag: "conversations", params: ZId, query: ZNoQuery, body: null, response: z.object({ entries: z.array(ZAuditEntry) }) }),
  sla: defineRoute({ method: "get", path: "/conversations/{id}/sla", summary: "SLA state of the conversation's current handoff", tag: "conversations", params: ZId, query: ZNoQuery, body: null, response: z.object({ sla: ZSlaState.nullable() }) }),
  myQueue: defineRoute({ method: "get", path: "/queues/mine", summary: "Open handoffs owned by the calling rep", tag: "queues", params: ZNoParams, query: ZNoQuery, body: null, response: ZQueue, etag: true }),
  teamQueue: defineRoute({ method: "get", path: "/queues/teams/{team}", summary: "A team's open handoffs, waiting ones first", tag: "queues", params: z.object({ team: z.string().min(1) }), query: ZNoQuery, body: null, response: ZQueue, etag: true }),
  reps: defineRoute({ method: "get", path: "/reps", summary: "Reps of the account", tag: "reps", params: ZNoParams, query: ZNoQuery, body: null, response: z.object({ reps: z.array(ZRep) }), etag: true }),
  status: defineRoute({ method: "put", path: "/reps/me/status", summary: "Set the calling rep available or away (away hands unanswered work back to the queue)", tag: "reps", params: ZNoParams, query: ZNoQuery, body: z.object({ status: ZRepStatus }), response: z.object({ status: ZRepStatus, handedBack: z.number().int() }) }),
  suggested: defineRoute({ method: "get", path: "/conversations/{id}/suggested-reply", summary: "A draft reply from the agent, checked by the same guardrails as the bot's", tag: "assist", params: ZId, query: ZNoQuery, body: null, response: ZSuggestedReply }),
  drafting: defineRoute({ method: "put", path: "/conversations/{id}/bot-drafting", summary: "Shared mode: the rep owns the conversation and the bot only drafts", tag: "assist", params: ZId, query: ZNoQuery, body: z.object({ enabled: z.boolean() }), response: z.object({ mode: z.string() }) }),
  followUps: defineRoute({ method: "get", path: "/conversations/{id}/follow-ups", summary: "Scheduled follow-ups and what became of them", tag: "follow-ups", params: ZId, query: ZNoQuery, body: null, response: z.object({ followUps: z.array(ZFollowUpView) }) }),
  addFollowUp: defineRoute({ method: "post", path: "/conversations/{id}/follow-ups", summary: "Schedule a follow-up the bot sends later (text inside the window, else a template)", tag: "follow-ups", params: ZId, query: ZNoQuery, body: ZFollowUpRequest, response: ZFollowUpView, status: 201 }),
  cancelFollowUp: defineRoute({ method: "delete", path: "/follow-ups/{followUpId}", summary: "Cancel a scheduled follow-up", tag: "follow-ups", params: z.object({ followUpId: z.coerce.number().int().positive() }), query: ZNoQuery, body: null, response: ZOk }),
  approvals: defineRoute({ method: "get", path: "/approvals", summary: "Approval requests of the account", tag: "approvals", params: ZNoParams, query: z.object({ status: z.enum(["pending", "approved", "rejected"]).optional() }), body: null, response: z.object({ approvals: z.array(ZApprovalView) }) }),
  requestApproval: defineRoute({ method: "post", path: "/conversations/{id}/approvals", summary: "Ask a team lead to approve a discount or contract terms", tag: "approvals", params: ZId, query: ZNoQuery, body: ZApprovalRequest, response: ZApprovalView, status: 201 }),
  decideApproval: defineRoute({ method: "post", path: "/approvals/{approvalId}/decision", summary: "A team lead approves or rejects", tag: "approvals", params: z.object({ approvalId: z.coerce.number().int().positive() }), query: ZNoQuery, body: ZApprovalDecision, response: ZApprovalView }),
  templates: defineRoute({ method: "get", path: "/templates", summary: "Approved WhatsApp templates, synced from the account", tag: "templates", params: ZNoParams, query: ZNoQuery, body: null, response: z.object({ templates: z.array(ZTemplateView) }) }),
  byCrmRecord: defineRoute({
    method: "get",
    path: "/crm/{crm}/{objectType}/{objectId}/conversations",
    summary: "The conversations linked to a CRM record (HubSpot contact or deal; Salesforce contact, lead or opportunity)",
    tag: "conversations",
    params: ZCrmRecordRef,
    query: ZNoQuery,
    body: null,
    response: z.object({ conversations: z.array(ZConversationView) }),
    etag: true,
  }),
  linkCrm: defineRoute({ method: "post", path: "/conversations/{id}/crm-links", summary: "Link the conversation to a CRM record", tag: "conversations", params: ZId, query: ZNoQuery, body: ZCrmRecordRef, response: z.object({ links: z.array(ZCrmRecordRef) }) }),
  stats: defineRoute({
    method: "get",
    path: "/reports/summary",
    summary: "Conversations, handoffs, bot-resolved share, median first response and SLA misses in a period (default: the last 30 days)",
    tag: "reports",
    params: ZNoParams,
    query: z.object({ from: z.coerce.number().int().optional(), to: z.coerce.number().int().optional() }),
    body: null,
    response: ZConversationStats,
  }),
  missed: defineRoute({
    method: "get",
    path: "/reports/missed-handoffs",
    summary: "Missed handoffs (unanswered, answered late, re-routed, customer left waiting) by week, reason, team and rep; format=csv for a spreadsheet",
    tag: "reports",
    params: ZNoParams,
    query: z.object({ from: z.coerce.number().int().optional(), to: z.coerce.number().int().optional(), format: z.enum(["json", "csv"]).default("json") }),
    body: null,
    response: z.object({ rows: z.array(ZMissedHandoffRow) }),
  }),
};

const etagOf = (value: unknown) => `"${createHash("sha1").update(JSON.stringify(value)).digest("base64url")}"`;

function contentOf(body: z.infer<typeof ZSendRequest>): OutboundContent {
  if ("text" in body) return { type: "text", text: { body: body.text } };
  const parameters = body.template.variables.map((text) => ({ type: "text", text }));
  return { type: "template", template: { name: body.template.name, language: { code: body.template.language }, ...(parameters.length ? { components: [{ type: "body", parameters }] } : {}) } };
}

export function inboxRoutes(ctx: UseCaseContext, schemes: readonly CallerScheme[], onWorkQueued: () => void): Hono<Env> {
  const app = new Hono<Env>();
  app.get("/openapi.json", (c) => c.json(openApiDocument("/api/v1")));
  app.get("/docs", (c) => c.html(docsPage(openApiDocument("/api/v1"))));
  app.use("*", requireCaller(schemes));

  const store = ctx.store;
  const load = async (tenantId: string, id: string) => {
    const conversation = await store.getConversation(tenantId, id);
    if (!conversation) throw new AppError("not_found", "No such conversation.");
    return conversation;
  };
  const mediaUrl = (id: string) => `/api/v1/media/${encodeURIComponent(id)}`;

  // Before /conversations/{id}: Hono tries handlers in registration order, and "recent" would pass as an id.
  mount(app, routes.recent, async ({ caller, query }) => {
    const conversations = await store.listConversations(caller.tenantId, query.limit);
    const body = { conversations: await conversationViews(store, conversations, ctx.clock.now()) };
    return { body, etag: etagOf(body) };
  });
  mount(app, routes.conversation, async ({ caller, params }) => {
    const view = await conversationView(store, await load(caller.tenantId, params.id), ctx.clock.now());
    return { body: view, etag: etagOf(view) };
  });
  mount(app, routes.byPhone, async ({ caller, query }) => {
    const conversations = await store.findConversationsByPhone(caller.tenantId, query.phone);
    return { body: { conversations: await conversationViews(store, conversations, ctx.clock.now()) } };
  });
  mount(app, routes.messages, async ({ caller, params, query }) => {
    await load(caller.tenantId, params.id);
    const page = await store.listMessages(caller.tenantId, params.id, { afterSeq: query.after, limit: query.limit + 1 });
    const messages = page.slice(0, query.limit).map((m) => messageView(m, mediaUrl));
    const body = { messages, nextCursor: page.length > query.limit ? messages[messages.length - 1]!.id : null };
    return { body, etag: etagOf(body) };
  });
  mount(app, routes.send, async ({ caller, params, body }) => {
    const message = await repReply(ctx, caller, params.id, contentOf(body));
    onWorkQueued();
    return { body: messageView(message, mediaUrl) };
  });
  mount(app, routes.takeOver, async ({ caller, params }) => ({ body: handoffView(await takeOver(ctx, caller, params.id)) }));
  mount(app, routes.assign, async ({ caller, params, body }) => ({ body: handoffView(await assign(ctx, caller, params.id, body.repId)) }));
  mount(app, routes.returnToBot, async ({ caller, params }) => {
    await returnToBot(ctx, caller, params.id);
    onWorkQueued();
    return { body: { ok: true as const } };
  });
  mount(app, routes.resolve, async ({ caller, params, body }) => {
    await resolve(ctx, caller, params.id, body.outcome, body.note);
    onWorkQueued();
    return { body: { ok: true as const } };
  });
  mount(app, routes.notes, async ({ caller, params }) => {
    await load(caller.tenantId, params.id);
    const body = { notes: await store.handoffs.listNotes(caller.tenantId, params.id) };
    return { body, etag: etagOf(body) };
  });
  mount(app, routes.addNote, async ({ caller, params, body }) => {
    const id = await addNote(ctx, caller, params.id, body.text);
    return { body: { id, authorId: caller.actor, text: body.text, at: ctx.clock.now() } };
  });
  mount(app, routes.audit, async ({ caller, params }) => {
    await load(caller.tenantId, params.id);
    const entries = await store.handoffs.listAudit(caller.tenantId, params.id);
    return { body: { entries: entries.map(({ id, actor, action, fromMode, toMode, detail, at }) => ({ id, actor, action, fromMode, toMode, detail, at })) } };
  });
  mount(app, routes.sla, async ({ caller, params }) => {
    await load(caller.tenantId, params.id);
    const handoff = (await store.handoffs.open(caller.tenantId, params.id)) ?? (await store.handoffs.latest(caller.tenantId, params.id));
    return { body: { sla: handoff?.sla ?? null } };
  });
  mount(app, routes.myQueue, async ({ caller }) => {
    const body = { handoffs: (await store.handoffs.list(caller.tenantId, { ownerId: caller.actor, statuses: ["assigned", "answered"] })).map(handoffView) };
    return { body, etag: etagOf(body) };
  });
  mount(app, routes.teamQueue, async ({ caller, params }) => {
    const handoffs = await store.handoffs.list(caller.tenantId, { team: params.team });
    const order = { queued: 0, assigned: 1, answered: 2, resolved: 3, returned_to_bot: 4 } as const;
    const body = { handoffs: handoffs.sort((a, b) => order[a.status] - order[b.status] || a.requestedAt - b.requestedAt).map(handoffView) };
    return { body, etag: etagOf(body) };
  });
  mount(app, routes.reps, async ({ caller }) => {
    const body = { reps: await store.handoffs.listReps(caller.tenantId) };
    return { body, etag: etagOf(body) };
  });
  mount(app, routes.status, async ({ caller, body }) => {
    const handedBack = await setAvailability(ctx, caller, caller.actor, body.status);
    onWorkQueued();
    return { body: { status: body.status, handedBack } };
  });
  mount(app, routes.suggested, async ({ caller, params }) => ({ body: await suggestReply(ctx, caller, params.id) }));
  mount(app, routes.drafting, async ({ caller, params, body }) => ({ body: { mode: await setBotDrafting(ctx, caller, params.id, body.enabled) } }));
  mount(app, routes.followUps, async ({ caller, params }) => {
    await load(caller.tenantId, params.id);
    const records = await store.repTools.listFollowUps(caller.tenantId, params.id);
    return { body: { followUps: records.map(({ id, at, status, result, createdBy, preview }) => ({ id, at, status, result, createdBy, preview })) } };
  });
  mount(app, routes.addFollowUp, async ({ caller, params, body }) => {
    const content = contentOf(body.text !== undefined ? { text: body.text } : { template: body.template! });
    return { body: await scheduleFollowUp(ctx, caller, params.id, body.at, content) };
  });
  mount(app, routes.cancelFollowUp, async ({ caller, params }) => {
    await cancelFollowUp(ctx, caller, params.followUpId);
    return { body: { ok: true as const } };
  });
  mount(app, routes.approvals, async ({ caller, query }) => ({ body: { approvals: await store.repTools.listApprovals(caller.tenantId, query.status ? { status: query.status } : {}) } }));
  mount(app, routes.requestApproval, async ({ caller, params, body }) => ({ body: await requestApproval(ctx, caller, params.id, body.kind, body.detail) }));
  mount(app, routes.decideApproval, async ({ caller, params, body }) => ({ body: await decideApproval(ctx, caller, params.approvalId, body.approve, body.comment ?? null) }));
  mount(app, routes.templates, async ({ caller }) => ({ body: { templates: (await store.repTools.listTemplates(caller.tenantId)).filter((t) => t.status === "APPROVED") } }));
  mount(app, routes.byCrmRecord, async ({ caller, params }) => {
    const conversations = await store.findConversationsByCrmRecord(caller.tenantId, params);
    const body = { conversations: await conversationViews(store, conversations, ctx.clock.now()) };
    return { body, etag: etagOf(body) };
  });
  mount(app, routes.linkCrm, async ({ caller, params, body }) => {
    await store.linkCrmRecord(caller.tenantId, params.id, body, ctx.clock.now());
    return { body: { links: await store.listCrmLinks(caller.tenantId, params.id) } };
  });
  mount(app, routes.stats, async ({ caller, query }) => {
    const to = query.to ?? ctx.clock.now();
    const from = query.from ?? to - 30 * 24 * 60 * 60_000;
    const stats = await store.conversationStats(caller.tenantId, { from, to });
    return { body: { from, to, ...stats, botResolvedShare: stats.conversations === 0 ? null : stats.botResolved / stats.conversations } };
  });
  mount(app, routes.missed, async ({ caller, query }) => {
    const rows = await missedHandoffReport(store, caller.tenantId, { from: query.from, to: query.to, now: ctx.clock.now() });
    return query.format === "csv" ? { body: { rows }, csv: missedHandoffsCsv(rows) } : { body: { rows } };
  });
  app.get("/media/:id", async (c) => {
    const media = await store.getMedia(c.get("caller").tenantId, c.req.param("id"));
    if (!media) throw new AppError("not_found", "No such media.");
    // The stored bytes as they are, not a copy: a document can be 100 MB.
    const { bytes } = media;
    const body = bytes.buffer instanceof ArrayBuffer ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : Uint8Array.from(bytes);
    return c.body(body, 200, mediaResponseHeaders(media.mimeType));
  });
  return app;
}
