/**
 * Templates come from the WhatsApp account (Meta approves them), synced on start and every hour, so
 * a rep outside the 24-hour window picks from what Meta will actually deliver, with the right number
 * of variables.
 */
import type { TemplateView } from "@salesbot/shared";
import { AppError } from "../../domain/errors.js";
import { jobKinds } from "../../jobs/job-kinds.js";
import type { StoreTx } from "../../domain/ports/store.js";
import type { UseCaseContext } from "../context.js";

export const TEMPLATE_SYNC_EVERY_MS = 60 * 60_000;

/** `{{1}}` or `{{name}}` placeholders in the body. */
function bodyParameters(components: Array<{ type: string; text?: string | undefined }>): number {
  const body = components.find((c) => c.type.toUpperCase() === "BODY")?.text ?? "";
  return new Set(body.match(/\{\{\s*[\w.]+\s*\}\}/g) ?? []).size;
}

export async function syncTemplates(ctx: UseCaseContext, tenantId: string, phoneNumberId: string): Promise<number | "not_configured"> {
  const number = await ctx.store.findWhatsAppNumber(phoneNumberId);
  if (!number || number.tenantId !== tenantId || !number.accessToken || !number.businessAccountId) return "not_configured";
  const listed = await ctx.whatsapp.listTemplates({ phoneNumberId, accessToken: number.accessToken }, number.businessAccountId);
  const views: TemplateView[] = listed.map((t) => ({ name: t.name, language: t.language, status: t.status.toUpperCase(), category: t.category ?? null, bodyParameters: bodyParameters(t.components) }));
  const components = new Map(listed.map((t) => [`${t.name}:${t.language}`, t.components as unknown]));
  await ctx.store.transaction((tx) => tx.repTools.replaceTemplates(tenantId, views, components, ctx.clock.now()));
  return views.length;
}

export async function scheduleTemplateSync(tx: StoreTx, tenantId: string, phoneNumberId: string, at: number): Promise<void> {
  await tx.jobs.enqueue({ kind: jobKinds.templatesSync, tenantId, dedupKey: `templates:${phoneNumberId}`, payload: { tenantId, phoneNumberId }, runAt: at, maxAttempts: 5 });
}

/** Refuses a template the account does not have approved, or with the wrong number of variables. */
export async function checkTemplate(tx: StoreTx, tenantId: string, name: string, language: string, variables: number): Promise<void> {
  const templates = await tx.repTools.listTemplates(tenantId);
  if (templates.length === 0) return; // Not synced yet: Meta is the judge (error 132001 and friends).
  const template = templates.find((t) => t.name === name && t.language === language);
  if (!template || template.status !== "APPROVED") throw new AppError("bad_request", `Template ${name} (${language}) is not approved on this WhatsApp account.`);
  if (template.bodyParameters !== variables) throw new AppError("bad_request", `Template ${name} takes ${template.bodyParameters} variable(s); ${variables} given.`);
}
