import type { LexiconRule } from "./types.js";
import { deRules } from "./de.js";
import { enRules } from "./en.js";
import { esRules } from "./es.js";
import { nlRules } from "./nl.js";
import { ptRules } from "./pt.js";

/**
 * All languages' rules apply to every message: customers mix languages, and a misdetected language
 * must not hide an escalation. The words are distinct enough across languages not to collide.
 */
export const lexicon: readonly LexiconRule[] = [...enRules, ...esRules, ...ptRules, ...nlRules, ...deRules];
export { isOptOut } from "./opt-out.js";
export { isOnlyPleasantries, withoutOpeningSalutation } from "./greeting.js";
