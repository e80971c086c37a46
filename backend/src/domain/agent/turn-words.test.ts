import { describe, expect, it } from "vitest";
import { onlyAttachments, wordsOf } from "./turn-words.js";

const turn = (text: string, attachment?: Parameters<typeof wordsOf>[0]["attachment"]) => ({ from: "customer" as const, text, at: 0, ...(attachment ? { attachment } : {}) });

describe("the customer's own words in a turn", () => {
  it("are the text of a text message, whatever it looks like", () => {
    expect(wordsOf(turn("[image] is not an image here"))).toBe("[image] is not an image here");
  });

  it("are the caption of a photo, a video or a file, and nothing of a file's name", () => {
    expect(wordsOf(turn("[image] our current setup", "image"))).toBe("our current setup");
    expect(wordsOf(turn("[image]", "image"))).toBe("");
    expect(wordsOf(turn("[document] requirements.pdf", "document"))).toBe("");
    expect(wordsOf(turn("[document] here are our requirements", "document"))).toBe("here are our requirements");
  });

  it("are nothing for a voice note, a sticker, a place or a contact card", () => {
    expect(wordsOf(turn("[voice message]", "voice"))).toBe("");
    expect(wordsOf(turn("[sticker]", "sticker"))).toBe("");
    expect(wordsOf(turn("[location] Lisbon office, Av. da Liberdade 1", "location"))).toBe("");
    expect(wordsOf(turn("[contacts] Ana Lima", "contacts"))).toBe("");
  });

  it("tell turns of attachments alone from turns with words", () => {
    expect(onlyAttachments([turn("[voice message]", "voice"), turn("[image]", "image")])).toBe(true);
    expect(onlyAttachments([turn("[image] our current setup", "image")])).toBe(false);
    expect(onlyAttachments([turn("[voice message]", "voice"), turn("hello")])).toBe(false);
    expect(onlyAttachments([])).toBe(false);
  });
});
