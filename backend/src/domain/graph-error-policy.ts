/**
 * What to do when the Graph API refuses a send, by Meta's error code (Meta's error-code reference).
 * Branch on codes, never on message text.
 */
export type SendFailureAction =
  | { kind: "retry"; reason: "rate_limited" | "pair_rate_limited" | "temporary" }
  | { kind: "window_closed" }
  | { kind: "token_invalid" }
  | { kind: "permanent"; reason: string };

export function classifySendFailure(code: number | undefined, httpStatus: number): SendFailureAction {
  switch (code) {
    case 130429:
    case 4:
    case 80007:
      return { kind: "retry", reason: "rate_limited" };
    case 131056:
      return { kind: "retry", reason: "pair_rate_limited" };
    case 131047:
      return { kind: "window_closed" };
    case 190:
    case 0:
      return { kind: "token_invalid" };
    case 131000:
    case 131016:
    case 131057:
    case 1:
    case 2:
      return { kind: "retry", reason: "temporary" };
    case undefined:
      return httpStatus >= 500 || httpStatus === 429 || httpStatus === 0
        ? { kind: "retry", reason: "temporary" }
        : { kind: "permanent", reason: `http_${httpStatus}` };
    default:
      return httpStatus >= 500 ? { kind: "retry", reason: "temporary" } : { kind: "permanent", reason: `meta_${code}` };
  }
}
