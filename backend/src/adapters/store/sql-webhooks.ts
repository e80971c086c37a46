/**
 * Outgoing webhook subscriptions, deliveries and their attempt log in SQL, tenant-scoped in every
 * statement. Signing secrets are sealed with the SecretBox before they reach a row.
 */
import type { DeliveryAttempt, DeliveryState, NewWebhookDelivery, WebhookDelivery, WebhookRepository, WebhookSubscription } from "../../domain/ports/webhooks.js";
import type { AttemptOutcome } from "../../domain/webhooks/delivery-policy.js";
import type { SecretBox } from "../../security/secret-box.js";
import type { SqlExecutor } from "./sql-driver.js";
import { nullableNumber } from "./sql-rows.js";

interface SubscriptionRow {
  id: string;
  tenant_id: string;
  url: string;
  events: string | null;
  active: number;
  description: string | null;
  created_at: number;
}

interface DeliveryRow {
  id: string;
  tenant_id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  body: string;
  state: string;
  attempts: number;
  next_retry_at: number | null;
  delivered_at: number | null;
  created_at: number;
  updated_at: number;
}

interface AttemptRow {
  tenant_id: string;
  delivery_id: string;
  attempt: number;
  at: number;
  status_code: number | null;
  duration_ms: number;
  outcome: string;
  error: string | null;
  response_excerpt: string | null;
  next_retry_at: number | null;
}

// Never SELECT *: the sealed secret stays in its column unless signingSecret asks for it.
const SUBSCRIPTION_COLUMNS = `id, tenant_id, url, events, active, description, created_at`;

function toSubscription(row: SubscriptionRow): WebhookSubscription {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    url: row.url,
    events: row.events === null ? null : (JSON.parse(row.events) as string[]),
    active: Number(row.active) === 1,
    description: row.description,
    createdAt: Number(row.created_at),
  };
}

