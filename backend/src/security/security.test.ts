import { describe, expect, it } from "vitest";
import { SecretBox } from "./secret-box.js";
import { signBody, verifyBodySignature } from "./signature.js";

describe("webhook signatures", () => {
  const body = Buffer.from('{"object":"whatsapp_business_account","entry":[{"t":"caf\\u00e9 \\/"}]}');

  it("accepts Meta's sha256=<hex> HMAC of the raw bytes with the app secret", () => {
    expect(verifyBodySignature("s3cret", body, signBody("s3cret", body))).toBe(true);
    // Known answer, so a change of algorithm or encoding cannot pass unnoticed.
    expect(signBody("key", "The quick brown fox jumps over the lazy dog")).toBe("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  });

  it.each([
    ["no header", undefined],
    ["empty", ""],
    ["sha1 prefix", "sha1=" + signBody("s3cret", body).slice(7)],
    ["not hex", "sha256=zzzz"],
    ["truncated", signBody("s3cret", body).slice(0, 40)],
    ["other key", signBody("other", body)],
  ])("refuses %s", (_, header) => {
    expect(verifyBodySignature("s3cret", body, header)).toBe(false);
  });

  it("refuses a body changed by one byte, e.g. re-serialised without Meta's escapes", () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
    expect(reserialised.equals(body)).toBe(false);
    expect(verifyBodySignature("s3cret", reserialised, signBody("s3cret", body))).toBe(false);
  });
});

describe("secrets at rest", () => {
  const box = new SecretBox(Buffer.alloc(32, 1));

  it("round-trips, never stores the plaintext, and uses a fresh nonce each time", () => {
    const sealed = box.seal("EAAG-secret-token");
    expect(sealed).not.toContain("EAAG");
    expect(box.open(sealed)).toBe("EAAG-secret-token");
    expect(box.seal("EAAG-secret-token")).not.toBe(sealed);
  });

  it("detects tampering and a wrong key", () => {
    const sealed = box.seal("token");
    const parts = sealed.split(".");
    const flipped = [parts[0], parts[1], parts[2], Buffer.from("tampered").toString("base64url")].join(".");
    expect(() => box.open(flipped)).toThrow();
    expect(() => new SecretBox(Buffer.alloc(32, 2)).open(sealed)).toThrow();
    expect(() => new SecretBox(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});
