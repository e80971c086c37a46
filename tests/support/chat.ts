/**
 * A customer on the WhatsApp fake, talking to the real backend: each `says` sends a signed webhook,
 * waits until the backend has done all its work, and returns what the customer's phone shows.
 */
import type { PhoneMessage } from "@salesbot/shared";
import type { TestBackend } from "./backend.js";

export class Customer {
  constructor(
    private readonly t: TestBackend,
    readonly waId: string,
    readonly name: string,
  ) {}

  private seen = 0;

  /** Sends one message; returns the business messages that arrived in answer. */
  async says(text: string): Promise<string[]> {
    const { httpStatus } = await this.t.whatsapp.simulator.customerSends(this.waId, this.name, { type: "text", text });
    if (httpStatus !== 200) throw new Error(`webhook answered ${httpStatus}`);
    await this.t.backend.runner.idle();
    const replies = this.phone().filter((m) => m.direction === "to_customer");
    const fresh = replies.slice(this.seen).map((m) => m.text);
    this.seen = replies.length;
    return fresh;
  }

  /** Marks everything on the phone as read, e.g. after checking a rep's message. */
  catchUp(): void {
    this.seen = this.phone().filter((m) => m.direction === "to_customer").length;
  }

  phone(): PhoneMessage[] {
    return this.t.whatsapp.simulator.phoneState(this.waId, { viewing: false }).messages;
  }

  async conversation() {
    const conversations = await this.t.backend.store.listConversations("default", 100);
    for (const conversation of conversations) {
      const contact = await this.t.backend.store.getContact("default", conversation.contactId);
      if (contact?.waId === this.waId) return { conversation, contact };
    }
    throw new Error(`no conversation for ${this.waId}`);
  }
}
