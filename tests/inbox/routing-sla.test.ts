/**
 * Routing and SLA through the real backend: round robin, capacity and the queue, a rep going away,
 * out-of-hours queueing, SLA warnings and breaches that fire from durable timers even across a
 * restart, and the missed-handoff review.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ZInboxSettings, type Rep } from "@salesbot/shared";
import { startTestBackend, TEST_API_TOKEN, type TestBackend } from "../support/backend.js";
import { Customer } from "../support/chat.js";
import { ShiftableClock } from "../support/clock.js";

const TENANT = "default";
const rep = (id: string, extra: Partial<Rep> = {}): Rep => ({ id, name: id, email: null, teams: ["sales"], capacity: 5, status: "available", isLead: false, ...extra });

describe("routing and SLA", () => {
  let t: TestBackend;
  let clock: ShiftableClock;
  let waId = 16505557000;
  afterEach(async () => t?.close());

  async function start(reps: Rep[], settings: Record<string, unknown> = {}, dataDir?: string) {
    clock = clock ?? new ShiftableClock();
    t = await startTestBackend({ overrides: { clock }, ...(dataDir ? { dataDir } : {}) });
    const now = clock.now();
    for (const r of reps) await t.backend.store.handoffs.upsertRep(TENANT, r, now);
    await t.backend.store.handoffs.putSettings(TENANT, ZInboxSettings.parse(settings), now);
  }

  async function askForPerson(text = "I want to talk to a person") {
    const customer = new Customer(t, String(waId++), "Casey");
    const replies = await customer.says(text);
    const { conversation } = await customer.conversation();
    const handoff = (await t.backend.store.handoffs.latest(TENANT, conversation.id))!;
    return { customer, replies, conversation, handoff };
  }

  it("deals handoffs round robin, respects capacity, queues the rest and hands it out when capacity frees up", async () => {
    clock = new ShiftableClock();
    await start([rep("ana", { capacity: 1 }), rep("ben", { capacity: 1 })]);
    const first = await askForPerson();
    const second = await askForPerson();
    const third = await askForPerson();
    expect(new Set([first.handoff.ownerId, second.handoff.ownerId])).toEqual(new Set(["ana", "ben"]));
    expect(third.handoff).toMatchObject({ status: "queued", ownerId: null });
    expect(third.conversation.mode).toBe("waiting");
    const resolved = await fetch(`${t.backend.url}/api/v1/conversations/${first.conversation.id}/resolve`, {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, "x-salesbot-tenant": TENANT, "x-salesbot-user": first.handoff.ownerId!, "content-type": "application/json" },
      body: JSON.stringify({ outcome: "resolved" }),
    });
    expect(resolved.status).toBe(200);
    expect((await t.backend.store.handoffs.get(TENANT, third.handoff.id))!.ownerId).toBe(first.handoff.ownerId);
  });

  it("hands a rep's unanswered work back when they go away, and gives it to someone available", async () => {
    clock = new ShiftableClock();
    await start([rep("ana"), rep("ben", { status: "away" })]);
    const { handoff, conversation } = await askForPerson();
    expect(handoff.ownerId).toBe("ana");
    await t.backend.store.handoffs.setRepStatus(TENANT, "ben", "available", clock.now());
    const away = await fetch(`${t.backend.url}/api/v1/reps/me/status`, {
      method: "PUT",
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, "x-salesbot-tenant": TENANT, "x-salesbot-user": "ana", "content-type": "application/json" },
      body: JSON.stringify({ status: "away" }),
    });
    expect(await away.json()).toEqual({ status: "away", handedBack: 1 });
    const after = (await t.backend.store.handoffs.get(TENANT, handoff.id))!;
    expect(after).toMatchObject({ ownerId: "ben", reassignments: 1 });
    const audit = await t.backend.store.handoffs.listAudit(TENANT, conversation.id);
    expect(audit.map((a) => a.action)).toEqual(["handoff_requested", "human_assigned", "owner_released", "human_assigned"]);
  });

  it("queues out of hours, tells the customer, and routes when the team opens", async () => {
    clock = new ShiftableClock();
    const now = new Date(clock.now());
    const tomorrow = (now.getUTCDay() + 1) % 7;
    await start([rep("ana")], {
      teams: { sales: { businessHours: { timezone: "UTC", openings: [{ day: tomorrow, from: "09:00", to: "17:00" }] }, outOfHoursMessage: "We're closed now; Ana will answer tomorrow from 9:00." } },
    });
    const { handoff, replies } = await askForPerson();
    expect(replies).toEqual(["We're closed now; Ana will answer tomorrow from 9:00."]);
    expect(handoff).toMatchObject({ status: "queued", ownerId: null });
    expect(handoff.queuedUntil).toBeGreaterThan(clock.now());
    clock.advance(handoff.queuedUntil! - clock.now() + 1000);
    await t.backend.runner.idle();
    expect((await t.backend.store.handoffs.get(TENANT, handoff.id))!).toMatchObject({ status: "assigned", ownerId: "ana", queuedUntil: null });
  });

  it("fires SLA warning and breach timers that survive a restart, alerts the team lead, and lists the miss for review", async () => {
    clock = new ShiftableClock();
    const dataDir = mkdtempSync(join(tmpdir(), "salesbot-sla-"));
    try {
      await start([rep("ana", { isLead: true, teams: ["sales", "support"] }), rep("ben")], {}, dataDir);
      const { handoff } = await askForPerson("This is unacceptable, I want a person now!!!");
      expect(handoff.priority).toBe("urgent");
      const due = handoff.sla.firstResponse.dueAt!;
      await t.close();

      // While the backend is down the deadline passes; the durable timers fire when it comes back.
      clock.advance(due - clock.now() + 60_000);
      await start([], {}, dataDir);
      await t.backend.runner.idle();
      const after = (await t.backend.store.handoffs.get(TENANT, handoff.id))!;
      expect(after.sla.firstResponse.warnedAt).not.toBeNull();
      expect(after.sla.firstResponse.breachedAt).not.toBeNull();
      expect(after.sla.status).toBe("missed");
      const alerts = await t.backend.store.listAlerts(TENANT, 10);
      expect(alerts).toContainEqual(expect.objectContaining({ kind: "sla_breached", message: expect.stringMatching(/lead: ana/) }));

      const report = await fetch(`${t.backend.url}/api/v1/reports/missed-handoffs`, { headers: { authorization: `Bearer ${TEST_API_TOKEN}`, "x-salesbot-tenant": TENANT, "x-salesbot-user": "ana" } });
      const rows = ((await report.json()) as { rows: Array<{ handoffId: string; misses: string[]; week: string }> }).rows;
      expect(rows).toContainEqual(expect.objectContaining({ handoffId: handoff.id, misses: ["unanswered"], week: expect.stringMatching(/^\d{4}-W\d{2}$/) }));
      const csv = await (await fetch(`${t.backend.url}/api/v1/reports/missed-handoffs?format=csv`, { headers: { authorization: `Bearer ${TEST_API_TOKEN}`, "x-salesbot-tenant": TENANT, "x-salesbot-user": "ana" } })).text();
      expect(csv.split("\n")[0]).toBe("week,reason,team,rep,priority,misses,handoff_id,conversation_id,requested_at,first_response_minutes");
      expect(csv).toContain(handoff.id);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("reassigns on breach when the policy says so", async () => {
    clock = new ShiftableClock();
    await start([rep("ana"), rep("ben", { status: "away" })], { sla: { onBreach: { notifyLead: false, reassign: true } } });
    const { handoff } = await askForPerson();
    await t.backend.store.handoffs.setRepStatus(TENANT, "ben", "available", clock.now());
    clock.advance(handoff.sla.firstResponse.dueAt! - clock.now() + 1000);
    await t.backend.runner.idle();
    const after = (await t.backend.store.handoffs.get(TENANT, handoff.id))!;
    expect(after).toMatchObject({ ownerId: "ben", reassignments: 1 });
    expect(after.sla.firstResponse.breachedAt).not.toBeNull();
  });
});
