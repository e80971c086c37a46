import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

const live = {
  WHATSAPP_ACCESS_TOKEN: "EAAG-token",
  WHATSAPP_APP_SECRET: "app-secret",
  WHATSAPP_VERIFY_TOKEN: "verify",
  WHATSAPP_PHONE_NUMBER_ID: "106540352242922",
};

describe("configuration", () => {
  it("runs in sandbox mode on the embedded store with no settings at all", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ mode: "sandbox", port: 3000, store: { kind: "sqlite", file: "./data/salesbot.sqlite" } });
    expect(config.whatsapp.graphBaseUrl).toBeNull();
  });

  it("runs in live mode against graph.facebook.com with a current version once a token is set", () => {
    const config = loadConfig(live);
    expect(config.mode).toBe("live");
    expect(config.whatsapp.graphBaseUrl).toBe("https://graph.facebook.com");
    expect(Number(config.whatsapp.graphVersion.slice(1))).toBeGreaterThanOrEqual(24);
  });

  it.each(["WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "WHATSAPP_PHONE_NUMBER_ID"])("refuses to start live without %s", (name) => {
    expect(() => loadConfig({ ...live, [name]: "" })).toThrow(new RegExp(name));
  });

  it("needs a shared secrets key for PostgreSQL in live mode", () => {
    expect(() => loadConfig({ ...live, DATABASE_URL: "postgres://localhost/db" })).toThrow(/SECRETS_KEY/);
    expect(loadConfig({ ...live, DATABASE_URL: "postgres://localhost/db", SECRETS_KEY: Buffer.alloc(32).toString("base64") }).store).toEqual({
      kind: "postgres",
      url: "postgres://localhost/db",
    });
  });

  it("names every invalid variable in one clear error", () => {
    try {
      loadConfig({ PORT: "eighty", DATABASE_URL: "mysql://x", SECRETS_KEY: "short", API_TOKEN: "abc" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      for (const name of ["PORT", "DATABASE_URL", "SECRETS_KEY", "API_TOKEN"]) expect((error as Error).message).toContain(name);
    }
  });

  it("switches the job runner off for a web-only process", () => {
    expect(loadConfig({ PROCESS_ROLE: "web" }).jobs.enabled).toBe(false);
    expect(loadConfig({}).jobs.enabled).toBe(true);
  });

  it("uses the built-in agent unless told otherwise, and reads the LLM settings whenever a key is set", () => {
    expect(loadConfig({}).agent).toEqual({ engine: "builtin", llm: null });
    expect(loadConfig({ OPENAI_API_KEY: "sk-x" }).agent).toEqual({
      engine: "builtin",
      llm: { apiKey: "sk-x", baseUrl: "https://api.openai.com/v1", model: "gpt-4o-mini", timeoutMs: 15_000 },
    });
    const config = loadConfig({ AGENT_ENGINE: "llm", OPENAI_API_KEY: "sk-x", OPENAI_BASE_URL: "http://127.0.0.1:8080/v1/", OPENAI_MODEL: "llama3", OPENAI_TIMEOUT_MS: "4000" });
    expect(config.agent).toEqual({ engine: "llm", llm: { apiKey: "sk-x", baseUrl: "http://127.0.0.1:8080/v1", model: "llama3", timeoutMs: 4000 } });
  });

  it("refuses to start the LLM engine without a key", () => {
    expect(() => loadConfig({ AGENT_ENGINE: "llm" })).toThrow(ConfigError);
    expect(() => loadConfig({ AGENT_ENGINE: "llm", OPENAI_API_KEY: " " })).toThrow(/AGENT_ENGINE=llm needs OPENAI_API_KEY/);
    expect(() => loadConfig({ AGENT_ENGINE: "gpt" })).toThrow(/AGENT_ENGINE/);
  });
});
