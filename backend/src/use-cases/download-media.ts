/**
 * Inbound media is copied into our own storage at once: Meta's download URL lives five minutes and
 * needs the access token, so neither the agent UI nor a rep could open it later.
 */
import type { UseCaseContext } from "./context.js";

export async function downloadMedia(ctx: UseCaseContext, input: { tenantId: string; mediaId: string; messageSeq: number; phoneNumberId: string }): Promise<"stored" | "exists" | "no_token"> {
  if (await ctx.store.hasMedia(input.tenantId, input.mediaId)) return "exists";
  const number = await ctx.store.findWhatsAppNumber(input.phoneNumberId);
  if (!number?.accessToken || number.tenantId !== input.tenantId) return "no_token";
  const file = await ctx.whatsapp.downloadMedia({ phoneNumberId: number.phoneNumberId, accessToken: number.accessToken }, input.mediaId);
  await ctx.store.saveMedia({
    tenantId: input.tenantId,
    mediaId: input.mediaId,
    messageSeq: input.messageSeq,
    mimeType: file.mimeType,
    sha256: file.sha256,
    bytes: file.bytes,
    storedAt: ctx.clock.now(),
  });
  return "stored";
}
