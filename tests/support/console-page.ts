/**
 * The sandbox rep console as a test reads and drives it, by role and accessible name where the page
 * offers them and by its data attributes where it shows state (sender, delivery, SLA).
 */
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { UI_TIMEOUT } from "./browser.js";

export const consoleOf = (page: Page) => ({
  page,
  tab: (name: RegExp) => page.getByRole("tab", { name }),
  queueItem: (customer: string) => page.locator("#queue .item", { hasText: customer }),
  /** Every transcript bubble as [sender, text, delivery status]. */
  transcript: () =>
    page.locator("#transcript .msg").evaluateAll((els) => els.map((el) => [el.getAttribute("data-sender"), el.querySelector(".text")?.textContent ?? "", el.getAttribute("data-status")])),
  field: (id: string) => page.locator(`#${id}`).textContent(),
  slaState: () => page.locator("#sla").getAttribute("data-state"),
  notes: () => page.locator("#notes li").evaluateAll((els) => els.map((el) => el.lastChild?.textContent ?? "")),
  toast: page.getByRole("alert"),
  button: (name: string) => page.getByRole("button", { name, exact: true }),
  reply: page.getByRole("textbox", { name: "Reply" }),

  /** Opens a customer's conversation from a queue tab once it has appeared there. */
  async open(tabName: RegExp, customer: string): Promise<void> {
    await page.getByRole("tab", { name: tabName }).click();
    await page.locator("#queue .item", { hasText: customer }).click({ timeout: UI_TIMEOUT });
    await expect.poll(() => page.locator("#conv-name").textContent(), { timeout: UI_TIMEOUT }).toBe(customer);
  },
});
