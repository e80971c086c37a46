/**
 * What the customer sees while the bot works on an answer: the read receipt at once, and "typing…"
 * only once the agent has been at it for a while (a language model thinking). An answer that is ready
 * at once needs no indicator, and does not wait for the Graph call that would show one: with Meta
 * answering in 100–500 ms, that wait was most of a quick reply's time.
 */

/** The agent has thought this long without an answer: "typing…". */
export const TYPING_AFTER_MS = 500;
/**
 * An answer must not overtake the indicator: one that lands after the answer shows "typing…" under
 * it for 25 seconds. A slow Graph API delays the answer by this much at most.
 */
const TYPING_WAIT_MS = 1_000;

function waitAtMost(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([work.then(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

export interface ReadingSignals {
  /** The agent is done: no indicator from now on. Resolves when the answer may leave. */
  decided(): Promise<void>;
}

/** `markRead`: the Graph call, which never rejects (a cosmetic failure is the caller's to log); null when nothing may be sent. */
export function signalReading(markRead: ((options: { typing: boolean }) => Promise<void>) | null): ReadingSignals {
  if (!markRead) return { decided: () => Promise.resolve() };
  void markRead({ typing: false });
  let typing: Promise<void> | null = null;
  const timer = setTimeout(() => {
    typing = markRead({ typing: true });
  }, TYPING_AFTER_MS);
  return {
    decided() {
      clearTimeout(timer);
      return typing ? waitAtMost(typing, TYPING_WAIT_MS) : Promise.resolve();
    },
  };
}
