/**
 * What the customer wrote in a turn, as opposed to what they attached: the caption of a photo or a file,
 * nothing for a voice note, a sticker, a shared place or contact card, nor a file's name (their address,
 * name or file name is not the customer speaking).
 */
import type { AgentTurn, Attachment } from "../agent.js";

const CAPTIONED: ReadonlySet<Attachment> = new Set(["image", "video", "document"]);
/** The label the turn's text opens with: "[image] ", "[voice message]". */
const LABEL = /^\[[^\]]*\]\s*/;

/** A file's name, shown where it has no caption ("[document] requirements.pdf"): the sender's device chose it. */
const FILE_NAME = /^\S+\.[\p{L}\d]{1,5}$/u;

export function wordsOf(turn: AgentTurn): string {
  if (!turn.attachment || !CAPTIONED.has(turn.attachment)) return turn.attachment ? "" : turn.text;
  const caption = turn.text.replace(LABEL, "");
  return FILE_NAME.test(caption.trim()) ? "" : caption;
}

/** Only attachments and no words in these turns: a voice note, a photo without a caption, a sticker. */
export function onlyAttachments(turns: readonly AgentTurn[]): boolean {
  return turns.length > 0 && turns.every((turn) => turn.attachment !== undefined && wordsOf(turn).trim() === "");
}
