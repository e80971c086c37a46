/**
 * The sandbox phone page as a test reads and drives it: the customer's bubbles and typing a message.
 */
import type { Page } from "playwright-core";

export type BubbleDirection = "from_customer" | "to_customer";

export const bubbles = (page: Page, direction: BubbleDirection) => page.locator(`#chat .msg[data-direction="${direction}"]`);

/** Each bubble's own text, without the time and ticks line under it. */
export const bubbleTexts = (page: Page, direction: BubbleDirection) => bubbles(page, direction).evaluateAll((els) => els.map((el) => el.firstChild?.textContent ?? ""));

export async function typeOnPhone(page: Page, text: string): Promise<void> {
  const input = page.getByRole("textbox", { name: "Message" });
  await input.fill(text);
  await input.press("Enter");
}
