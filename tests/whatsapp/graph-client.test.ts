/**
 * The WhatsApp gateway port, driven through our Graph API client against the Cloud API fake on
 * loopback: every message kind goes out in Meta's wire format, and Meta's errors come back as
 * WhatsAppSendError with Meta's code.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SendMessageRequest } from "@salesbot/shared";
import { GraphClient } from "../../backend/src/adapters/whatsapp/graph-client.js";
import { WhatsAppSendError } from "../../backend/src/domain/ports/whatsapp.js";
import { startFakeWhatsApp, type FakeWhatsApp } from "../fakes/whatsapp-cloud.js";

const credentials = { phoneNumberId: "106540352242922", accessToken: "EAAG-gateway-token" };
const base = { messaging_product: "whatsapp", recipient_type: "individual", to: "16505551234" } as const;

describe("WhatsApp gateway: Graph API client against the Cloud API fake", () => {
  let fake: FakeWhatsApp;
  let client: GraphClient;
  beforeAll(async () => {
    fake = await startFakeWhatsApp({ appSecret: "s", accessToken: credentials.accessToken, phoneNumberId: credentials.phoneNumberId, displayPhoneNumber: "15550783881" });
    client = new GraphClient({ baseUrl: fake.url, version: "v25.0", timeoutMs: 2000 });
  });
  afterAll(async () => fake.close());

  const requests: Array<[string, SendMessageRequest]> = [
    ["text", { ...base, type: "text", text: { body: "Hello 👋 café", preview_url: false } }],
    [
      "reply buttons",
      { ...base, type: "interactive", interactive: { type: "button", body: { text: "Pick one" }, action: { buttons: [{ type: "reply", reply: { id: "a", title: "Yes" } }, { type: "reply", reply: { id: "b", title: "No" } }] } } },
    ],
    [
      "list",
      {
        ...base,
        type: "interactive",
        interactive: { type: "list", body: { text: "Plans" }, action: { button: "See plans", sections: [{ title: "Plans", rows: [{ id: "starter", title: "Starter", description: "Up to 5 seats" }] }] } },
      },
    ],
    ["template", { ...base, type: "template", template: { name: "follow_up", language: { code: "en_US" }, components: [{ type: "body", parameters: [{ type: "text", parameter_name: "name", text: "Ana" } as never] }] } }],
    ["image by link", { ...base, type: "image", image: { link: "https://example.com/brochure.png", caption: "Brochure" } }],
    ["document by id", { ...base, type: "document", document: { id: "1234", filename: "quote.pdf" } }],
    ["to a BSUID", { messaging_product: "whatsapp", recipient: "US.13491208655302741918", type: "text", text: { body: "Hi" } }],
  ];

  it.each(requests)("sends %s exactly as given and returns Meta's wamid", async (_, request) => {
    const before = fake.simulator.requests.length;
    const { wamid } = await client.sendMessage(credentials, request);
    expect(wamid).toMatch(/^wamid\./);
    const sent = fake.simulator.requests[before]!;
    expect(sent).toMatchObject({ method: "POST", path: `/v25.0/${credentials.phoneNumberId}/messages`, authorization: `Bearer ${credentials.accessToken}` });
    expect(sent.body).toEqual(request);
  });

  it("refuses to send a request that breaks Meta's limits before it leaves", async () => {
    const before = fake.simulator.requests.length;
    const tooManyButtons = { ...base, type: "interactive", interactive: { type: "button", body: { text: "x" }, action: { buttons: ["1", "2", "3", "4"].map((id) => ({ type: "reply", reply: { id, title: id } })) } } };
    await expect(client.sendMessage(credentials, tooManyButtons as SendMessageRequest)).rejects.toThrow();
    expect(fake.simulator.requests.length).toBe(before);
  });

  it("marks a message read, with and without the typing indicator", async () => {
    await client.markRead(credentials, "wamid.IN1", { typing: true });
    await client.markRead(credentials, "wamid.IN2", { typing: false });
    const [withTyping, plain] = fake.simulator.requests.slice(-2).map((r) => r.body);
    expect(withTyping).toEqual({ messaging_product: "whatsapp", status: "read", message_id: "wamid.IN1", typing_indicator: { type: "text" } });
    expect(plain).toEqual({ messaging_product: "whatsapp", status: "read", message_id: "wamid.IN2" });
  });

  it("downloads media in two steps (URL, then bytes with the token)", async () => {
    const id = fake.simulator.addMedia(new Uint8Array([1, 2, 3, 4]), "audio/ogg");
    const file = await client.downloadMedia(credentials, id);
    expect([...file.bytes]).toEqual([1, 2, 3, 4]);
    expect(file.mimeType).toBe("audio/ogg");
    const [lookup, download] = fake.simulator.requests.slice(-2);
    expect(lookup!.path).toBe(`/v25.0/${id}`);
    expect(download!.authorization).toBe(`Bearer ${credentials.accessToken}`);
  });

  it("translates Meta's error body into WhatsAppSendError with the code and details only", async () => {
    fake.simulator.failNextSends({ httpStatus: 400, code: 131047, message: "Re-engagement message", details: "Message failed to send because more than 24 hours have passed" });
    const error = await client.sendMessage(credentials, requests[0]![1]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhatsAppSendError);
    expect(error).toMatchObject({ httpStatus: 400, code: 131047, details: expect.stringMatching(/24 hours/) });
  });

  it("reports a refused token as code 190", async () => {
    const error = await client.sendMessage({ ...credentials, accessToken: "wrong" }, requests[0]![1]).catch((e: unknown) => e);
    expect(error).toMatchObject({ httpStatus: 401, code: 190 });
  });

  it("reports an unreachable Graph API as a retryable status-0 error, without hanging", async () => {
    const offline = new GraphClient({ baseUrl: "http://127.0.0.1:9", version: "v25.0", timeoutMs: 500 });
    await expect(offline.sendMessage(credentials, requests[0]![1])).rejects.toMatchObject({ httpStatus: 0, code: undefined });
  });
});
