// Steps the browser tests share, written to hold on a loaded 2-core machine: each finds what it acts on
// inside its own container (a select's own dropdown, the confirm dialog), never the first or last match
// on the page, and waits for the state that proves the step took before the test goes on.
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** Collects the page's uncaught errors (a broken component shows as one); the test expects none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

// ---- messages (antd's toasts)

interface ShownMessage {
  text: string;
  taken: boolean;
}

/**
 * Runs in every page before its own scripts (browser.ts adds it to each context): keeps the text of every
 * antd message and notification shown. A toast lasts 3 s, which a slow step on a loaded machine can
 * outlast between the click and the check; the record does not fade.
 */
export function recordMessages(): void {
  const shown: ShownMessage[] = [];
  const seen = new WeakSet<Element>();
  Object.assign(window, { __crmMessages: shown });
  // no named inner functions: the test transform would wrap them in a helper the page does not have
  new MutationObserver(() => {
    for (const notice of document.querySelectorAll('.ant-message-notice, .ant-notification-notice')) {
      const text = notice.textContent?.trim() ?? '';
      if (text === '' || seen.has(notice)) continue;
      seen.add(notice);
      shown.push({ text, taken: false });
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
}

/**
 * Waits until the page has shown a message (a toast) containing `text`, one that no earlier wait took: a
 * second save waits for its own "Saved", not the first one's. Faded or not, it counts.
 */
export async function messageShown(page: Page, text: string): Promise<void> {
  try {
    await page.waitForFunction(
      (wanted) => {
        const shown = (window as unknown as { __crmMessages?: ShownMessage[] }).__crmMessages ?? [];
        const match = shown.find((message) => !message.taken && message.text.includes(wanted));
        if (match) match.taken = true;
        return match !== undefined;
      },
      text,
      { polling: 100 },
    );
  } catch (error) {
    const shown = await page
      .evaluate(() => (window as unknown as { __crmMessages?: ShownMessage[] }).__crmMessages ?? [])
      .catch(() => []);
    const list = shown.map((message) => JSON.stringify(message.text)).join(', ') || 'none';
    throw new Error(`no message with "${text}" was shown (shown: ${list})`, { cause: error });
  }
}

// ---- dialogs

/** The confirm dialog (modal.confirm) with `text` in it: its buttons, not the page's same-named ones. */
export function confirmDialog(page: Page, text?: string): Locator {
  const dialogs = page.locator('.ant-modal-confirm');
  return text === undefined ? dialogs : dialogs.filter({ hasText: text });
}

/** The open Popconfirm asking `text`: its OK button, not another one on the page. */
export function confirmPopover(page: Page, text: string): Locator {
  return page.locator('.ant-popconfirm').filter({ hasText: text });
}

// ---- selects

/** The combobox input of an antd Select, given the input itself or an element around it. */
function comboboxOf(target: Locator): Locator {
  return target.locator('xpath=descendant-or-self::input[@role="combobox"]');
}

/** The Select's own box around its input (where the chosen options show). */
function selectBoxOf(target: Locator): Locator {
  return comboboxOf(target).locator(
    'xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]',
  );
}

/**
 * Opens the antd Select and returns its own dropdown. antd draws dropdowns at the end of the page, and
 * one that is still closing (the previous select's) is visible too: the input's aria-controls names the
 * list inside its own.
 */
export async function openSelect(page: Page, target: Locator): Promise<Locator> {
  const input = comboboxOf(target);
  if ((await input.getAttribute('aria-expanded')) !== 'true') await target.click();
  await input.and(page.locator('[aria-expanded="true"][aria-controls]')).waitFor();
  const list = await input.getAttribute('aria-controls');
  if (!list) throw new Error('the select opened without naming its list');
  return page.locator('.ant-select-dropdown').filter({ has: page.locator(`[id="${list}"]`) });
}

/** The option showing exactly `text` in an open select's dropdown. */
export function optionOf(page: Page, dropdown: Locator, text: string): Locator {
  return dropdown.locator('.ant-select-item-option').filter({ has: page.getByText(text, { exact: true }) });
}

export interface PickOptions {
  /** Typed into the select first (a lookup asks the server for what matches). */
  search?: string;
  /**
   * What the pick leaves behind when the select keeps no value (an "add …" select that empties itself):
   * waited for instead of the select showing the text, and the pick is not tried again.
   */
  until?: Locator;
}

/**
 * Picks the option showing `text` (exactly) in the antd Select `target` (its input or an element around
 * it) and waits until the select shows it. Under load a click can land while the dropdown is still
 * drawing and take nothing (seen in CI: the select stayed empty), so a single select is tried again; a
 * multiple one is not (a second click on an option takes it out again).
 */
export async function pick(page: Page, target: Locator, text: string, options: PickOptions = {}) {
  const box = selectBoxOf(target);
  const multiple = ((await box.getAttribute('class')) ?? '').includes('ant-select-multiple');
  const chosen = multiple
    ? box.locator('.ant-select-selection-item').filter({ hasText: text })
    : box.filter({ hasText: text });
  for (let attempt = 1; ; attempt++) {
    const dropdown = await openSelect(page, target);
    if (options.search !== undefined) await comboboxOf(target).fill(options.search);
    await optionOf(page, dropdown, text).click();
    if (options.until) {
      await options.until.waitFor();
      return;
    }
    try {
      await chosen.first().waitFor({ timeout: multiple || attempt === 3 ? undefined : 10_000 });
      return;
    } catch (error) {
      if (multiple || attempt === 3) throw error;
    }
  }
}

/** Picks the option titled `title` in the antd Select with `testId`. */
export function choose(page: Page, testId: string, title: string, options: PickOptions = {}): Promise<void> {
  return pick(page, page.getByTestId(testId), title, options);
}

// ---- dates

/** Types a day (YYYY-MM-DD) into an antd DatePicker and leaves it, waiting until the field keeps it. */
export async function fillDate(input: Locator, day: string): Promise<void> {
  await input.click();
  await input.fill(day);
  await input.press('Tab');
  await expect.poll(() => input.inputValue()).toBe(day);
}
