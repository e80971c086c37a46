import { describe, expect, it } from "vitest";
import { chooseRep, routeToTeam, type HandoffFacts, type RepLoad } from "./routing.js";

const facts: HandoffFacts = { reason: "pricing_or_contract", intent: "pricing", language: "en", vip: false, dealValue: null, priority: "normal", team: "sales" };

describe("routing rules", () => {
  const rules = [
    { when: { vip: true }, team: "key-accounts", priority: "urgent" as const },
    { when: { languages: ["es" as const, "pt" as const] }, team: "latam" },
    { when: { reasons: ["complaint" as const] }, team: "support", priority: "high" as const },
    { when: { minDealValue: 50_000 }, team: "enterprise" },
  ];
  it.each([
    [{}, "sales", "normal"],
    [{ vip: true }, "key-accounts", "urgent"],
    [{ language: "pt" }, "latam", "normal"],
    [{ reason: "complaint" }, "support", "high"],
    [{ dealValue: 80_000 }, "enterprise", "normal"],
    [{ vip: true, language: "es" }, "key-accounts", "urgent"],
  ] as const)("%j → %s (%s)", (override, team, priority) => {
    expect(routeToTeam({ ...facts, ...override }, rules)).toEqual({ team, priority });
  });
});

describe("choosing a rep", () => {
  const rep = (id: string, extra: Partial<RepLoad> = {}): RepLoad => ({ id, teams: ["sales"], capacity: 3, available: true, open: 0, lastAssignedAt: null, ...extra });

  it("round robin: whoever was assigned longest ago", () => {
    const reps = [rep("a", { lastAssignedAt: 300 }), rep("b", { lastAssignedAt: 100 }), rep("c", { lastAssignedAt: 200 })];
    expect(chooseRep("sales", reps, "round_robin", null)?.id).toBe("b");
    expect(chooseRep("sales", [...reps, rep("d")], "round_robin", null)?.id).toBe("d");
  });

  it("least loaded: the lowest share of capacity in use", () => {
    const reps = [rep("a", { open: 2, capacity: 4 }), rep("b", { open: 1, capacity: 1 }), rep("c", { open: 1, capacity: 5 })];
    expect(chooseRep("sales", reps, "least_loaded", null)?.id).toBe("c");
  });

  it("skips reps who are away, full, or in another team; nobody left means the queue", () => {
    const reps = [rep("away", { available: false }), rep("full", { open: 3 }), rep("support", { teams: ["support"] })];
    expect(chooseRep("sales", reps, "round_robin", null)).toBeNull();
  });

  it("gives a known customer to their CRM owner when the owner can take it, whatever the team", () => {
    const reps = [rep("a"), rep("owner", { teams: ["key-accounts"], lastAssignedAt: 999 })];
    expect(chooseRep("sales", reps, "round_robin", "owner")?.id).toBe("owner");
    expect(chooseRep("sales", [rep("a"), rep("owner", { available: false })], "round_robin", "owner")?.id).toBe("a");
  });
});
