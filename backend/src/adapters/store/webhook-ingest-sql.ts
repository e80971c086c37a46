/**
 * The SQLite statements that store a verified webhook body and queue its processing job. Shared by
 * the in-thread path (webhook-event-batcher.ts) and the ingest writer thread (sqlite-ingest-writer.ts),
 * which runs them on its own connection: one definition, so the two paths cannot drift apart.
 */

export const WEBHOOK_JOB_MAX_ATTEMPTS = 10;

/**
 * Params: body, body_sha256, received_at. Returns the new row's id. Every delivery is appended, the
 * same bytes twice included: telling a redelivery apart is work for the processing job
 * (process-webhook-event.ts), not for the acknowledgement.
 */
export const SQLITE_INSERT_WEBHOOK_EVENT = `INSERT INTO webhook_events (body, body_sha256, received_at) VALUES (?, ?, ?) RETURNING id`;

/** Params: payload ({"eventId":…}), run_at, max_attempts, created_at, updated_at. */
export const SQLITE_INSERT_WEBHOOK_JOB = `INSERT INTO jobs (kind, payload, state, run_at, attempts, max_attempts, created_at, updated_at) VALUES ('webhook.process', ?, 'pending', ?, 0, ?, ?, ?)`;
