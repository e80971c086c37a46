import type { JobQueue } from "../../backend/src/domain/ports/jobs.js";

/** The store's queue, counting the claims made through it (everything else goes straight through). */
export function countingClaims(queue: JobQueue): { queue: JobQueue; claims: () => number } {
  let claims = 0;
  const counted: JobQueue = Object.create(queue) as JobQueue;
  counted.claim = (options) => {
    claims++;
    return queue.claim(options);
  };
  return { queue: counted, claims: () => claims };
}
