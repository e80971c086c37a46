/**
 * The agent port: a conversation goes in, a decision comes out. Engines (built-in rules and models,
 * LLM) implement it; the use cases act on the decision and never look inside an engine.
 */
import type { AgentSettings, HandoffReason, HandoffSummary, Intent, Language, Priority, Qualification, QualificationField } from "@salesbot/shared";

export type { HandoffReason } from "@salesbot/shared";

/** What a customer sent besides (or instead of) words. */
export type Attachment = "voice" | "audio" | "video" | "image" | "document" | "sticker" | "location" | "contacts" | "unsupported";

export interface AgentTurn {
  from: "customer" | "business";
  /** As a rep reads it: an attachment's label in brackets first ("[voice message]", "[image] our setup"). */
  text: string;
  at: number;
  attachment?: Attachment;
}

/** What the CRM and earlier turns already tell us about the customer. */
export interface CustomerContext {
  name: string | null;
  vip: boolean;
  /** Open deal value in the tenant's currency, when the CRM has one. */
  dealValue: number | null;
  known: Qualification;
  language: Language | null;
  /** The language of the country the customer's number is from (number-language.ts): a tie-breaker, nothing more. */
  numberLanguage: Language | null;
  /** The qualification question the bot asked last, so a bare answer ("about 20") is understood. */
  askedField: QualificationField | null;
  askedFields: QualificationField[];
}

export interface AgentInput {
  tenantId: string;
  conversationId: string;
  customer: CustomerContext;
  /** Earlier turns, oldest first. */
  history: AgentTurn[];
  /** The customer's messages not yet answered, oldest first: a burst is answered as a whole. */
  pending: AgentTurn[];
  settings: AgentSettings;
  now: number;
}

interface DecisionBase {
  intent: Intent;
  confidence: number;
  language: Language;
  /** Qualification answers found in this turn, to be stored with the conversation. */
  learned: Partial<Qualification>;
  /** Questions the customer asked us not to ask ("no more questions, please"): counted as asked from now on. */
  declinedFields?: QualificationField[];
}

export type AgentDecision = DecisionBase &
  (
    | {
        kind: "reply";
        text: string;
        sourceId: string | null;
        /** A message of several questions is answered from several entries: the others, after `sourceId`. */
        moreSourceIds?: string[];
        /**
         * The qualification question still open after this reply: asked again at its end (the customer's
         * question came between it and the answer), or awaiting the answer a voice note may have held.
         */
        asks?: QualificationField;
      }
    | { kind: "question"; text: string; field: QualificationField }
    | { kind: "handoff"; reason: HandoffReason; priority: Priority; team: string; customerNotice: string; summary: HandoffSummary }
    | { kind: "opt_out"; text: string }
    | { kind: "none" }
  );

export interface Agent {
  decide(input: AgentInput): Promise<AgentDecision>;
}
