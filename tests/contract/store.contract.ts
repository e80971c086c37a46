/**
 * The store port's contract, run against each engine. Both engines must behave the same: the
 * product runs on embedded SQLite by default and on PostgreSQL when it scales out.
 */
import { afterAll, beforeAll, describe } from "vitest";
import type { MakeStore, StoreHarness } from "../support/stores.js";
import { configCacheContract } from "./store-config-cache.contract.js";
import { deliveryContract } from "./store-delivery.contract.js";
import { identityContract, migrationContract } from "./store-identity.contract.js";
import { messageContract } from "./store-messages.contract.js";
import { outgoingWebhookContract } from "./store-outgoing-webhooks.contract.js";
import { T0 } from "./store-seed.js";
import { webhookEventContract } from "./store-webhook-events.contract.js";

export function storeContract(name: string, makeStore: MakeStore): void {
  describe(`store contract: ${name}`, () => {
    migrationContract(makeStore);

    describe("on a migrated database", () => {
      let harness: StoreHarness | undefined;
      const getHarness = (): StoreHarness => {
        if (!harness) throw new Error("the store harness is not ready");
        return harness;
      };
      beforeAll(async () => {
        harness = await makeStore();
        await harness.store.migrate(T0);
      });
      afterAll(async () => harness?.cleanup());

      identityContract(getHarness);
      messageContract(getHarness);
      deliveryContract(getHarness);
      webhookEventContract(getHarness);
      outgoingWebhookContract(getHarness);
      configCacheContract(getHarness);
    });
  });
}
