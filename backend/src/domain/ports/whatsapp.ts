/**
 * What the use cases need from WhatsApp's Graph API. The adapter owns HTTP and Meta's error format;
 * failures arrive as `WhatsAppSendError` with Meta's code, so the domain policy can decide.
 */
import type { SendMessageRequest, TemplateListResponse } from "@salesbot/shared";

export interface WhatsAppCredentials {
  phoneNumberId: string;
  accessToken: string;
}

export class WhatsAppSendError extends Error {
  constructor(
    message: string,
    readonly httpStatus: number,
    readonly code: number | undefined,
    readonly details: string | undefined,
  ) {
    super(message);
    this.name = "WhatsAppSendError";
  }
}

export interface WhatsAppGateway {
  sendMessage(credentials: WhatsAppCredentials, request: SendMessageRequest): Promise<{ wamid: string }>;
  markRead(credentials: WhatsAppCredentials, wamid: string, options: { typing: boolean }): Promise<void>;
  /** Every page of the WhatsApp Business Account's message templates. */
  listTemplates(credentials: WhatsAppCredentials, businessAccountId: string): Promise<TemplateListResponse["data"]>;
  downloadMedia(credentials: WhatsAppCredentials, mediaId: string): Promise<{ bytes: Uint8Array; mimeType: string; sha256: string | null }>;
}
