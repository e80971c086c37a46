import { makeSqliteStore } from "../support/stores.js";
import { jobQueueContract } from "./job-queue.contract.js";

jobQueueContract("sqlite", makeSqliteStore);
