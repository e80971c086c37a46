import { describe, expect, it } from "vitest";
import type { Message } from "../domain/ports/store.js";
import { toTurn } from "./agent-input.js";

const inbound = (type: string, payload: unknown, text: string): Message => ({
  seq: 1,
  tenantId: "t",
  conversationId: "c",
  direction: "inbound",
  sender: "customer",
  wamid: "wamid.1",
  type,
  text,
  payload,
  status: "received",
  errors: null,
  waTimestamp: null,
  createdAt: 0,
});

describe("a stored message as the agent sees it", () => {
  it("tells a voice note from an audio file by what Meta sent, not by how the text renders it", () => {
    expect(toTurn(inbound("audio", { type: "audio", audio: { id: "m1", voice: true } }, "[voice message]")).attachment).toBe("voice");
    expect(toTurn(inbound("audio", { type: "audio", audio: { id: "m2", voice: false } }, "[audio]")).attachment).toBe("audio");
    // A customer who types the label is still writing text.
    expect(toTurn(inbound("text", { type: "text", text: { body: "[voice message]" } }, "[voice message]")).attachment).toBeUndefined();
    expect(toTurn(inbound("audio", "not an object", "[voice message] hi")).attachment).toBe("audio");
  });
});
