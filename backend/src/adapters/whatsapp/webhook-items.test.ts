import { describe, expect, it } from "vitest";
import { splitWebhook } from "./webhook-items.js";

const value = (extra: Record<string, unknown>) => ({ messaging_product: "whatsapp", metadata: { phone_number_id: "P1" }, ...extra });

describe("splitting a webhook body into items", () => {
  it("reads every entry, change, message, status and error, messages first", () => {
    const body = {
      object: "whatsapp_business_account",
      entry: [
        { id: "w1", changes: [{ field: "messages", value: value({ statuses: [{ id: "s1", status: "read" }], messages: [{ id: "m1", type: "text", from: "1" }] }) }] },
        {
          id: "w2",
          changes: [
            { field: "messages", value: value({ errors: [{ code: 130429, title: "Rate limit hit" }] }) },
            { field: "messages", value: value({ messages: [{ id: "m2", type: "image", from: "2" }, { id: "m3", type: "text", from: "2" }] }) },
            { field: "user_preferences", value: { user_preferences: [{ wa_id: "1", value: "stop" }] } },
          ],
        },
      ],
    };
    const { items, envelopeProblem } = splitWebhook(body);
    expect(envelopeProblem).toBeNull();
    expect(items.map((i) => i.kind)).toEqual(["message", "message", "message", "status", "value_error", "unknown_field"]);
    expect(items.slice(0, 3).map((i) => (i.kind === "message" ? i.message.id : ""))).toEqual(["m1", "m2", "m3"]);
  });

  it("turns a malformed item into a malformed item and keeps its neighbours", () => {
    const body = { object: "whatsapp_business_account", entry: [{ changes: [{ field: "messages", value: value({ messages: [{ id: "ok", type: "text", from: "1" }, { type: "text" }, "junk"] }) }] }, 7] };
    const { items } = splitWebhook(body);
    expect(items.filter((i) => i.kind === "message")).toHaveLength(1);
    expect(items.filter((i) => i.kind === "malformed").map((i) => (i.kind === "malformed" ? i.where : ""))).toEqual([
      "entry[0].changes[0].value.messages[1]",
      "entry[0].changes[0].value.messages[2]",
      "entry[1]",
    ]);
  });

  it("attaches the matching contact, or the only one when Meta spells the BSUID differently", () => {
    const body = {
      object: "whatsapp_business_account",
      entry: [{ changes: [{ field: "messages", value: value({ contacts: [{ profile: { name: "S" }, user_id: "uUS.1" }], messages: [{ id: "m", type: "text", from_user_id: "US.1" }] }) }] }],
    };
    const [item] = splitWebhook(body).items;
    expect(item).toMatchObject({ kind: "message", contact: { profile: { name: "S" } } });
  });

  it("reports a body that is not an envelope", () => {
    expect(splitWebhook({ hello: 1 }).envelopeProblem).toMatch(/object|entry/);
  });
});
