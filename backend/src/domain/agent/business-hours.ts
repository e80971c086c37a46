/**
 * Whether a team is open at a moment, in the team's own time zone (Intl does the zone maths, so
 * daylight saving is right). No openings configured means always open.
 */
import type { BusinessHours } from "@salesbot/shared";

const weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

const formatters = new Map<string, Intl.DateTimeFormat>();

export function localTime(at: number, timezone: string): { day: number; minutes: number } {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone: timezone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(timezone, formatter);
  }
  const parts = formatter.formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "0";
  return { day: weekdays.indexOf(get("weekday")), minutes: Number(get("hour")) * 60 + Number(get("minute")) };
}

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function isOpen(hours: BusinessHours, at: number): boolean {
  if (hours.openings.length === 0) return true;
  const { day, minutes } = localTime(at, hours.timezone);
  return hours.openings.some((o) => o.day === day && minutes >= toMinutes(o.from) && minutes < toMinutes(o.to));
}
