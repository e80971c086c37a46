import { makeSqliteStore } from "../support/stores.js";
import { storeContract } from "./store.contract.js";

storeContract("sqlite", makeSqliteStore);
