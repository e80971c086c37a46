/**
 * A readable line for each inbound message type, for the agent, the transcript and the CRM. Unknown
 * types still get a line: the message is kept and shown, never dropped.
 */
import { isVoiceNote, type InboundMessage } from "@salesbot/shared";

type Loose = Record<string, unknown>;

function field(message: InboundMessage, key: string): Loose {
  const value = (message as Loose)[key];
  return value && typeof value === "object" ? (value as Loose) : {};
}

const str = (value: unknown): string | undefined => (typeof value === "string" && value.length > 0 ? value : undefined);

export const mediaTypes = ["image", "audio", "video", "document", "sticker"] as const;
export type MediaType = (typeof mediaTypes)[number];

export function isMediaType(type: string): type is MediaType {
  return (mediaTypes as readonly string[]).includes(type);
}

/** Types that are a customer speaking to us (and so may deserve an answer). */
export function isCustomerTurn(type: string): boolean {
  return !["reaction", "system", "unsupported", "unknown", "revoke", "edit", "request_welcome"].includes(type);
}

export function describeInbound(message: InboundMessage): string {
  const type = message.type;
  if (isMediaType(type)) {
    const media = field(message, type);
    const label = isVoiceNote(message) ? "voice message" : type;
    const caption = str(media.caption) ?? str(media.filename);
    return caption ? `[${label}] ${caption}` : `[${label}]`;
  }
  switch (type) {
    case "text":
      return message.text?.body ?? "";
    case "interactive": {
      const interactive = field(message, "interactive");
      const reply = (interactive.button_reply ?? interactive.list_reply ?? interactive.nfm_reply) as Loose | undefined;
      return str(reply?.title) ?? str(reply?.body) ?? `[interactive ${String(interactive.type ?? "reply")}]`;
    }
    case "button":
      return str(field(message, "button").text) ?? str(field(message, "button").payload) ?? "[button]";
    case "location": {
      const location = field(message, "location");
      const place = [str(location.name), str(location.address)].filter(Boolean).join(", ");
      return `[location] ${place || `${String(location.latitude)}, ${String(location.longitude)}`}`;
    }
    case "contacts": {
      const cards = (message as Loose).contacts;
      const names = Array.isArray(cards) ? cards.map((c) => str((c as { name?: Loose }).name?.formatted_name) ?? "contact") : [];
      return `[contacts] ${names.join(", ")}`;
    }
    case "reaction": {
      const reaction = field(message, "reaction");
      return str(reaction.emoji) ? `[reaction] ${String(reaction.emoji)}` : "[reaction removed]";
    }
    case "order": {
      const order = field(message, "order");
      const items = Array.isArray(order.product_items) ? order.product_items.length : 0;
      return `[order] ${items} item(s)${str(order.text) ? `: ${String(order.text)}` : ""}`;
    }
    case "system":
      return `[system] ${str(field(message, "system").body) ?? ""}`.trim();
    case "unsupported":
    case "unknown": {
      const kind = str(field(message, "unsupported").type);
      return `[unsupported${kind ? ` ${kind}` : ""} message]`;
    }
    default:
      return `[${type}]`;
  }
}
