/**
 * Voice notes, photos, files, stickers and shared places, as WhatsApp delivers them, through the whole
 * backend with the built-in engine: the bot cannot read them, says so in the customer's language, and
 * keeps its qualification question open; a caption is read as the customer's words.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZAgentSettings } from "@salesbot/shared";
import { demoKnowledge } from "../../backend/src/sandbox/demo-knowledge.js";
import { startTestBackend, TEST_PHONE_NUMBER_ID, type TestBackend } from "../support/backend.js";
import { Customer } from "../support/chat.js";
import { envelope } from "../support/webhooks.js";

let waIds = 16505558100;
let wamids = 0;

describe("attachments the bot cannot read", () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend();
    await t.backend.store.transaction((tx) => tx.replaceKnowledge("default", demoKnowledge, Date.now()));
    await t.backend.store.putAgentSettings("default", ZAgentSettings.parse({ companyName: "Acme" }), Date.now());
  });
  afterAll(async () => t.close());

  /** The customer sends one WhatsApp message of `type` with `content`; returns the business messages sent in answer. */
  async function sends(customer: Customer, type: string, content: Record<string, unknown>): Promise<string[]> {
    const before = customer.phone().filter((m) => m.direction === "to_customer").length;
    const message = { from: customer.waId, id: `wamid.attachment-${++wamids}`, timestamp: String(Math.floor(Date.now() / 1000)), type, [type]: content };
    const body = envelope(TEST_PHONE_NUMBER_ID, { contacts: [{ profile: { name: customer.name }, wa_id: customer.waId }], messages: [message] });
    expect((await t.postWebhook(body)).status).toBe(200);
    await t.backend.runner.idle();
    const replies = customer.phone().filter((m) => m.direction === "to_customer").slice(before).map((m) => m.text);
    customer.catchUp();
    return replies;
  }
  const voice = () => ({ id: t.whatsapp.simulator.addMedia(new Uint8Array([1, 2, 3]), "audio/ogg"), mime_type: "audio/ogg; codecs=opus", voice: true });
  const photo = (caption?: string) => ({ id: t.whatsapp.simulator.addMedia(new Uint8Array([0xff, 0xd8]), "image/jpeg"), mime_type: "image/jpeg", ...(caption ? { caption } : {}) });

  it("asks for a voice note in writing, in the customer's language, and keeps its question open", async () => {
    const ana = new Customer(t, String(waIds++), "Ana");
    await ana.says("Olá");
    await ana.says("queremos atender leads do WhatsApp no HubSpot");
    expect(await sends(ana, "audio", voice())).toEqual(["Aqui não consigo ouvir mensagens de voz nem ver vídeos. Pode me escrever a mensagem?"]);
    expect(await ana.says("Growth")).toEqual([expect.stringMatching(/pessoas/)]);
    const { conversation } = await ana.conversation();
    expect(conversation.mode).toBe("bot");
    expect(conversation.agent.qualification).toMatchObject({ need: "queremos atender leads do WhatsApp no HubSpot", product_interest: "Growth" });
  });

  it("asks for a photo, a file or a place in words, and stores none of them as the need", async () => {
    for (const [type, content] of [
      ["image", photo()],
      ["document", { id: t.whatsapp.simulator.addMedia(new Uint8Array([0x25, 0x50]), "application/pdf"), mime_type: "application/pdf", filename: "requirements.pdf" }],
      ["location", { latitude: 38.72, longitude: -9.14, name: "Lisbon office", address: "Av. da Liberdade 1, Lisbon" }],
    ] as const) {
      const ben = new Customer(t, String(waIds++), "Ben");
      await ben.says("Hi");
      expect(await sends(ben, type, content), type).toEqual([expect.stringMatching(/^Thanks! I can only read text here/)]);
      const { conversation } = await ben.conversation();
      expect(conversation.mode, type).toBe("bot");
      expect(conversation.agent.qualification.need, type).toBeNull();
    }
  });

  it("answers nothing to a sticker", async () => {
    const cy = new Customer(t, String(waIds++), "Cy");
    await cy.says("Hi");
    expect(await sends(cy, "sticker", { id: t.whatsapp.simulator.addMedia(new Uint8Array([0x52]), "image/webp"), mime_type: "image/webp", animated: false })).toEqual([]);
  });

  it("reads a photo's caption as what the customer says", async () => {
    const di = new Customer(t, String(waIds++), "Di");
    expect(await sends(di, "image", photo("Do you integrate with HubSpot?"))).toEqual([demoKnowledge.find((k) => k.id === "integrations")!.body]);
  });
});
