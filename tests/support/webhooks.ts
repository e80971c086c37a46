/**
 * Builders for webhook bodies shaped exactly as Meta sends them, for tests that need many or
 * specific ones (the shared fixtures are used as they are elsewhere).
 */
let counter = 0;
export const newWamid = (): string => `wamid.TEST${Date.now().toString(36)}${(counter++).toString(36)}`;

export function envelope(phoneNumberId: string, value: Record<string, unknown>): string {
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{ id: "102290129340398", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: "15550783881", phone_number_id: phoneNumberId }, ...value } }] }],
  });
}

export function textMessage(phoneNumberId: string, input: { from?: string; userId?: string; name?: string; text: string; wamid?: string; timestamp?: number }): { body: string; wamid: string } {
  const wamid = input.wamid ?? newWamid();
  const timestamp = String(Math.floor((input.timestamp ?? Date.now()) / 1000));
  const contact = { profile: { name: input.name ?? "Test Customer" }, ...(input.from ? { wa_id: input.from } : {}), ...(input.userId ? { user_id: input.userId } : {}) };
  const message = { ...(input.from ? { from: input.from } : {}), ...(input.userId ? { from_user_id: input.userId } : {}), id: wamid, timestamp, type: "text", text: { body: input.text } };
  return { body: envelope(phoneNumberId, { contacts: [contact], messages: [message] }), wamid };
}

export function statusUpdate(phoneNumberId: string, input: { wamid: string; status: string; recipient: string; at?: number; errors?: unknown[] }): string {
  return envelope(phoneNumberId, {
    statuses: [{ id: input.wamid, status: input.status, timestamp: String(Math.floor((input.at ?? Date.now()) / 1000)), recipient_id: input.recipient, ...(input.errors ? { errors: input.errors } : {}) }],
  });
}
