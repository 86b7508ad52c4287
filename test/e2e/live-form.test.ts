// A form that computes as the rep types, on the example packages in headless Chromium against the real
// server: a new quote shows its defaults (today's date, 30 days' validity, 13 % VAT, draft); picking a
// product on a line fills its list price from the product; the quantity and the discount change the line
// amount and the quote's totals before anything is saved; the saved quote holds the same values.
import { SYSTEM_ACTOR } from '@crm/engine';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWebServer } from '../support/browser.ts';
import { pick } from '../support/web-steps.ts';

const web = useWebServer({ data: 'examples' });

const PASSWORD = 'Live-passw0rd';
const REP = 'wang.fang';
const OPPORTUNITY = '立信汽车零部件分支机构网络建设';
const PRODUCT = '彩色激光打印机';
const LONG = 240_000;

const field = (page: Page, name: string) => page.locator(`#root_${name}`);

/** A number as shown (grouped, in an input or as text), as a number; null when empty. */
function shownNumber(text: string | null): number | null {
  const digits = (text ?? '').replace(/[^\d.-]/g, '');
  return digits === '' ? null : Number(digits);
}

const inputNumber = async (locator: Locator) => shownNumber(await locator.inputValue());
const textNumber = async (locator: Locator) => shownNumber(await locator.textContent());

/** A day relative to today, as the date pickers show it (YYYY-MM-DD). */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('a quote form that computes as the rep types', () => {
  beforeAll(async () => {
    const { users } = web.handle.workspace.identity;
    const user = await users.findByUsername(REP);
    if (!user) throw new Error(`the example seed has no user ${REP}`);
    await users.setPassword(user.id, { password: PASSWORD });
  });

  it(
    'shows the defaults, fetches the price, computes the line and the totals live, and saves the same',
    async () => {
      const page = await web.signedInPage({ username: REP, password: PASSWORD }, '/m/quote/new');
      const form = page.getByTestId('record-form');
      await form.waitFor();

      // defaults applied by the server on create are there before anything is typed
      await expect.poll(() => field(page, 'quote_date').inputValue()).toBe(day(0));
      expect(await field(page, 'valid_until').inputValue()).toBe(day(30));
      expect(await inputNumber(field(page, 'tax_rate'))).toBe(13);
      await page
        .locator('.ant-select')
        .filter({ has: field(page, 'approval') })
        .getByText('Draft')
        .waitFor();

      // picked in its own dropdown, and checked in the select's box
      await pick(page, field(page, 'opportunity'), OPPORTUNITY, { search: '立信汽车' });

      // a new line starts with its default discount; picking the product fills its list price
      await form.getByRole('button', { name: 'Add row' }).click();
      await field(page, 'lines_0_product').waitFor();
      await expect.poll(() => inputNumber(field(page, 'lines_0_discount'))).toBe(0);
      await pick(page, field(page, 'lines_0_product'), PRODUCT, { search: '彩色激光' });
      await expect.poll(() => inputNumber(field(page, 'lines_0_list_price'))).toBe(3299);

      // quantity and discount: the line and the quote's totals follow at once
      await field(page, 'lines_0_quantity').fill('10');
      await expect.poll(() => textNumber(field(page, 'lines_0_amount'))).toBe(32990);
      await expect.poll(() => textNumber(field(page, 'total'))).toBe(32990);
      await field(page, 'lines_0_discount').fill('15');
      await expect.poll(() => textNumber(field(page, 'lines_0_amount'))).toBe(28041.5);
      await expect.poll(() => textNumber(field(page, 'total'))).toBe(28041.5);
      expect(await textNumber(field(page, 'lines_0_unit_price'))).toBe(2804.15);
      expect(await textNumber(field(page, 'list_total'))).toBe(32990);
      expect(await textNumber(field(page, 'discount_amount'))).toBe(4948.5);
      expect(await textNumber(field(page, 'discount_rate'))).toBe(15);
      expect(await textNumber(field(page, 'tax_amount'))).toBe(3226.01);
      await web.screenshot(page, 'quote-live');

      await form.getByRole('button', { name: 'Save' }).click();
      const recordPage = page.getByTestId('record-page');
      await recordPage.waitFor();
      const id = new URL(page.url()).pathname.split('/').at(-1) ?? '';
      const stored = await web.handle.workspace.records.get('quote', id, SYSTEM_ACTOR);
      expect(stored).toMatchObject({
        quote_date: day(0),
        valid_until: day(30),
        tax_rate: 13,
        approval: 'draft',
        list_total: 32990,
        total: 28041.5,
        discount_amount: 4948.5,
        discount_rate: 15,
        tax_amount: 3226.01,
      });
      expect(stored.lines).toEqual([
        expect.objectContaining({
          list_price: { amount: 3299, currency: 'CNY' },
          quantity: 10,
          discount: 15,
          unit_price: 2804.15,
          amount: 28041.5,
        }),
      ]);
      await web.screenshot(page, 'quote-saved');
    },
    LONG,
  );
});
