// A salesperson's day on the example packages, in headless Chromium against the real server, as the seed's
// people: 王芳 (a sales rep of team 1) claims a customer from the pool, logs a visit on it, opens an opportunity
// and quotes it at 15 % off, which the discount approval flow sends to her manager 陈静, who approves it from
// her inbox with a comment; the rep sees the quote approved, and no longer offered for approval.
import { SYSTEM_ACTOR } from '@crm/engine';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWebServer } from '../support/browser.ts';
import { fillDate, messageShown, pick } from '../support/web-steps.ts';

const web = useWebServer({ data: 'examples' });

const PASSWORD = 'Day-passw0rd';
const REP = 'wang.fang';
const MANAGER = 'chen.jing';
const CUSTOMER = '苏州通达运输股份有限公司';
const OPPORTUNITY = '通达运输仓库安防升级';
const LONG = 240_000;

const field = (page: Page, name: string) => page.locator(`#root_${name}`);
const choose = (page: Page, name: string, text: string) => pick(page, field(page, name), text);

/** Picks a record in a relation lookup by typing a piece of its title. */
const lookup = (page: Page, name: string, search: string, text: string) =>
  pick(page, field(page, name), text, { search });

/** A day relative to today, as the date pickers take it (YYYY-MM-DD). */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const signIn = (username: string, path: string) => web.signedInPage({ username, password: PASSWORD }, path);

async function save(page: Page, step: string) {
  await page.getByTestId('record-form').getByRole('button', { name: 'Save', exact: true }).click();
  // a refused save stays on the form: keep a picture of its errors
  await page
    .getByTestId('record-page')
    .waitFor()
    .catch(async (error: unknown) => {
      await web.screenshot(page, `${step}-refused`);
      throw error;
    });
}

