// The generated record form and the record page in headless Chromium against the real server: create
// through the form, client and server validation errors on their fields (sub-table cells included), a
// visibleWhen condition toggling live, edit, the history entry and its restore, a 409 merge, the leave guard.
import { SYSTEM_ACTOR } from '@crm/engine';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { PHONE_VIEWPORT, useWebServer } from '../support/browser.ts';
import { confirmDialog, fillDate, pick } from '../support/web-steps.ts';

const web = useWebServer();

// each test walks a whole form in a real browser; under a full suite on 2 shared cores that takes a while
const LONG = 120_000;

const quote = {
  id: 'mod_e2e_quote',
  name: 'quote',
  label: { en: 'Quote', 'zh-CN': '报价' },
  titleField: 'title',
  fields: [
    { id: 'q_title', name: 'title', type: 'text', label: { en: 'Title', 'zh-CN': '标题' }, required: true },
    {
      id: 'q_customer',
      name: 'customer',
      type: 'relation',
      label: { en: 'Customer', 'zh-CN': '客户' },
      target: 'mod_demo_customer',
      inverse: { name: 'quotes', label: { en: 'Quotes', 'zh-CN': '报价' } },
    },
    {
      id: 'q_stage',
      name: 'stage',
      type: 'select',
      label: { en: 'Stage', 'zh-CN': '阶段' },
      options: [
        { value: 'draft', label: { en: 'Draft', 'zh-CN': '草稿' } },
        { value: 'lost', label: { en: 'Lost', 'zh-CN': '丢单' } },
      ],
    },
    {
      id: 'q_reason',
      name: 'lost_reason',
      type: 'text',
      label: { en: 'Lost reason', 'zh-CN': '丢单原因' },
      required: true,
      visibleWhen: 'stage = "lost"',
    },
    {
      id: 'q_budget',
      name: 'budget',
      type: 'money',
      label: { en: 'Budget', 'zh-CN': '预算' },
      currency: 'CNY',
    },
    { id: 'q_notes', name: 'notes', type: 'text', label: { en: 'Notes', 'zh-CN': '备注' } },
    { id: 'q_rep', name: 'sales_rep', type: 'user', label: { en: 'Sales rep', 'zh-CN': '销售' } },
    { id: 'q_dept', name: 'department', type: 'department', label: { en: 'Department', 'zh-CN': '部门' } },
    { id: 'q_due', name: 'due', type: 'date', label: { en: 'Due', 'zh-CN': '截止日期' } },
    {
      id: 'q_docs',
      name: 'documents',
      type: 'file',
      label: { en: 'Documents', 'zh-CN': '文件' },
      multiple: true,
    },
    {
      id: 'q_others',
      name: 'competitors',
      type: 'relations',
      label: { en: 'Competitors', 'zh-CN': '竞争对手' },
      target: 'mod_demo_customer',
    },
    {
      id: 'q_tags',
      name: 'tags',
      type: 'multiSelect',
      label: { en: 'Tags', 'zh-CN': '标签' },
      options: [
        { value: 'urgent', label: { en: 'Urgent', 'zh-CN': '紧急' } },
        { value: 'export', label: { en: 'Export', 'zh-CN': '出口' } },
      ],
    },
    {
      id: 'q_units',
      name: 'units',
      type: 'formula',
      label: { en: 'Units', 'zh-CN': '件数' },
      expression: 'sum(for l in lines return l.qty)',
      resultType: 'integer',
    },
    {
      id: 'q_lines',
      name: 'lines',
      type: 'subtable',
      label: { en: 'Lines', 'zh-CN': '明细' },
      fields: [
        { id: 'ql_item', name: 'item', type: 'text', label: { en: 'Item', 'zh-CN': '品名' }, required: true },
        { id: 'ql_qty', name: 'qty', type: 'integer', label: { en: 'Quantity', 'zh-CN': '数量' }, min: 1 },
      ],
    },
  ],
  rules: [
    {
      id: 'r_budget',
      expression: 'budget = null or budget >= 100',
      fields: ['budget'],
      message: { en: 'A quote under 100 is not worth sending', 'zh-CN': '低于100的报价不值得发送' },
    },
  ],
  layout: {
    sections: [
      {
        id: 's_main',
        label: { en: 'Quote', 'zh-CN': '报价' },
        columns: 2,
        fields: ['title', 'customer', 'stage', 'lost_reason', 'budget', 'notes'],
      },
      { id: 's_lines', label: { en: 'Lines', 'zh-CN': '明细' }, columns: 1, fields: ['lines'] },
    ],
  },
};

