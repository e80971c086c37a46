import { describe } from "vitest";
import { postgresAvailable } from "../support/postgres.js";
import { makePostgresStore } from "../support/stores.js";
import { storeContract } from "./store.contract.js";

describe.skipIf(!(await postgresAvailable()))("postgres", () => {
  storeContract("postgres", makePostgresStore);
});