describe("a salesperson's day on the example packages", () => {
  beforeAll(async () => {
    const { users } = web.handle.workspace.identity;
    for (const username of [REP, MANAGER]) {
      const user = await users.findByUsername(username);
      if (!user) throw new Error(`the example seed has no user ${username}`);
      await users.setPassword(user.id, { password: PASSWORD });
    }
  });

  it(
    'claims a customer, logs a visit, opens an opportunity and gets a discount approved by the manager',
    async () => {
      const { workspace } = web.handle;
      const rep = await signIn(REP, '/m/customer');

      // 1. the pool: the customer is nobody's, the rep claims it and finds it among hers
      await rep.getByTestId('pool-switch').getByText('Pool').click();
      await rep.getByTestId('list-search').locator('input').fill('通达运输');
      await rep.getByTestId('list-search').locator('input').press('Enter');
      const row = rep.locator('tr').filter({ hasText: CUSTOMER });
      await row.getByTestId('pool-claim').waitFor();
      await web.screenshot(rep, '1-pool');
      await row.getByTestId('pool-claim').click();
      await messageShown(rep, 'Claimed: it is yours now');
      await expect.poll(() => rep.locator('tr').filter({ hasText: CUSTOMER }).count()).toBe(0);
      await rep.getByTestId('pool-switch').getByText('All').click();
      await rep.getByRole('link', { name: CUSTOMER }).click();
      const customerPage = rep.getByTestId('record-page');
      await customerPage.getByTestId('record-owner').getByText('Owner: 王芳').waitFor();
      await customerPage.getByTestId('pool-release').waitFor();
      await web.screenshot(rep, '2-claimed');
      const customerId = new URL(rep.url()).pathname.split('/').at(-1) ?? '';
      const visitsBefore = (await workspace.records.get('customer', customerId, SYSTEM_ACTOR)).visit_count;

      // 2. a visit on it: purpose, what was discussed, the next step
      await rep.goto('/m/visit/new');
      await rep.getByTestId('record-form').waitFor();
      await field(rep, 'subject').fill('仓库安防需求初访');
      await lookup(rep, 'customer', '通达运输', CUSTOMER);
      await fillDate(field(rep, 'visit_date'), day(-1));
      await choose(rep, 'purpose', 'Needs analysis');
      await field(rep, 'content').fill('客户计划年内升级三个仓库的监控与门禁，预算约二十万。');
      await field(rep, 'next_step').fill('下周提交安防方案与报价');
      await web.screenshot(rep, '3-visit-form');
      await save(rep, '3-visit');
      await rep.getByRole('heading', { name: '仓库安防需求初访' }).waitFor();

      // 3. an opportunity for the customer
      await rep.goto('/m/opportunity/new');
      await rep.getByTestId('record-form').waitFor();
      await field(rep, 'title').fill(OPPORTUNITY);
      await lookup(rep, 'customer', '通达运输', CUSTOMER);
      await choose(rep, 'stage', 'Proposal and quote');
      await field(rep, 'amount').fill('200000');
      await fillDate(field(rep, 'expected_close'), day(30));
      await web.screenshot(rep, '4-opportunity-form');
      await save(rep, '4-opportunity');
      await rep.getByRole('heading', { name: OPPORTUNITY }).waitFor();

      // 4. a quote at 15 % off: above the rep's 10 %, within the manager's 20 %
      await rep.goto('/m/quote/new');
      await rep.getByTestId('record-form').waitFor();
      await lookup(rep, 'opportunity', '安防升级', OPPORTUNITY);
      await fillDate(field(rep, 'quote_date'), day(0));
      await fillDate(field(rep, 'valid_until'), day(30));
      await rep.getByRole('button', { name: 'Add row' }).click();
      await lookup(rep, 'lines_0_product', '彩色激光', '彩色激光打印机');
      // the product's list price comes with it (fetchFrom); wait for it before typing on
      await expect
        .poll(async () => (await field(rep, 'lines_0_list_price').inputValue()).replace(/[^\d.]/g, ''))
        .toMatch(/^3299(\.0+)?$/);
      await field(rep, 'lines_0_quantity').fill('10');
      await field(rep, 'lines_0_discount').fill('15');
      await web.screenshot(rep, '5-quote-form');
      await save(rep, '5-quote');
      const heading = rep.getByTestId('record-page').getByRole('heading', { level: 3 });
      const quoteNumber = (await heading.textContent())?.trim() ?? '';
      expect(quoteNumber).toMatch(/^BJ\d{6}-\d{3}$/);
      const quotes = await workspace.records.list('quote', SYSTEM_ACTOR, {
        filter: { field: 'number', op: 'eq', value: quoteNumber },
        fields: ['id', 'discount_rate', 'total', 'approval'],
      });
      const quote = quotes.data[0];
      expect(quote).toMatchObject({ approval: 'draft' });
      expect(Number(quote.discount_rate)).toBe(15);

      await rep.getByRole('tab', { name: 'Approvals' }).click();
      const approvals = rep.getByTestId('record-approvals');
      await approvals.getByRole('button', { name: 'Submit for approval' }).click();
      const card = rep.getByTestId('approval-card');
      await card.locator('[data-state="open"]').getByText('Waiting for 陈静').waitFor();
      await card.locator('[data-status="pending"]').waitFor();
      // in approval, the quote offers no second submission (the server's list, loaded again, is empty)
      await rep.locator('[data-testid="record-approvals"][data-actions="0"]').waitFor();
      expect(await approvals.getByRole('button', { name: 'Submit for approval' }).count()).toBe(0);
      await web.screenshot(rep, '6-submitted');

      // 5. the manager approves it from her inbox with a comment
      const manager = await signIn(MANAGER, '/inbox');
      const pending = manager.locator('.crm-inbox-row').filter({ hasText: quoteNumber });
      await pending.getByText('王芳').waitFor();
      await web.screenshot(manager, '7-inbox');
      await pending.getByText('Discount approval').click();
      const drawer = manager.locator('.crm-task-drawer');
      await drawer.getByRole('link', { name: quoteNumber }).waitFor();
      await drawer.getByRole('button', { name: 'Approve' }).click();
      const dialog = manager.locator('.crm-action-dialog');
      await dialog.getByLabel('Comment').fill('15% 可以，请尽快签约');
      await dialog.getByRole('button', { name: 'Approve' }).click();
      await drawer.getByText('Nothing for you to do on this task now').waitFor();
      await web.screenshot(manager, '8-approved');

      // the rep sees the outcome among what she submitted and on the quote
      await rep.goto('/inbox?tab=submitted');
      const submitted = rep.locator('.crm-inbox-row').filter({ hasText: quoteNumber });
      await submitted.locator('[data-status="approved"]').waitFor();
      await submitted.getByText('Discount approval').click();
      await rep.waitForURL(new RegExp(`/m/quote/${quote.id}\\?tab=approvals$`));
      await rep
        .getByTestId('approval-card')
        .locator('[data-state="approved"]')
        .getByText('“15% 可以，请尽快签约”')
        .waitFor();
      await web.screenshot(rep, '9-outcome');
      const stored = await workspace.records.get('quote', quote.id, SYSTEM_ACTOR);
      expect(stored.approval).toBe('approved');
      // approved, the quote offers no submission any more: not on a fresh load of its page, nor from the server
      const repUser = await workspace.identity.users.findByUsername(REP);
      await rep.reload();
      await rep.locator('[data-testid="record-approvals"][data-actions="0"]').waitFor();
      expect(
        await rep
          .getByTestId('record-approvals')
          .getByRole('button', { name: 'Submit for approval' })
          .count(),
      ).toBe(0);
      const repActor = { userId: repUser?.id ?? null, via: 'session' } as const;
      expect(await workspace.workflows.triggers.actions('quote', quote.id, repActor)).toEqual([]);
      await expect(
        workspace.workflows.triggers.runAction('quote', quote.id, 'discount_approval', repActor),
      ).rejects.toMatchObject({
        kind: 'conflict',
        problems: [expect.objectContaining({ code: 'condition-not-met' })],
      });

      // what the day left behind: the customer is hers, with the visit and the deal the quote belongs to
      const customer = await workspace.records.get('customer', customerId, SYSTEM_ACTOR);
      expect(customer).toMatchObject({ name: CUSTOMER, owner: repUser?.id });
      expect(customer.visit_count).toBe(Number(visitsBefore) + 1);
      expect(customer.claimed_at).not.toBeNull();
      const ofCustomer = { filter: { field: 'customer', op: 'eq', value: customerId } } as const;
      const visits = await workspace.records.list('visit', SYSTEM_ACTOR, ofCustomer);
      expect(visits.data).toContainEqual(
        expect.objectContaining({
          subject: '仓库安防需求初访',
          purpose: 'needs',
          next_step: '下周提交安防方案与报价',
        }),
      );
      const deals = await workspace.records.list('opportunity', SYSTEM_ACTOR, ofCustomer);
      expect(deals.data).toMatchObject([{ title: OPPORTUNITY, stage: 'proposal', owner: repUser?.id }]);
      expect(stored.opportunity).toBe(deals.data[0].id);
    },
    LONG,
  );
});