function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    subscriptionId: row.subscription_id,
    eventId: row.event_id,
    eventType: row.event_type,
    body: row.body,
    state: row.state as DeliveryState,
    attempts: Number(row.attempts),
    nextRetryAt: nullableNumber(row.next_retry_at),
    deliveredAt: nullableNumber(row.delivered_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toAttempt(row: AttemptRow): DeliveryAttempt {
  return {
    tenantId: row.tenant_id,
    deliveryId: row.delivery_id,
    attempt: Number(row.attempt),
    at: Number(row.at),
    statusCode: nullableNumber(row.status_code),
    durationMs: Number(row.duration_ms),
    outcome: row.outcome as AttemptOutcome,
    error: row.error,
    responseExcerpt: row.response_excerpt,
    nextRetryAt: nullableNumber(row.next_retry_at),
  };
}

export class SqlWebhookRepository implements WebhookRepository {
  constructor(
    private readonly db: SqlExecutor,
    private readonly secrets: SecretBox,
  ) {}

  async createSubscription(s: WebhookSubscription, secret: string): Promise<void> {
    await this.db.run(
      `INSERT INTO webhook_subscriptions (id, tenant_id, url, events, secret_enc, active, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [s.id, s.tenantId, s.url, s.events === null ? null : JSON.stringify(s.events), this.secrets.seal(secret), s.active ? 1 : 0, s.description, s.createdAt, s.createdAt],
    );
  }

  async listSubscriptions(tenantId: string): Promise<WebhookSubscription[]> {
    const rows = await this.db.all<SubscriptionRow>(`SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE tenant_id = ? ORDER BY created_at, id`, [tenantId]);
    return rows.map(toSubscription);
  }

  async getSubscription(tenantId: string, id: string): Promise<WebhookSubscription | null> {
    const [row] = await this.db.all<SubscriptionRow>(`SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE tenant_id = ? AND id = ?`, [tenantId, id]);
    return row ? toSubscription(row) : null;
  }

  async signingSecret(tenantId: string, id: string): Promise<string | null> {
    const [row] = await this.db.all<{ secret_enc: string }>(`SELECT secret_enc FROM webhook_subscriptions WHERE tenant_id = ? AND id = ?`, [tenantId, id]);
    return row ? this.secrets.open(row.secret_enc) : null;
  }

  async deleteSubscription(tenantId: string, id: string): Promise<boolean> {
    await this.db.run(
      `DELETE FROM webhook_delivery_attempts WHERE tenant_id = ? AND delivery_id IN (SELECT id FROM webhook_deliveries WHERE tenant_id = ? AND subscription_id = ?)`,
      [tenantId, tenantId, id],
    );
    await this.db.run(`DELETE FROM webhook_deliveries WHERE tenant_id = ? AND subscription_id = ?`, [tenantId, id]);
    const { changes } = await this.db.run(`DELETE FROM webhook_subscriptions WHERE tenant_id = ? AND id = ?`, [tenantId, id]);
    return changes > 0;
  }

  async createDelivery(d: NewWebhookDelivery): Promise<boolean> {
    // The subscription is looked up under the tenant, so a delivery can never join another tenant's subscription.
    const { changes } = await this.db.run(
      `INSERT INTO webhook_deliveries (id, tenant_id, subscription_id, event_id, event_type, body, state, attempts, created_at, updated_at)
       SELECT ?, tenant_id, id, ?, ?, ?, 'pending', 0, ?, ? FROM webhook_subscriptions WHERE tenant_id = ? AND id = ?
       ON CONFLICT (subscription_id, event_id) DO NOTHING`,
      [d.id, d.eventId, d.eventType, d.body, d.createdAt, d.createdAt, d.tenantId, d.subscriptionId],
    );
    return changes > 0;
  }

  async getDelivery(tenantId: string, id: string): Promise<WebhookDelivery | null> {
    const [row] = await this.db.all<DeliveryRow>(`SELECT * FROM webhook_deliveries WHERE tenant_id = ? AND id = ?`, [tenantId, id]);
    return row ? toDelivery(row) : null;
  }

  async listDeliveries(tenantId: string, subscriptionId: string, limit: number): Promise<WebhookDelivery[]> {
    const rows = await this.db.all<DeliveryRow>(
      `SELECT * FROM webhook_deliveries WHERE tenant_id = ? AND subscription_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
      [tenantId, subscriptionId, limit],
    );
    return rows.map(toDelivery);
  }

  async recordAttempt(a: DeliveryAttempt, state: DeliveryState): Promise<boolean> {
    const { changes } = await this.db.run(
      `UPDATE webhook_deliveries SET state = ?, attempts = ?, next_retry_at = ?, delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END, updated_at = ?
       WHERE tenant_id = ? AND id = ?`,
      [state, a.attempt, a.nextRetryAt, state, a.at, a.at, a.tenantId, a.deliveryId],
    );
    if (changes === 0) return false;
    await this.db.run(
      `INSERT INTO webhook_delivery_attempts (tenant_id, delivery_id, attempt, at, status_code, duration_ms, outcome, error, response_excerpt, next_retry_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [a.tenantId, a.deliveryId, a.attempt, a.at, a.statusCode, Math.round(a.durationMs), a.outcome, a.error, a.responseExcerpt, a.nextRetryAt],
    );
    return true;
  }

  async listAttempts(tenantId: string, deliveryIds: readonly string[]): Promise<DeliveryAttempt[]> {
    if (deliveryIds.length === 0) return [];
    const rows = await this.db.all<AttemptRow>(
      `SELECT * FROM webhook_delivery_attempts WHERE tenant_id = ? AND delivery_id IN (${deliveryIds.map(() => "?").join(", ")}) ORDER BY id`,
      [tenantId, ...deliveryIds],
    );
    return rows.map(toAttempt);
  }

  async requeueDelivery(tenantId: string, id: string, now: number): Promise<boolean> {
    const { changes } = await this.db.run(
      `UPDATE webhook_deliveries SET state = 'pending', next_retry_at = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND state IN ('delivered', 'failed')`,
      [now, now, tenantId, id],
    );
    return changes > 0;
  }
}
