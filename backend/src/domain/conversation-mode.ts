/**
 * Who speaks for the business in a conversation. The transitions are data: a table read by
 * `transition`, with `null` for a refused event, so every (mode, event) pair is visible and tested.
 */
export const conversationModes = ["bot", "waiting", "human", "shared", "resolved"] as const;
export type ConversationMode = (typeof conversationModes)[number];

export const conversationEvents = [
  "handoff_requested",
  "human_assigned",
  "bot_drafting_enabled",
  "bot_drafting_disabled",
  "returned_to_bot",
  "resolved",
  "customer_wrote",
  "idle_timeout",
  "owner_released",
] as const;
export type ConversationEvent = (typeof conversationEvents)[number];

type Table = Record<ConversationMode, Record<ConversationEvent, ConversationMode | null>>;

export const conversationTransitions: Table = {
  bot: {
    handoff_requested: "waiting",
    human_assigned: "human",
    bot_drafting_enabled: null,
    bot_drafting_disabled: null,
    returned_to_bot: null,
    resolved: "resolved",
    customer_wrote: "bot",
    idle_timeout: null,
    owner_released: null,
  },
  waiting: {
    handoff_requested: "waiting",
    human_assigned: "human",
    bot_drafting_enabled: null,
    bot_drafting_disabled: null,
    returned_to_bot: "bot",
    resolved: "resolved",
    customer_wrote: "waiting",
    idle_timeout: null,
    owner_released: null,
  },
  human: {
    handoff_requested: null,
    human_assigned: "human",
    bot_drafting_enabled: "shared",
    bot_drafting_disabled: null,
    returned_to_bot: "bot",
    resolved: "resolved",
    customer_wrote: "human",
    idle_timeout: "bot",
    owner_released: "waiting",
  },
  shared: {
    handoff_requested: null,
    human_assigned: "shared",
    bot_drafting_enabled: null,
    bot_drafting_disabled: "human",
    returned_to_bot: "bot",
    resolved: "resolved",
    customer_wrote: "shared",
    idle_timeout: "bot",
    owner_released: "waiting",
  },
  resolved: {
    handoff_requested: "waiting",
    human_assigned: "human",
    bot_drafting_enabled: null,
    bot_drafting_disabled: null,
    returned_to_bot: null,
    resolved: null,
    customer_wrote: "bot",
    idle_timeout: null,
    owner_released: null,
  },
};

export type TransitionResult = { ok: true; mode: ConversationMode } | { ok: false; mode: ConversationMode; refused: ConversationEvent };

export function transition(mode: ConversationMode, event: ConversationEvent): TransitionResult {
  const next = conversationTransitions[mode][event];
  return next === null ? { ok: false, mode, refused: event } : { ok: true, mode: next };
}

/** Whether the bot may answer the customer on its own in this mode. */
export function botMayReply(mode: ConversationMode): boolean {
  switch (mode) {
    case "bot":
    case "resolved":
      return true;
    case "waiting":
    case "human":
    case "shared":
      return false;
    default:
      return mode satisfies never;
  }
}
