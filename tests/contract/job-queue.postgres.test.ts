import { describe } from "vitest";
import { postgresAvailable } from "../support/postgres.js";
import { makePostgresStore } from "../support/stores.js";
import { jobQueueContract } from "./job-queue.contract.js";

describe.skipIf(!(await postgresAvailable()))("postgres", () => {
  jobQueueContract("postgres", makePostgresStore);
});