beforeAll(async () => {
  const { definitions } = web.handle.workspace;
  await definitions.saveDraft(quote);
  await definitions.publish();
});

const field = (page: Page, name: string) => page.locator(`#root_${name}`);
const fieldErrors = (page: Page, label: string) =>
  page
    .locator('.ant-form-item')
    .filter({ has: page.locator(`label:text-is("${label}")`) })
    .locator('.ant-form-item-explain');

async function save(page: Page) {
  await page.getByTestId('record-form').getByRole('button', { name: 'Save', exact: true }).click();
}

const CUSTOMER = '上海华东精密机械有限公司';

describe('the record form and record page', () => {
  it(
    'creates a record through the form, showing client and server errors on their fields and cells',
    async () => {
      const page = await web.loggedInPage('/m/quote/new');
      await page.getByTestId('record-form').waitFor();
      await save(page);
      await expect.poll(() => fieldErrors(page, 'Title').textContent()).toContain('is required');

      await field(page, 'title').fill('Lathe retrofit');
      // the condition applies live: the lost reason shows (and is required) only for a lost quote
      await expect.poll(() => page.locator('label:text-is("Lost reason")').count()).toBe(0);
      await pick(page, field(page, 'stage'), 'Lost');
      await page.locator('label:text-is("Lost reason")').waitFor();
      await save(page);
      await expect.poll(() => fieldErrors(page, 'Lost reason').textContent()).toContain('is required');
      await pick(page, field(page, 'stage'), 'Draft');
      await expect.poll(() => page.locator('label:text-is("Lost reason")').count()).toBe(0);

      // relation lookup with search: the customer's name, found by a piece of it
      await pick(page, field(page, 'customer'), CUSTOMER, { search: '华东' });

      // the sub-table grid: two rows, a cell error, reorder, remove
      await page.getByRole('button', { name: 'Add row' }).click();
      await page.getByRole('button', { name: 'Add row' }).click();
      await field(page, 'lines_0_item').fill('Spindle');
      await field(page, 'lines_0_qty').fill('3');
      await field(page, 'lines_1_qty').fill('2');
      await field(page, 'budget').fill('50');
      await save(page);
      const cellError = page.locator('.crm-subtable .ant-form-item-explain');
      await expect.poll(() => cellError.first().textContent()).toContain('is required');
      await field(page, 'lines_1_item').fill('Chuck');
      await page.getByRole('button', { name: 'Move down 1' }).click();
      await expect.poll(() => field(page, 'lines_0_item').inputValue()).toBe('Chuck');

      // the rule is the server's: its error lands on the budget field, in the user's language
      await save(page);
      await expect
        .poll(() => fieldErrors(page, 'Budget').textContent())
        .toContain('A quote under 100 is not worth sending');
      await web.screenshot(page, 'form-errors');
      await field(page, 'budget').fill('1200');
      await save(page);

      await page.getByTestId('record-page').waitFor();
      await page.getByRole('heading', { name: 'Lathe retrofit' }).waitFor();
      const stored = await web.handle.workspace.records.list('quote', SYSTEM_ACTOR, {
        fields: ['title', 'lines', 'budget'],
      });
      expect(stored.data).toMatchObject([
        {
          title: 'Lathe retrofit',
          budget: { amount: 1200, currency: 'CNY' },
          lines: [
            { item: 'Chuck', qty: 2 },
            { item: 'Spindle', qty: 3 },
          ],
        },
      ]);
      await page.getByTestId('record-page').getByRole('link', { name: CUSTOMER }).waitFor();
      await page.getByTestId('record-page').getByText('Units').waitFor();
      // the read view hides what the condition hides
      expect(await page.getByText('Lost reason').count()).toBe(0);
      await web.screenshot(page, 'record-page');
    },
    LONG,
  );

  it(
    'edits, shows the change in the history, and restores the earlier version',
    async () => {
      const created = await web.handle.workspace.records.create(
        'quote',
        { title: 'First title', notes: 'n' },
        SYSTEM_ACTOR,
      );
      const page = await web.loggedInPage(`/m/quote/${created.id}`);
      await page.getByRole('button', { name: 'Edit' }).click();
      await page.getByTestId('record-form').waitFor();
      await field(page, 'title').fill('Second title');
      await field(page, 'title').press('Enter'); // Enter submits
      await page.getByRole('heading', { name: 'Second title' }).waitFor();

      await page.getByRole('tab', { name: 'History' }).click();
      const latest = page.locator('.crm-history-entry[data-version="2"]');
      await expect.poll(() => latest.textContent()).toContain('Title: First title → Second title');
      await page
        .locator('.crm-history-entry[data-version="1"]')
        .getByRole('button', { name: 'Restore this version' })
        .click();
      await confirmDialog(page).getByRole('button', { name: 'OK' }).click();
      await page.getByRole('heading', { name: 'First title' }).waitFor();
      await expect
        .poll(() => page.locator('.crm-history-entry[data-version="3"]').textContent())
        .toContain('restored version 1');
      await web.screenshot(page, 'history');
      const record = await web.handle.workspace.records.get('quote', created.id, SYSTEM_ACTOR);
      expect(record).toMatchObject({ title: 'First title', version: 3 });
    },
    LONG,
  );

  it(
    'shows what someone else saved meanwhile and merges field by field',
    async () => {
      const { records } = web.handle.workspace;
      const created = await records.create('quote', { title: 'Shared', notes: 'original' }, SYSTEM_ACTOR);
      const page = await web.loggedInPage(`/m/quote/${created.id}/edit`);
      await page.getByTestId('record-form').waitFor();
      await field(page, 'title').fill('Shared (mine)');
      await field(page, 'notes').fill('my notes');
      await records.update('quote', created.id, { notes: 'their notes', stage: 'draft' }, SYSTEM_ACTOR);
      await save(page);

      const dialog = page.locator('.ant-modal').filter({ hasText: 'Someone else changed this record' });
      await dialog.waitFor();
      await expect.poll(() => dialog.locator('tbody tr.ant-table-row').count()).toBe(2); // notes (both changed), stage (theirs)
      await web.screenshot(page, 'conflict');
      await dialog.getByText('Take theirs').click();
      await dialog.getByRole('button', { name: 'Merge' }).click();
      await save(page);
      await page.getByRole('heading', { name: 'Shared (mine)' }).waitFor();
      expect(await records.get('quote', created.id, SYSTEM_ACTOR)).toMatchObject({
        title: 'Shared (mine)',
        notes: 'their notes',
        stage: 'draft',
        version: 3,
      });
    },
    LONG,
  );

  it(
    'asks before leaving a form with unsaved changes; Esc cancels a clean form',
    async () => {
      const created = await web.handle.workspace.records.create('quote', { title: 'Guarded' }, SYSTEM_ACTOR);
      const page = await web.loggedInPage(`/m/quote/${created.id}/edit`);
      const form = page.getByTestId('record-form');
      // what the leave guard knows: the form reports a change to the page a moment after the keystroke
      const guarded = (dirty: boolean) => form.and(page.locator(`[data-dirty="${dirty}"]`)).waitFor();
      await guarded(false);
      await field(page, 'notes').fill('unsaved');
      await guarded(true);
      await page.getByTestId('app-menu').getByText('Customer', { exact: true }).click();
      const confirm = page.locator('.ant-modal-confirm').filter({ hasText: 'Leave without saving?' });
      await confirm.waitFor();
      await confirm.getByRole('button', { name: 'Stay' }).click();
      expect(page.url()).toContain(`/m/quote/${created.id}/edit`);
      await field(page, 'notes').fill('');
      await guarded(false);
      await field(page, 'notes').press('Escape');
      await page.waitForURL(new RegExp(`/m/quote/${created.id}$`));
    },
    LONG,
  );

  it(
    'uploads attachments, picks people, departments and dates, and lists related records',
    async () => {
      const { workspace } = web.handle;
      await workspace.identity.departments.create({ name: { en: 'East sales', 'zh-CN': '华东销售' } });
      const page = await web.loggedInPage('/m/quote/new');
      await page.getByTestId('record-form').waitFor();
      await field(page, 'title').fill('With documents');
      await pick(page, field(page, 'customer'), CUSTOMER, { search: '华东' });
      await page.locator('#root_documents input[type=file]').setInputFiles({
        name: 'spec.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('the specification'),
      });
      await page.locator('#root_documents .ant-upload-list').getByText('spec.txt').waitFor();
      await pick(page, field(page, 'sales_rep'), 'Test admin', { search: 'test' });
      await pick(page, field(page, 'department'), 'East sales');
      for (const [search, name] of [
        ['华东', CUSTOMER],
        ['智云', '北京智云信息技术有限公司'],
      ]) {
        await pick(page, field(page, 'competitors'), name, { search });
      }
      await pick(page, field(page, 'tags'), 'Urgent');
      await pick(page, field(page, 'tags'), 'Export');
      await page.getByRole('heading', { name: 'New Quote' }).click(); // closes the dropdown
      await fillDate(field(page, 'due'), '2026-03-01');
      await save(page);
      await page.getByRole('heading', { name: 'With documents' }).waitFor();
      const details = page.getByTestId('record-page');
      await details.getByText('Test admin', { exact: true }).waitFor();
      await details.getByText('East sales').waitFor();
      await details.getByText('Mar 1, 2026').waitFor();
      await details.getByText('Urgent, Export').waitFor();
      const stored = await workspace.records.list('quote', SYSTEM_ACTOR, {
        filter: { field: 'title', op: 'eq', value: 'With documents' },
        fields: ['competitors', 'tags'],
      });
      expect(stored.data[0]).toMatchObject({ tags: ['urgent', 'export'] });
      expect(stored.data[0].competitors).toHaveLength(2);
      await page.getByRole('tab', { name: 'Attachments (1)' }).click();
      const link = page.getByRole('link', { name: 'spec.txt' });
      const download = await page.request.get(`${web.url}${await link.getAttribute('href')}`);
      expect(await download.text()).toBe('the specification');

      // the customer's page lists the quote among its related records
      await page.getByRole('tab', { name: 'Details' }).click();
      // the customer, and the same company again among the competitors: both links go to its page
      await details.getByRole('link', { name: CUSTOMER }).first().click();
      await page.getByRole('tab', { name: 'Related' }).click();
      await page.getByTestId('related-quotes').getByRole('link', { name: 'With documents' }).waitFor();
      await web.screenshot(page, 'related');
    },
    LONG,
  );

  it(
    'shows a not-found state for a record that does not exist',
    async () => {
      const page = await web.loggedInPage('/m/quote/00000000-0000-4000-8000-000000000000');
      await page.getByTestId('error').getByText('This page does not exist').waitFor();
    },
    LONG,
  );

  it(
    'lays the record page out for a phone, in Chinese',
    async () => {
      const created = await web.handle.workspace.records.create(
        'quote',
        {
          title: '手机上的报价',
          stage: 'lost',
          lost_reason: '价格',
          budget: { amount: 980, currency: 'CNY' },
        },
        SYSTEM_ACTOR,
      );
      const page = await web.loggedInPage(`/m/quote/${created.id}`, {
        viewport: PHONE_VIEWPORT,
        locale: 'zh-CN',
      });
      await page.getByRole('heading', { name: '手机上的报价' }).waitFor();
      await page.getByText('丢单原因').waitFor();
      await page.getByText('¥980.00').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await web.screenshot(page, 'record-page-phone');
    },
    LONG,
  );
});
