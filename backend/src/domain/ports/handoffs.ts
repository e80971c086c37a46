/**
 * Persistence of handoffs, reps, notes, the audit log and the tenant's inbox settings.
 */
import type { HandoffReason, HandoffSummary, InboxSettings, Priority, Rep, SlaState } from "@salesbot/shared";
import type { RepLoad } from "../handoff/routing.js";

export type HandoffStatus = "queued" | "assigned" | "answered" | "resolved" | "returned_to_bot";

export interface Handoff {
  id: string;
  tenantId: string;
  conversationId: string;
  reason: HandoffReason;
  priority: Priority;
  team: string;
  ownerId: string | null;
  status: HandoffStatus;
  summary: HandoffSummary;
  requestedAt: number;
  assignedAt: number | null;
  firstResponseAt: number | null;
  resolvedAt: number | null;
  outcome: string | null;
  queuedUntil: number | null;
  sla: SlaState;
  /** How often it moved to another rep (breach, away, manual). */
  reassignments: number;
}

export interface AuditEntry {
  tenantId: string;
  conversationId: string;
  actor: string;
  action: string;
  fromMode: string | null;
  toMode: string | null;
  detail: string | null;
  at: number;
}

export interface HandoffRepository {
  upsertRep(tenantId: string, rep: Rep, now: number): Promise<void>;
  getRep(tenantId: string, repId: string): Promise<Rep | null>;
  listReps(tenantId: string): Promise<Rep[]>;
  setRepStatus(tenantId: string, repId: string, status: Rep["status"], now: number): Promise<void>;
  repLoads(tenantId: string): Promise<RepLoad[]>;

  create(handoff: Handoff): Promise<void>;
  get(tenantId: string, id: string): Promise<Handoff | null>;
  /** The conversation's handoff that is not closed (queued, assigned or answered), if any. */
  open(tenantId: string, conversationId: string): Promise<Handoff | null>;
  latest(tenantId: string, conversationId: string): Promise<Handoff | null>;
  /** For each conversation that has one: its open handoff, or else its latest. */
  currentFor(tenantId: string, conversationIds: readonly string[]): Promise<Map<string, Handoff>>;
  save(handoff: Handoff, now: number): Promise<void>;
  list(tenantId: string, filter: { statuses?: HandoffStatus[]; team?: string; ownerId?: string; from?: number; to?: number; limit?: number }): Promise<Handoff[]>;

  addAudit(entry: AuditEntry): Promise<void>;
  listAudit(tenantId: string, conversationId: string): Promise<Array<AuditEntry & { id: number }>>;
  addNote(tenantId: string, conversationId: string, authorId: string, text: string, at: number): Promise<number>;
  listNotes(tenantId: string, conversationId: string): Promise<Array<{ id: number; authorId: string; text: string; at: number }>>;

  getSettings(tenantId: string): Promise<InboxSettings>;
  putSettings(tenantId: string, settings: InboxSettings, now: number): Promise<void>;
}
