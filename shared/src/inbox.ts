/**
 * The inbox API's wire formats (`/api/v1`): what the CRM cards and the console read and send. The
 * OpenAPI document is generated from these schemas, so the contract and the code cannot drift.
 */
import { z } from "zod";
import { ZHandoffReason, ZHandoffSummary, ZIntent, ZLanguage, ZPriority, ZQualification } from "./agent.js";

export const ZConversationMode = z.enum(["bot", "waiting", "human", "shared", "resolved"]);
export type ConversationModeWire = z.infer<typeof ZConversationMode>;

export const ZRepStatus = z.enum(["available", "away"]);
export const ZRoutingStrategy = z.enum(["round_robin", "least_loaded"]);

export const ZRep = z.object({
  id: z.string().min(1).max(120).describe("The CRM user id (HubSpot owner id, Salesforce user id)"),
  name: z.string().min(1).max(200),
  email: z.string().email().nullable().default(null),
  teams: z.array(z.string().min(1)).min(1),
  capacity: z.number().int().min(1).max(500).default(10),
  status: ZRepStatus.default("available"),
  isLead: z.boolean().default(false),
});
export type Rep = z.infer<typeof ZRep>;

export const ZSlaClock = z.object({
  dueAt: z.number().nullable(),
  metAt: z.number().nullable(),
  warnedAt: z.number().nullable(),
  breachedAt: z.number().nullable(),
});
export type SlaClock = z.infer<typeof ZSlaClock>;

export const ZSlaState = z.object({
  status: z.enum(["active", "met", "missed"]),
  firstResponse: ZSlaClock,
  nextResponse: ZSlaClock,
  resolution: ZSlaClock,
});
export type SlaState = z.infer<typeof ZSlaState>;

export const ZHandoffStatus = z.enum(["queued", "assigned", "answered", "resolved", "returned_to_bot"]);

export const ZHandoffView = z.object({
  id: z.string(),
  conversationId: z.string(),
  reason: ZHandoffReason,
  priority: ZPriority,
  team: z.string(),
  ownerId: z.string().nullable(),
  status: ZHandoffStatus,
  summary: ZHandoffSummary,
  requestedAt: z.number(),
  assignedAt: z.number().nullable(),
  firstResponseAt: z.number().nullable(),
  resolvedAt: z.number().nullable(),
  outcome: z.string().nullable(),
  queuedUntil: z.number().nullable().describe("Out of hours: when the team opens and the handoff is routed"),
  sla: ZSlaState,
});
export type HandoffView = z.infer<typeof ZHandoffView>;

export const ZMessageView = z.object({
  id: z.number().int(),
  direction: z.enum(["inbound", "outbound"]),
  sender: z.enum(["customer", "bot", "human", "system"]),
  type: z.string(),
  text: z.string().nullable(),
  status: z.string(),
  at: z.number(),
  media: z.array(z.object({ id: z.string(), url: z.string() })).default([]),
});
export type MessageView = z.infer<typeof ZMessageView>;

export const ZConversationView = z.object({
  id: z.string(),
  mode: ZConversationMode,
  customer: z.object({ name: z.string().nullable(), phone: z.string().nullable(), waId: z.string().nullable(), optedOut: z.boolean(), vip: z.boolean() }),
  language: ZLanguage.nullable(),
  lastIntent: ZIntent.nullable(),
  qualification: ZQualification,
  leadScore: z.number().int(),
  windowClosesAt: z.number().nullable().describe("Free text can be sent until then; afterwards only templates"),
  handoff: ZHandoffView.nullable(),
  updatedAt: z.number(),
});
export type ConversationView = z.infer<typeof ZConversationView>;

export const ZNoteView = z.object({ id: z.number().int(), authorId: z.string(), text: z.string(), at: z.number() });

export const ZAuditEntry = z.object({ id: z.number().int(), actor: z.string(), action: z.string(), fromMode: z.string().nullable(), toMode: z.string().nullable(), detail: z.string().nullable(), at: z.number() });

export const ZSendRequest = z.union([
  z.object({ text: z.string().min(1).max(4096) }),
  z.object({ template: z.object({ name: z.string().min(1), language: z.string().min(2), variables: z.array(z.string()).max(20).default([]) }) }),
]);
export const ZAssignRequest = z.object({ repId: z.string().min(1) });
export const ZResolveRequest = z.object({ outcome: z.enum(["won", "lost", "resolved", "no_response", "spam", "other"]), note: z.string().max(2000).optional() });
export const ZNoteRequest = z.object({ text: z.string().min(1).max(5000) });
