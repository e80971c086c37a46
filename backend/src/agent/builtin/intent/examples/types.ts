import type { Intent } from "@salesbot/shared";

/** Hand-written training sentences for one language, by intent. */
export type IntentExamples = Record<Intent, readonly string[]>;
