/**
 * What the agent is shown of a conversation: the customer as the CRM and earlier turns know them,
 * recent history, and the customer's messages still waiting for an answer.
 */
import type { AgentSettings } from "@salesbot/shared";
import type { AgentInput, AgentTurn } from "../domain/agent.js";
import { languageOfNumber } from "../domain/agent/number-language.js";
import type { Contact, Conversation, Message } from "../domain/ports/store.js";

const HISTORY_TURNS = 20;

export function toTurn(message: Message): AgentTurn {
  return { from: message.direction === "inbound" ? "customer" : "business", text: message.text ?? "", at: message.createdAt };
}

export function agentInputFor(input: {
  conversation: Conversation;
  contact: Contact | null;
  history: readonly Message[];
  pending: readonly Message[];
  settings: AgentSettings;
  now: number;
}): AgentInput {
  const { conversation, contact } = input;
  const state = conversation.agent;
  return {
    tenantId: conversation.tenantId,
    conversationId: conversation.id,
    customer: {
      name: contact?.profileName ?? null,
      vip: contact?.vip ?? false,
      dealValue: contact?.dealValue ?? null,
      known: state.qualification,
      language: state.language,
      numberLanguage: languageOfNumber(contact?.phoneE164 ?? null),
      askedField: state.askedField,
      askedFields: state.askedFields,
    },
    history: input.history.slice(-HISTORY_TURNS).map(toTurn),
    pending: input.pending.map(toTurn),
    settings: input.settings,
    now: input.now,
  };
}
