/**
 * A customer's file, as the inbox serves it: downloaded once from Meta into our storage, then given
 * to a verified caller of its tenant only, and never as a page of ours, whatever type the customer's
 * phone declared for it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mediaResponseHeaders, servedMediaType } from "../../backend/src/http/inbox/media-headers.js";
import { startTestBackend, TEST_API_TOKEN, TEST_PHONE_NUMBER_ID, type TestBackend } from "../support/backend.js";
import { envelope, newWamid } from "../support/webhooks.js";

describe("media in the inbox", () => {
  let t: TestBackend;
  let waId = 16505559100;

  const getMedia = (mediaId: string, tenant = "default") =>
    fetch(`${t.backend.url}/api/v1/media/${encodeURIComponent(mediaId)}`, {
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, "x-salesbot-tenant": tenant, "x-salesbot-user": "ana" },
    });

  /** A customer sends a file of `type` ("image", "document", "audio") that Meta holds as `mediaId`. */
  async function customerSendsFile(type: "image" | "document" | "audio", mediaId: string, mimeType: string): Promise<void> {
    const from = String(waId++);
    const body = envelope(TEST_PHONE_NUMBER_ID, {
      contacts: [{ profile: { name: "Sam Rivera" }, wa_id: from }],
      messages: [{ from, id: newWamid(), timestamp: String(Math.floor(Date.now() / 1000)), type, [type]: { id: mediaId, mime_type: mimeType, sha256: "c2hh" } }],
    });
    expect((await t.postWebhook(body)).status).toBe(200);
    await t.backend.runner.idle();
  }

  const downloadsOf = (mediaId: string) => t.whatsapp.simulator.requests.filter((r) => r.method === "GET" && r.path.endsWith(`/media-download/${mediaId}`)).length;

  beforeAll(async () => {
    t = await startTestBackend();
    await t.backend.store.upsertTenant({ id: "other", name: "Other Co" }, Date.now());
  });
  afterAll(async () => t?.close());

  it("serves a photo's exact bytes inline, as the type Meta declared, to its own tenant only", async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 9, 8, 7]);
    const mediaId = t.whatsapp.simulator.addMedia(bytes, "image/jpeg");
    await customerSendsFile("image", mediaId, "image/jpeg");

    const response = await getMedia(mediaId);
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
    expect(response.headers.get("content-type")).toBe("image/jpeg");
    expect(response.headers.get("content-disposition")).toBe("inline");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toMatch(/sandbox/);

    expect((await getMedia(mediaId, "other")).status).toBe(404);
    expect((await getMedia("no-such-media")).status).toBe(404);
  });

  it("hands a file a browser would run as a page (HTML, SVG) over as a download that runs no script", async () => {
    for (const mimeType of ["text/html", "image/svg+xml"]) {
      const mediaId = t.whatsapp.simulator.addMedia(new TextEncoder().encode("<svg onload=alert(1)><script>alert(1)</script>"), mimeType);
      await customerSendsFile("document", mediaId, mimeType);
      const response = await getMedia(mediaId);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-disposition")).toBe("attachment");
      expect(response.headers.get("content-type")).toBe(mimeType);
      expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("keeps a voice note's codec and serves a type it cannot vouch for as plain bytes", async () => {
    const voice = t.whatsapp.simulator.addMedia(new Uint8Array([0x4f, 0x67, 0x67, 0x53]), "audio/ogg; codecs=opus");
    await customerSendsFile("audio", voice, "audio/ogg; codecs=opus");
    const played = await getMedia(voice);
    expect(played.headers.get("content-type")).toBe("audio/ogg; codecs=opus");
    expect(played.headers.get("content-disposition")).toBe("inline");

    const odd = t.whatsapp.simulator.addMedia(new Uint8Array([1, 2]), "text/html<b>");
    await customerSendsFile("document", odd, "text/html<b>");
    const served = await getMedia(odd);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("application/octet-stream");
    expect(served.headers.get("content-disposition")).toBe("attachment");
  });

  it("downloads a file from Meta once, however many messages name it", async () => {
    const mediaId = t.whatsapp.simulator.addMedia(new Uint8Array([1, 2, 3]), "image/png");
    await customerSendsFile("image", mediaId, "image/png");
    await customerSendsFile("image", mediaId, "image/png");
    expect(downloadsOf(mediaId)).toBe(1);
    expect((await getMedia(mediaId)).status).toBe(200);
  });
});

describe("the type a customer's file is served as", () => {
  it("keeps simple parameters, drops the rest, and falls back to bytes for anything that is not a media type", () => {
    expect(servedMediaType("Audio/OGG; codecs=opus")).toEqual({ contentType: "audio/ogg; codecs=opus", essence: "audio/ogg" });
    expect(servedMediaType("text/plain; charset=utf-8; x=\"a b\"")).toEqual({ contentType: "text/plain; charset=utf-8", essence: "text/plain" });
    for (const declared of ["", "image", "image/", "/png", "text/html<b>", "image/png\r\nx-evil: 1", "image/png image/jpeg"]) {
      expect(servedMediaType(declared).contentType, declared).toBe("application/octet-stream");
    }
  });

  it("shows only pictures, sound and video inline", () => {
    const disposition = (type: string) => mediaResponseHeaders(type)["content-disposition"];
    expect(["image/jpeg", "image/png", "image/webp", "image/gif", "audio/mpeg", "video/mp4"].map(disposition)).toEqual(Array(6).fill("inline"));
    expect(["image/svg+xml", "text/html", "application/xhtml+xml", "text/xml", "application/pdf", "application/octet-stream"].map(disposition)).toEqual(Array(6).fill("attachment"));
  });
});
