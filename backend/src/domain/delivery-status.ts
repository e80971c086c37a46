/**
 * Outbound delivery states only move forward. Meta delivers status webhooks late, twice and out of
 * order (a `sent` after `read` is common), so a status is applied only when it ranks above the current
 * one; `failed` ends the line and keeps its errors.
 */
export const deliveryStatuses = ["queued", "accepted", "sent", "delivered", "read", "played", "failed"] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

const rank: Record<DeliveryStatus, number> = {
  queued: 0,
  accepted: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  played: 5,
  failed: 100,
};

export function deliveryRank(status: DeliveryStatus): number {
  return rank[status];
}

export function parseDeliveryStatus(value: string): DeliveryStatus | undefined {
  return (deliveryStatuses as readonly string[]).includes(value) ? (value as DeliveryStatus) : undefined;
}

/** Whether a message in `current` should move to `next`. */
export function advancesDelivery(current: DeliveryStatus, next: DeliveryStatus): boolean {
  if (current === "failed") return false;
  return rank[next] > rank[current];
}
