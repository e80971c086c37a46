import { intents, type Language } from "@salesbot/shared";
import { de } from "./de.js";
import { en } from "./en.js";
import { enRequests } from "./en-requests.js";
import { es } from "./es.js";
import { nl } from "./nl.js";
import { pt } from "./pt.js";
import type { IntentExamples } from "./types.js";

function merge(...sets: IntentExamples[]): IntentExamples {
  const merged = {} as Record<(typeof intents)[number], string[]>;
  for (const intent of intents) merged[intent] = sets.flatMap((set) => [...set[intent]]);
  return merged;
}

/** Every hand-written training sentence, by language and intent. */
export const trainingExamples: Record<Language, IntentExamples> = { en: merge(en, enRequests), es, pt, nl, de };
