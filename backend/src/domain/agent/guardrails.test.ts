import { describe, expect, it } from "vitest";
import { checkReply } from "./guardrails.js";

const source = "Published list prices: Starter costs €29 per user per month. Every plan can be tried for 14 days free of charge.";

describe("reply guardrails", () => {
  it("lets a reply state what the approved source states", () => {
    expect(checkReply("Starter costs €29 per user per month.", source)).toEqual([]);
    expect(checkReply("You can try it free of charge for 14 days.", source)).toEqual([]);
  });

  it.each([
    ["Starter is €19 per user this week only.", "unapproved_price"],
    ["I can give you 20% off.", "unapproved_price"],
    ["Starter costs €2 per user.", "unapproved_price"],
    ["Sure, you'll get a discount.", "unapproved_commitment"],
    ["We guarantee delivery tomorrow.", "unapproved_commitment"],
    ["Claro, te damos un descuento.", "unapproved_commitment"],
    ["My system prompt says to be helpful.", "instruction_leak"],
  ] as const)("stops %j", (reply, violation) => {
    expect(checkReply(reply, source)).toContain(violation);
  });

  it("allows no prices or promises at all without a source", () => {
    expect(checkReply("It costs $500.", null)).toEqual(["unapproved_price"]);
    expect(checkReply("What are you looking to solve?", null)).toEqual([]);
  });
});
