/**
 * What an operator relies on: health and readiness, Prometheus metrics, and the dead-letter list
 * behind a bearer token (inspect, replay).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBackend, TEST_API_TOKEN, TEST_PHONE_NUMBER_ID, type TestBackend } from "../support/backend.js";
import { envelope } from "../support/webhooks.js";

describe("operations endpoints", () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend();
  });
  afterAll(async () => t.close());

  const admin = (path: string, init: RequestInit = {}, token: string | null = TEST_API_TOKEN) =>
    fetch(`${t.backend.url}/admin${path}`, { ...init, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it("reports liveness and readiness (store reachable, migrations applied)", async () => {
    expect(await (await fetch(`${t.backend.url}/healthz`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${t.backend.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });

  it("exposes Prometheus metrics that count webhooks", async () => {
    await t.postWebhook(envelope(TEST_PHONE_NUMBER_ID, { errors: [{ code: 130429, title: "Rate limit hit" }] }));
    const response = await fetch(`${t.backend.url}/metrics`);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^whatsapp_webhook_requests_total\{outcome="stored"\} [1-9]/m);
    expect(text).toMatch(/^jobs_queued\{state="dead"\} \d+/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it("refuses the admin API without the operator token", async () => {
    expect((await admin("/jobs/dead", {}, null)).status).toBe(401);
    expect((await admin("/jobs/dead", {}, "wrong-token-wrong-token-wrong")).status).toBe(401);
  });

  it("lists a dead job and replays it", async () => {
    // A message that names no sender can never be processed: it goes to the dead-letter list (a lone
    // message is handled by the job that processes its webhook, so that is the job that dies).
    const body = envelope(TEST_PHONE_NUMBER_ID, { messages: [{ id: "wamid.orphan", timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: "?" } }] });
    await t.postWebhook(body);
    await t.backend.runner.idle();
    const listed = (await (await admin("/jobs/dead")).json()) as { jobs: Array<{ id: number; kind: string; lastError: string }> };
    const dead = listed.jobs.find((job) => job.lastError.includes("wamid.orphan"));
    expect(dead).toMatchObject({ kind: "webhook.process" });

    const replay = await admin(`/jobs/${dead!.id}/replay`, { method: "POST" });
    expect(replay.status).toBe(200);
    await t.backend.runner.idle();
    // Still unprocessable, so it is back on the list with a fresh attempt count: nothing was lost.
    const again = (await (await admin("/jobs/dead")).json()) as { jobs: Array<{ id: number; attempts: number }> };
    expect(again.jobs.find((job) => job.id === dead!.id)).toMatchObject({ attempts: 1 });
    expect((await admin(`/jobs/999999/replay`, { method: "POST" })).status).toBe(404);
    expect((await admin(`/jobs/abc/replay`, { method: "POST" })).status).toBe(400);
  });

  it("keeps what it could not act on: value-level errors are listed as channel events", async () => {
    const events = (await (await admin("/channel-events")).json()) as { events: Array<{ kind: string; code: number }> };
    expect(events.events).toContainEqual(expect.objectContaining({ kind: "value_error", code: 130429 }));
  });

  it("lets an operator replace a tenant's knowledge base and agent settings, validated", async () => {
    const json = (body: unknown) => ({ method: "PUT", body: JSON.stringify(body) });
    const entries = [{ id: "trial", kind: "faq", title: "Free trial", body: "Every plan has a 14-day free trial." }];
    const put = await fetch(`${t.backend.url}/admin/tenants/default/knowledge`, { ...json({ entries }), headers: { authorization: `Bearer ${TEST_API_TOKEN}` } });
    expect(put.status).toBe(200);
    const listed = (await (await admin("/tenants/default/knowledge")).json()) as { entries: Array<{ id: string; language: string }> };
    expect(listed.entries).toEqual([expect.objectContaining({ id: "trial", language: "en" })]);
    const bad = await fetch(`${t.backend.url}/admin/tenants/default/knowledge`, { ...json({ entries: [{ id: "x", kind: "poem" }] }), headers: { authorization: `Bearer ${TEST_API_TOKEN}` } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/kind/);
    const settings = await fetch(`${t.backend.url}/admin/tenants/default/agent-settings`, { ...json({ companyName: "Acme", escalation: { highValueScore: 50 } }), headers: { authorization: `Bearer ${TEST_API_TOKEN}` } });
    expect(await settings.json()).toMatchObject({ companyName: "Acme", escalation: { highValueScore: 50, lowConfidence: 0.35 } });
    expect((await admin("/tenants/nobody/knowledge")).status).toBe(404);
    expect((await admin("/tenants/default/knowledge", {}, null)).status).toBe(401);
    // Every tenant-scoped route, including outgoing webhooks, refuses a tenant that does not exist.
    for (const [method, path, body] of [
      ["PUT", "/tenants/nobody/agent-settings", { companyName: "Ghost" }],
      ["PUT", "/tenants/nobody/reps/r1", { name: "Ghost", teams: ["sales"] }],
      ["GET", "/tenants/nobody/inbox-settings", undefined],
      ["POST", "/tenants/nobody/webhooks", { url: "https://example.com/hook" }],
      ["GET", "/tenants/nobody/webhooks", undefined],
    ] as const) {
      const response = await admin(path, { method, ...(body ? { body: JSON.stringify(body) } : {}) });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(((await response.json()) as { error: { message: string } }).error.message).toBe("No such tenant.");
    }
    expect((await admin("/tenants/nobody/webhooks", {}, null)).status).toBe(401);
  });

  it("lets an operator map CRM users as reps and set routing rules and SLAs", async () => {
    const put = (path: string, body: unknown) => fetch(`${t.backend.url}/admin${path}`, { method: "PUT", body: JSON.stringify(body), headers: { authorization: `Bearer ${TEST_API_TOKEN}` } });
    expect((await put("/tenants/default/reps/hubspot-owner-42", { name: "Dana", teams: ["sales"], capacity: 8 })).status).toBe(200);
    expect(await (await admin("/tenants/default/reps")).json()).toEqual({ reps: [expect.objectContaining({ id: "hubspot-owner-42", capacity: 8, status: "available" })] });
    expect((await put("/tenants/default/reps/x", { name: "No team", teams: [] })).status).toBe(400);
    const settings = await put("/tenants/default/inbox-settings", { rules: [{ when: { vip: true }, team: "key-accounts", priority: "urgent" }], sla: { high: { firstResponseMinutes: 10, nextResponseMinutes: 20, resolutionMinutes: 240 } } });
    expect(await settings.json()).toMatchObject({ rules: [{ team: "key-accounts" }], sla: { high: { firstResponseMinutes: 10 }, normal: { firstResponseMinutes: 60 } }, reopenTo: "bot" });
    expect((await put("/tenants/default/inbox-settings", { reopenTo: "somewhere" })).status).toBe(400);
  });

  it("answers unknown routes with the error envelope", async () => {
    const response = await fetch(`${t.backend.url}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("never serves the sandbox phone in live mode", async () => {
    expect((await fetch(`${t.backend.url}/`)).status).toBe(404);
    expect((await fetch(`${t.backend.url}/sandbox/api/phone`)).status).toBe(404);
  });
});
