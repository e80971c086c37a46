/**
 * Contacts: one per customer of a tenant, found by wa_id or by business-scoped user id (BSUID), with what
 * the latest payloads told us about them.
 */
import { randomUUID } from "node:crypto";
import { toE164 } from "../../domain/phone.js";
import type { Contact, ContactIdentity } from "../../domain/ports/store.js";
import { toContact, type ContactRow } from "./sql-rows.js";
import { isAnyOf, type SqlExecutor, type SqlValue } from "./sql-driver.js";

const CONTACT_INSERT_COLUMNS = `id, tenant_id, wa_id, user_id, parent_user_id, profile_name, username, phone_e164, created_at, updated_at`;

const phoneOf = (identity: ContactIdentity): string | null => (identity.waId ? toE164(identity.waId) : null);

function insertValues(tenantId: string, identity: ContactIdentity, now: number): SqlValue[] {
  return [randomUUID(), tenantId, identity.waId, identity.userId, identity.parentUserId, identity.profileName, identity.username, phoneOf(identity), now, now];
}

export function assertIdentified(identity: ContactIdentity): void {
  if (!identity.waId && !identity.userId) throw new Error("a contact needs a wa_id or a user_id");
}

/** The contacts an identity matched, oldest first, or (none matched) the one created for it; neither when a concurrent writer created it first. */
export interface FoundContacts {
  matches: ContactRow[];
  created: ContactRow | null;
}

export class SqlContactRepository {
  constructor(private readonly db: SqlExecutor) {}

  private async findContactRows(tenantId: string, identity: ContactIdentity): Promise<ContactRow[]> {
    return this.db.all<ContactRow>(
      `SELECT * FROM contacts WHERE tenant_id = ? AND (user_id = ? OR wa_id = ?) ORDER BY created_at, id`,
      [tenantId, identity.userId, identity.waId],
    );
  }

  /**
   * PostgreSQL: the CTEs `found` (the contacts the identity matches) and `created` (the contact inserted
   * for it when none does), for a statement of its own or a larger one.
   */
  findOrCreateCtes(tenantId: string, identity: ContactIdentity, now: number): { sql: string; values: SqlValue[] } {
    return {
      sql: `found AS (SELECT * FROM contacts WHERE tenant_id = ? AND (user_id = ? OR wa_id = ?)),
         created AS (
           INSERT INTO contacts (${CONTACT_INSERT_COLUMNS}) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM found)
           ON CONFLICT DO NOTHING RETURNING *)`,
      values: [tenantId, identity.userId, identity.waId, ...insertValues(tenantId, identity, now)],
    };
  }

  /** The contacts the identity matches, oldest first; or, where none does, the one just created for it. */
  private async findOrCreateContactRows(tenantId: string, identity: ContactIdentity, now: number): Promise<FoundContacts> {
    if (this.db.dialect === "postgres") {
      // One round trip either way: the insert runs only when the read found nothing.
      const ctes = this.findOrCreateCtes(tenantId, identity, now);
      const rows = await this.db.all<ContactRow & { just_created: boolean }>(
        `WITH ${ctes.sql}
         SELECT *, false AS just_created FROM found UNION ALL SELECT *, true AS just_created FROM created ORDER BY created_at, id`,
        ctes.values,
      );
      const created = rows.find((row) => row.just_created) ?? null;
      return { matches: created ? [] : rows, created };
    }
    const matches = await this.findContactRows(tenantId, identity);
    if (matches.length > 0) return { matches, created: null };
    const [created] = await this.db.all<ContactRow>(
      `INSERT INTO contacts (${CONTACT_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *`,
      insertValues(tenantId, identity, now),
    );
    return { matches: [], created: created ?? null };
  }

  async upsertContact(tenantId: string, identity: ContactIdentity, now: number): Promise<Contact> {
    assertIdentified(identity);
    return this.settle(tenantId, identity, await this.findOrCreateContactRows(tenantId, identity, now), now);
  }

