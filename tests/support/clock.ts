import type { Clock } from "../../backend/src/domain/ports/clock.js";

/** Real time plus an offset the test can move forward (retries, leases, the 24-hour window). */
export class ShiftableClock implements Clock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}
