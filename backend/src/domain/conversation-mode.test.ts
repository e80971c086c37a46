import { describe, expect, it } from "vitest";
import { botMayReply, conversationEvents, conversationModes, transition, type ConversationEvent, type ConversationMode } from "./conversation-mode.js";

// The expected outcome of every (mode, event) pair, written out independently of the table: null is refused.
const expected: Record<ConversationMode, Record<ConversationEvent, ConversationMode | null>> = {
  bot: { handoff_requested: "waiting", human_assigned: "human", bot_drafting_enabled: null, bot_drafting_disabled: null, returned_to_bot: null, resolved: "resolved", customer_wrote: "bot", idle_timeout: null, owner_released: null },
  waiting: { handoff_requested: "waiting", human_assigned: "human", bot_drafting_enabled: null, bot_drafting_disabled: null, returned_to_bot: "bot", resolved: "resolved", customer_wrote: "waiting", idle_timeout: null, owner_released: null },
  human: { handoff_requested: null, human_assigned: "human", bot_drafting_enabled: "shared", bot_drafting_disabled: null, returned_to_bot: "bot", resolved: "resolved", customer_wrote: "human", idle_timeout: "bot", owner_released: "waiting" },
  shared: { handoff_requested: null, human_assigned: "shared", bot_drafting_enabled: null, bot_drafting_disabled: "human", returned_to_bot: "bot", resolved: "resolved", customer_wrote: "shared", idle_timeout: "bot", owner_released: "waiting" },
  resolved: { handoff_requested: "waiting", human_assigned: "human", bot_drafting_enabled: null, bot_drafting_disabled: null, returned_to_bot: null, resolved: null, customer_wrote: "bot", idle_timeout: null, owner_released: null },
};

describe("conversation mode transitions", () => {
  const pairs = conversationModes.flatMap((mode) => conversationEvents.map((event) => [mode, event] as const));

  it("covers all 45 (mode, event) pairs", () => {
    expect(pairs).toHaveLength(45);
  });

  it.each(pairs)("%s + %s", (mode, event) => {
    const result = transition(mode, event);
    const next = expected[mode][event];
    if (next === null) expect(result).toEqual({ ok: false, mode, refused: event });
    else expect(result).toEqual({ ok: true, mode: next });
  });

  it("lets the bot speak on its own only in bot mode or to reopen a resolved conversation", () => {
    expect(conversationModes.filter(botMayReply)).toEqual(["bot", "resolved"]);
  });
});
