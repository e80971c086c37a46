import { describe, expect, it } from "vitest";
import { ZBusinessHours } from "@salesbot/shared";
import { addBusinessMinutes, defaultSlaPolicy, markBreached, markWarned, nextOpening, recordCustomerMessage, recordRepReply, recordResolution, startSla, warningTime } from "./sla.js";

const always = ZBusinessHours.parse({});
const office = ZBusinessHours.parse({ timezone: "Europe/Amsterdam", openings: [1, 2, 3, 4, 5].map((day) => ({ day, from: "09:00", to: "17:00" })) });
const friday1630 = Date.UTC(2026, 10, 27, 15, 30); // Friday 16:30 in Amsterdam (UTC+1)

describe("business-hours clock", () => {
  it("counts plain minutes when the team is always open", () => {
    expect(addBusinessMinutes(always, 0, 90)).toBe(90 * 60_000);
  });

  it("stops the clock overnight and over the weekend", () => {
    // 30 minutes left on Friday, the other 30 on Monday from 09:00.
    expect(addBusinessMinutes(office, friday1630, 60)).toBe(Date.UTC(2026, 10, 30, 8, 30));
    expect(nextOpening(office, Date.UTC(2026, 10, 28, 12, 0))).toBe(Date.UTC(2026, 10, 30, 8, 0));
  });

  it("handles the switch to summer time", () => {
    // Monday 30 March 2026 follows the DST change on the 29th: Amsterdam is UTC+2 then.
    expect(nextOpening(office, Date.UTC(2026, 2, 28, 12, 0))).toBe(Date.UTC(2026, 2, 30, 7, 0));
  });
});

describe("SLA clocks", () => {
  const start = 1_000_000;
  const sla = startSla(defaultSlaPolicy, "high", always, start);

  it("starts first-response and resolution clocks from the policy", () => {
    expect(sla.status).toBe("active");
    expect(sla.firstResponse.dueAt).toBe(start + 15 * 60_000);
    expect(sla.resolution.dueAt).toBe(start + 8 * 60 * 60_000);
    expect(sla.nextResponse.dueAt).toBeNull();
    expect(warningTime(defaultSlaPolicy, start, sla.firstResponse.dueAt!)).toBe(start + 12 * 60_000);
  });

  it("is met when the rep answers in time, then runs a next-response clock when the customer writes", () => {
    const answered = recordRepReply(sla, start + 60_000);
    expect(answered.firstResponse.metAt).toBe(start + 60_000);
    const waiting = recordCustomerMessage(answered, defaultSlaPolicy, "high", always, start + 120_000);
    expect(waiting.nextResponse.dueAt).toBe(start + 120_000 + 30 * 60_000);
    expect(recordResolution(recordRepReply(waiting, start + 180_000), start + 200_000).status).toBe("met");
  });

  it("is missed once a deadline passes unanswered, and stays missed", () => {
    const early = markBreached(sla, "firstResponse", start + 60_000);
    expect(early).toBe(sla);
    const missed = markBreached(sla, "firstResponse", sla.firstResponse.dueAt!);
    expect(missed.status).toBe("missed");
    expect(recordResolution(recordRepReply(missed, sla.firstResponse.dueAt! + 1), sla.firstResponse.dueAt! + 2).status).toBe("missed");
  });

  it("warns once, and never after the clock was met", () => {
    const warned = markWarned(sla, "firstResponse", start + 5);
    expect(warned.firstResponse.warnedAt).toBe(start + 5);
    expect(markWarned(warned, "firstResponse", start + 6)).toBe(warned);
    expect(markWarned(recordRepReply(sla, start + 1), "firstResponse", start + 6).firstResponse.warnedAt).toBeNull();
  });
});
