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

/** The account's conversations, most recently active first: the console's "all conversations" list. */
export const ZConversationList = z.object({ conversations: z.array(ZConversationView) });
export const ZRecentConversationsQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(30) });

export const ZNoteView = z.object({ id: z.number().int(), authorId: z.string(), text: z.string(), at: z.number() });

export const ZAuditEntry = z.object({ id: z.number().int(), actor: z.string(), action: z.string(), fromMode: z.string().nullable(), toMode: z.string().nullable(), detail: z.string().nullable(), at: z.number() });

export const ZSendRequest = z.union([
  z.object({ text: z.string().min(1).max(4096) }),
  z.object({ template: z.object({ name: z.string().min(1), language: z.string().min(2), variables: z.array(z.string()).max(20).default([]) }) }),
]);
export const ZAssignRequest = z.object({ repId: z.string().min(1) });
export const ZResolveRequest = z.object({ outcome: z.enum(["won", "lost", "resolved", "no_response", "spam", "other"]), note: z.string().max(2000).optional() });
export const ZNoteRequest = z.object({ text: z.string().min(1).max(5000) });

export const ZRoutingRule = z.object({
  when: z.object({
    reasons: z.array(ZHandoffReason).optional(),
    intents: z.array(ZIntent).optional(),
    languages: z.array(ZLanguage).optional(),
    vip: z.boolean().optional(),
    minDealValue: z.number().nonnegative().optional(),
  }),
  team: z.string().min(1),
  priority: ZPriority.optional(),
});

const ZBusinessHoursWire = z.object({
  timezone: z.string().default("UTC"),
  openings: z.array(z.object({ day: z.number().int().min(0).max(6), from: z.string().regex(/^\d{2}:\d{2}$/), to: z.string().regex(/^\d{2}:\d{2}$/) })).default([]),
});

export const ZTeamSettings = z.object({
  strategy: ZRoutingStrategy.default("round_robin"),
  businessHours: ZBusinessHoursWire.default({ timezone: "UTC", openings: [] }),
  /** Sent to the customer when a handoff reaches this team out of hours. */
  outOfHoursMessage: z.string().max(1000).nullable().default(null),
});

const ZSlaTargets = z.object({ firstResponseMinutes: z.number().int().positive(), nextResponseMinutes: z.number().int().positive(), resolutionMinutes: z.number().int().positive() });

export const ZInboxSettings = z.object({
  rules: z.array(ZRoutingRule).default([]),
  teams: z.record(z.string(), ZTeamSettings).default({}),
  /** Give a known customer to their CRM owner first. */
  preferCrmOwner: z.boolean().default(true),
  sla: z
    .object({
      urgent: ZSlaTargets.default({ firstResponseMinutes: 5, nextResponseMinutes: 10, resolutionMinutes: 240 }),
      high: ZSlaTargets.default({ firstResponseMinutes: 15, nextResponseMinutes: 30, resolutionMinutes: 480 }),
      normal: ZSlaTargets.default({ firstResponseMinutes: 60, nextResponseMinutes: 120, resolutionMinutes: 1440 }),
      low: ZSlaTargets.default({ firstResponseMinutes: 240, nextResponseMinutes: 480, resolutionMinutes: 4320 }),
      warnAt: z.number().min(0.1).max(0.99).default(0.8),
      onBreach: z.object({ notifyLead: z.boolean().default(true), reassign: z.boolean().default(false) }).default({ notifyLead: true, reassign: false }),
    })
    .default(() => ZInboxSettingsSlaDefault),
  /** A customer writing to a resolved conversation: back to the bot, or to the last owner. */
  reopenTo: z.enum(["bot", "last_owner"]).default("bot"),
  /** Return an idle human conversation to the bot after this many minutes; null = never. */
  idleReturnMinutes: z.number().int().positive().nullable().default(null),
  /** While waiting for a person, tell the customer again after this many minutes; null = never. */
  stillWaitingMinutes: z.number().int().positive().nullable().default(15),
});
export type InboxSettings = z.infer<typeof ZInboxSettings>;

const ZInboxSettingsSlaDefault = {
  urgent: { firstResponseMinutes: 5, nextResponseMinutes: 10, resolutionMinutes: 240 },
  high: { firstResponseMinutes: 15, nextResponseMinutes: 30, resolutionMinutes: 480 },
  normal: { firstResponseMinutes: 60, nextResponseMinutes: 120, resolutionMinutes: 1440 },
  low: { firstResponseMinutes: 240, nextResponseMinutes: 480, resolutionMinutes: 4320 },
  warnAt: 0.8,
  onBreach: { notifyLead: true, reassign: false },
};

export const ZSuggestedReply = z.object({
  kind: z.enum(["reply", "question", "handoff", "opt_out", "none"]),
  text: z.string().nullable().describe("A draft for the rep to edit and send; null when the agent would hand off"),
  sourceId: z.string().nullable().describe("The first knowledge entry the draft answers from"),
  sourceIds: z.array(z.string()).describe("Every knowledge entry the draft answers from, in the draft's order (a message of several questions gets several)"),
  intent: ZIntent,
  handoffReason: ZHandoffReason.nullable(),
});

export const ZFollowUpRequest = z
  .object({ at: z.number().int().describe("When to send, epoch ms"), text: z.string().min(1).max(4096).optional(), template: z.object({ name: z.string().min(1), language: z.string().min(2), variables: z.array(z.string()).max(20).default([]) }).optional() })
  .refine((f) => Boolean(f.text) !== Boolean(f.template), "give exactly one of text or template");
export const ZFollowUpView = z.object({
  id: z.number().int(),
  at: z.number(),
  status: z.enum(["scheduled", "sent", "skipped", "cancelled"]),
  result: z.string().nullable(),
  createdBy: z.string(),
  preview: z.string(),
});
export type FollowUpView = z.infer<typeof ZFollowUpView>;

export const ZApprovalRequest = z.object({ kind: z.enum(["discount", "contract_terms", "other"]), detail: z.string().min(1).max(2000) });
export const ZApprovalDecision = z.object({ approve: z.boolean(), comment: z.string().max(2000).optional() });
export const ZApprovalView = z.object({
  id: z.number().int(),
  conversationId: z.string(),
  kind: z.enum(["discount", "contract_terms", "other"]),
  detail: z.string(),
  status: z.enum(["pending", "approved", "rejected"]),
  requestedBy: z.string(),
  decidedBy: z.string().nullable(),
  comment: z.string().nullable(),
  createdAt: z.number(),
  decidedAt: z.number().nullable(),
});
export type ApprovalView = z.infer<typeof ZApprovalView>;

export const ZTemplateView = z.object({ name: z.string(), language: z.string(), category: z.string().nullable(), bodyParameters: z.number().int(), status: z.string() });
export type TemplateView = z.infer<typeof ZTemplateView>;

export const ZCrmRecordRef = z.object({
  crm: z.enum(["hubspot", "salesforce"]),
  objectType: z.enum(["contact", "deal", "lead", "opportunity", "company", "account"]),
  objectId: z.string().min(1).max(64),
});
export type CrmRecordRefWire = z.infer<typeof ZCrmRecordRef>;

export const ZConversationStats = z.object({
  from: z.number(),
  to: z.number(),
  conversations: z.number().int(),
  handedOff: z.number().int(),
  botResolved: z.number().int(),
  botResolvedShare: z.number().min(0).max(1).nullable(),
  firstResponseMedianMs: z.number().nullable(),
  slaMissed: z.number().int(),
});
