/**
 * Tenant configuration read on every message is cached per instance (see ConfigCache). What a
 * caller must be able to rely on: its own writes show at once, a rolled-back write never shows,
 * and another instance's writes show within the cache time.
 */
import { describe, expect, it } from "vitest";
import { ZAgentSettings } from "@salesbot/shared";
import type { StoreHarness } from "../support/stores.js";
import { seedTenant, T0 } from "./store-seed.js";

const settings = (companyName: string) => ZAgentSettings.parse({ companyName });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function configCacheContract(getHarness: () => StoreHarness): void {
  describe("cached tenant configuration", () => {
    it("shows a write through the same instance at once, and another instance's within the cache time", async () => {
      const h = getHarness();
      const here = h.openStore({ configCacheMs: 60_000 });
      const elsewhere = h.openStore({ configCacheMs: 150 });
      const { tenantId, phoneNumberId } = await seedTenant(here);
      await here.replaceKnowledge(tenantId, [{ id: "a", kind: "faq", title: "Hours", body: "Nine to five.", language: "en" }], T0);
      const versionBefore = await elsewhere.knowledgeVersion(tenantId);
      expect((await elsewhere.findWhatsAppNumber(phoneNumberId))?.sendingPausedReason).toBeNull();
      expect((await elsewhere.getAgentSettings(tenantId)).companyName).toBe("our team");

      await here.setSendingPaused(tenantId, phoneNumberId, "token_invalid");
      await here.putAgentSettings(tenantId, settings("Acme"), T0);
      await here.replaceKnowledge(tenantId, [{ id: "a", kind: "faq", title: "Hours", body: "Eight to six.", language: "en" }, { id: "b", kind: "faq", title: "Fees", body: "None.", language: "en" }], T0 + 5);
      expect((await here.findWhatsAppNumber(phoneNumberId))?.sendingPausedReason).toBe("token_invalid");
      expect((await here.getAgentSettings(tenantId)).companyName).toBe("Acme");
      expect(await here.knowledgeVersion(tenantId)).not.toBe(versionBefore);

      // Within its cache time the other instance may still answer from memory; after it, never.
      await sleep(200);
      expect((await elsewhere.findWhatsAppNumber(phoneNumberId))?.sendingPausedReason).toBe("token_invalid");
      expect((await elsewhere.getAgentSettings(tenantId)).companyName).toBe("Acme");
      expect(await elsewhere.knowledgeVersion(tenantId)).toBe(await here.knowledgeVersion(tenantId));
    });

    it("reads a transaction's own writes inside it, and forgets them when it rolls back", async () => {
      const store = getHarness().openStore({ configCacheMs: 60_000 });
      const { tenantId, phoneNumberId } = await seedTenant(store);
      await store.putAgentSettings(tenantId, settings("Before"), T0);
      expect((await store.getAgentSettings(tenantId)).companyName).toBe("Before");
      expect((await store.findWhatsAppNumber(phoneNumberId))?.displayPhoneNumber).toBe("15550001111");

      await expect(
        store.transaction(async (tx) => {
          await tx.putAgentSettings(tenantId, settings("Rolled back"), T0 + 1);
          await tx.upsertWhatsAppNumber({ tenantId, phoneNumberId, displayPhoneNumber: "15559999999", accessToken: "other" });
          expect((await tx.getAgentSettings(tenantId)).companyName).toBe("Rolled back");
          expect((await tx.findWhatsAppNumber(phoneNumberId))?.displayPhoneNumber).toBe("15559999999");
          throw new Error("abort");
        }),
      ).rejects.toThrow("abort");
      expect((await store.getAgentSettings(tenantId)).companyName).toBe("Before");
      expect((await store.findWhatsAppNumber(phoneNumberId))?.displayPhoneNumber).toBe("15550001111");

      await store.transaction((tx) => tx.putAgentSettings(tenantId, settings("Committed"), T0 + 2));
      expect((await store.getAgentSettings(tenantId)).companyName).toBe("Committed");
    });

    it("does not keep a value read while a transaction was changing it, nor show it to that transaction (PostgreSQL: concurrent readers)", async () => {
      const h = getHarness();
      if (h.location.engine !== "postgres") return;
      const store = h.openStore({ configCacheMs: 60_000 });
      const { tenantId } = await seedTenant(store);
      await store.putAgentSettings(tenantId, settings("Old"), T0);
      await store.transaction(async (tx) => {
        await tx.putAgentSettings(tenantId, settings("New"), T0 + 1);
        // Another request on this instance reads the committed (old) value while the write is in flight.
        expect((await store.getAgentSettings(tenantId)).companyName).toBe("Old");
        // and may keep it, yet the transaction still reads its own write.
        expect((await tx.getAgentSettings(tenantId)).companyName).toBe("New");
      });
      expect((await store.getAgentSettings(tenantId)).companyName).toBe("New");
    });
  });
}
