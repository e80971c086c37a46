/**
 * WhatsApp's customer-service window: for 24 hours after the customer's last message a business may
 * send anything; after that only approved templates. A small safety margin keeps us from sending a
 * message that Meta would refuse with 131047 a second later.
 */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;
export const WINDOW_SAFETY_MARGIN_MS = 60 * 1000;

export type OutboundKind = "text" | "interactive" | "media" | "template" | "reaction";

export interface WindowVerdict {
  allowed: boolean;
  /** When the window closes (ms since epoch), or null if the customer never wrote. */
  closesAt: number | null;
}

export function customerServiceWindow(lastInboundAt: number | null, now: number): WindowVerdict {
  if (lastInboundAt === null) return { allowed: false, closesAt: null };
  const closesAt = lastInboundAt + CUSTOMER_SERVICE_WINDOW_MS;
  return { allowed: now < closesAt - WINDOW_SAFETY_MARGIN_MS, closesAt };
}

/** Templates may always be sent; everything else needs an open window. */
export function maySend(kind: OutboundKind, lastInboundAt: number | null, now: number): WindowVerdict {
  const window = customerServiceWindow(lastInboundAt, now);
  return kind === "template" ? { ...window, allowed: true } : window;
}