  /** What a find-or-create read returned, made the contact: the one created, or the oldest match told what `identity` adds. */
  async settle(tenantId: string, identity: ContactIdentity, found: FoundContacts, now: number): Promise<Contact> {
    if (found.created) return toContact(found.created);
    const phone = phoneOf(identity);
    // Neither found nor created: a concurrent writer created the contact after our read.
    const matches = found.matches.length > 0 ? found.matches : await this.findContactRows(tenantId, identity);
    const [existing] = matches;
    if (!existing) throw new Error("contact vanished after insert");
    // The wa_id and the user_id can lead to two contacts we met separately. The oldest one answers;
    // an id the other contact holds is not copied over, since ids are unique per tenant.
    const ownId = existing.id;
    const heldByOther = (column: "wa_id" | "user_id", value: string | null) => value !== null && matches.some((row) => row.id !== ownId && row[column] === value);
    const waId = heldByOther("wa_id", identity.waId) ? null : identity.waId;
    const userId = heldByOther("user_id", identity.userId) ? null : identity.userId;
    // Fill in what the newer payload knows; never erase what an older one told us. Most messages come
    // from customers we know, with nothing new to tell: then there is nothing to write.
    const adds = <T>(incoming: T | null, stored: T | null, fillsOnly: boolean) => incoming !== null && incoming !== stored && (!fillsOnly || stored === null);
    const changes =
      adds(waId, existing.wa_id, true) ||
      adds(userId, existing.user_id, true) ||
      adds(waId === null ? null : phone, existing.phone_e164, true) ||
      adds(identity.parentUserId, existing.parent_user_id, false) ||
      adds(identity.profileName, existing.profile_name, false) ||
      adds(identity.username, existing.username, false);
    if (!changes) return toContact(existing);
    const [row] = await this.db.all<ContactRow>(
      `UPDATE contacts SET wa_id = COALESCE(wa_id, ?), user_id = COALESCE(user_id, ?), parent_user_id = COALESCE(?, parent_user_id),
         profile_name = COALESCE(?, profile_name), username = COALESCE(?, username), phone_e164 = COALESCE(phone_e164, ?), updated_at = ?
       WHERE id = ? AND tenant_id = ? RETURNING *`,
      [waId, userId, identity.parentUserId, identity.profileName, identity.username, waId === null ? null : phone, now, existing.id, tenantId],
    );
    if (!row) throw new Error("contact vanished during update");
    return toContact(row);
  }

  async getContact(tenantId: string, contactId: string): Promise<Contact | null> {
    const [row] = await this.db.all<ContactRow>(`SELECT * FROM contacts WHERE tenant_id = ? AND id = ?`, [tenantId, contactId]);
    return row ? toContact(row) : null;
  }

  async getContacts(tenantId: string, contactIds: readonly string[]): Promise<Contact[]> {
    if (contactIds.length === 0) return [];
    const rows = await this.db.all<ContactRow>(`SELECT * FROM contacts WHERE tenant_id = ? AND ${isAnyOf(this.db, "id")}`, [tenantId, contactIds]);
    return rows.map(toContact);
  }

  async changeContactWaId(tenantId: string, oldWaId: string, newWaId: string, now: number): Promise<void> {
    const [taken] = await this.db.all<{ id: string }>(`SELECT id FROM contacts WHERE tenant_id = ? AND wa_id = ?`, [tenantId, newWaId]);
    if (taken) return;
    await this.db.run(`UPDATE contacts SET wa_id = ?, phone_e164 = ?, updated_at = ? WHERE tenant_id = ? AND wa_id = ?`, [
      newWaId,
      toE164(newWaId),
      now,
      tenantId,
      oldWaId,
    ]);
  }

  async changeContactUserId(tenantId: string, previousUserId: string, next: { userId: string; parentUserId: string | null }, now: number): Promise<void> {
    if (next.userId === previousUserId) return;
    // Two contacts are never merged here: a contact that already has the new id stays as it is.
    const [taken] = await this.db.all<{ id: string }>(`SELECT id FROM contacts WHERE tenant_id = ? AND user_id = ?`, [tenantId, next.userId]);
    if (taken) return;
    await this.db.run(`UPDATE contacts SET user_id = ?, parent_user_id = COALESCE(?, parent_user_id), updated_at = ? WHERE tenant_id = ? AND user_id = ?`, [
      next.userId,
      next.parentUserId,
      now,
      tenantId,
      previousUserId,
    ]);
  }

  async setContactOptOut(tenantId: string, contactId: string, optedOut: boolean, now: number): Promise<void> {
    await this.db.run(`UPDATE contacts SET opted_out = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`, [optedOut ? 1 : 0, now, tenantId, contactId]);
  }

  async setContactCrmFacts(tenantId: string, contactId: string, facts: { vip: boolean; dealValue: number | null; crmOwnerId?: string | null }, now: number): Promise<void> {
    await this.db.run(`UPDATE contacts SET vip = ?, deal_value = ?, crm_owner_id = COALESCE(?, crm_owner_id), updated_at = ? WHERE tenant_id = ? AND id = ?`, [
      facts.vip ? 1 : 0,
      facts.dealValue,
      facts.crmOwnerId ?? null,
      now,
      tenantId,
      contactId,
    ]);
  }
}
