// Steps the designer's browser tests share.
import type { Page } from 'playwright-core';

/** Collects the page's uncaught errors (a broken component shows as one); the test expects none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** Picks the option titled `title` in the antd Select with `testId`, and waits for its list to close. */
export async function choose(page: Page, testId: string, title: string): Promise<void> {
  await page.getByTestId(testId).click();
  const list = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last();
  await list.getByTitle(title, { exact: true }).click();
  await list.waitFor({ state: 'hidden' });
}
