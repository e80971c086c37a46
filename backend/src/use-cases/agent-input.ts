/**
 * What the agent is shown of a conversation: the customer as the CRM and earlier turns know them,
 * recent history, and the customer's messages still waiting for an answer.
 */
import { isVoiceNote, type AgentSettings } from "@salesbot/shared";
import type { AgentInput, AgentTurn, Attachment } from "../domain/agent.js";
import { languageOfNumber } from "../domain/agent/number-language.js";
import type { Contact, Conversation, Message } from "../domain/ports/store.js";

const HISTORY_TURNS = 20;

/** WhatsApp's message types that carry something other than words, by what they carry. */
const attachmentOfType: ReadonlyMap<string, Attachment> = new Map([
  ["audio", "audio"],
  ["video", "video"],
  ["image", "image"],
  ["document", "document"],
  ["sticker", "sticker"],
  ["location", "location"],
  ["contacts", "contacts"],
  ["unsupported", "unsupported"],
  ["unknown", "unsupported"],
]);

/** A voice note is an audio message recorded in WhatsApp, as the message Meta sent says. */
function attachmentOf(message: Message): Attachment | undefined {
  if (message.direction !== "inbound") return undefined;
  const attachment = attachmentOfType.get(message.type);
  return attachment === "audio" && isVoiceNote(message.payload) ? "voice" : attachment;
}

export function toTurn(message: Message): AgentTurn {
  const attachment = attachmentOf(message);
  return { from: message.direction === "inbound" ? "customer" : "business", text: message.text ?? "", at: message.createdAt, ...(attachment ? { attachment } : {}) };
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
