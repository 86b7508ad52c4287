// The list view in the browser against the real server: filter, keyword, sort, pages, a saved view, bulk
// edit and delete, export, the kanban board with drag (and its 409), the language, the phone layout.
import { readFileSync } from 'node:fs';
import { type StoredRecord, SYSTEM_ACTOR } from '@crm/engine';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { PHONE_VIEWPORT, useWebServer } from '../support/browser.ts';
import { confirmDialog, messageShown, pick } from '../support/web-steps.ts';

const web = useWebServer();

const rows = (page: Page) => page.locator('[data-testid=record-table] tbody tr.ant-table-row');
/** The pager's count, exactly: "2 records" must not match "72 records". */
const total = (page: Page, text: string | RegExp) =>
  page.getByTestId('pager').getByText(text, { exact: true });
const pageNumber = (page: Page, n: number) =>
  page.getByTestId('page-number').getByText(`Page ${n}`, { exact: true });

async function search(page: Page, text: string) {
  const input = page.getByTestId('list-search').locator('input');
  await input.fill(text);
  await input.press('Enter');
}

describe('the list view', () => {
  beforeAll(async () => {
    // 12 demo customers and 60 more: two pages of 50
    for (let i = 0; i < 60; i++) {
      await web.handle.workspace.records.create(
        'customer',
        {
          name: `Batch customer ${String(i).padStart(2, '0')}`,
          customer_type: 'individual',
          province: 'Batch',
        },
        SYSTEM_ACTOR,
      );
    }
  });

  it('lists, searches, filters, sorts and pages through records', async () => {
    const page = await web.loggedInPage('/m/customer');
    await total(page, '72 records').waitFor();
    expect(await rows(page).count()).toBe(50);
    await web.screenshot(page, 'customers');

    await page.getByTestId('page-next').click();
    await pageNumber(page, 2).waitFor();
    await expect.poll(() => rows(page).count()).toBe(22);
    await page.getByTestId('page-previous').click();
    await pageNumber(page, 1).waitFor();
    await expect.poll(() => rows(page).count()).toBe(50);

    // sort by name (the test server's C collation: Latin before Chinese), descending on the second click
    const firstName = () => rows(page).first().locator('td').nth(1).textContent();
    await page.getByRole('columnheader', { name: 'Customer name' }).click();
    await expect.poll(firstName).toBe('Acme Trading Ltd.');
    await page.getByRole('columnheader', { name: 'Customer name' }).click();
    await expect.poll(firstName).toBe('青岛海滨食品有限公司');

    // keyword search
    await search(page, 'customer 07');
    await total(page, '1 records').waitFor();
    await search(page, '');
    await total(page, '72 records').waitFor();

    // a filter: type is Enterprise
    await page.getByTestId('filter-button').click();
    await page.getByRole('button', { name: 'Add condition' }).click();
    await pick(page, page.getByRole('combobox', { name: 'Field' }), 'Type');
    await pick(page, page.getByRole('combobox', { name: 'Value' }), 'Enterprise');
    await page.getByTestId('filter-apply').click();
    const enterprises = await web.handle.workspace.records.list('customer', SYSTEM_ACTOR, {
      filter: { field: 'customer_type', op: 'eq', value: 'enterprise' },
      count: true,
    });
    expect(enterprises.total).toBeGreaterThan(0);
    await total(page, `${enterprises.total} records`).waitFor();
    expect(await rows(page).count()).toBe(enterprises.total);

    // saved as a view, which opens again after a reload
    await page.getByTestId('save-view').click();
    const naming = page.locator('.ant-modal').filter({ has: page.getByTestId('view-name') });
    await naming.getByTestId('view-name').fill('Enterprises');
    await naming.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('saved-views').getByText('Enterprises').waitFor();
    await page.reload();
    await total(page, '72 records').waitFor();
    await pick(page, page.getByTestId('saved-views'), 'Enterprises');
    await total(page, `${enterprises.total} records`).waitFor();
  });

  it('edits one field of the selected records and deletes them', async () => {
    const page = await web.loggedInPage('/m/customer');
    await search(page, 'Batch customer 1');
    await total(page, '10 records').waitFor();
    const row = (name: string) => rows(page).filter({ hasText: name }).locator('.ant-checkbox-input');
    await row('Batch customer 10').check();
    await row('Batch customer 11').check();
    await page.getByTestId('bulk-bar').getByText('2 selected', { exact: true }).waitFor();
    await page.getByTestId('bulk-edit').click();
    const bulkEdit = page.locator('.ant-modal').filter({ hasText: 'Set a field on 2 records' });
    await pick(page, bulkEdit.getByTestId('bulk-field'), 'Province');
    await bulkEdit.locator('input.ant-input').fill('Zhejiang');
    await bulkEdit.locator('#bulk-apply').click();
    await messageShown(page, '2 records updated');
    // the bar goes with the selection it acted on
    await page.getByTestId('bulk-bar').waitFor({ state: 'detached' });
    const moved = await web.handle.workspace.records.list('customer', SYSTEM_ACTOR, {
      filter: { field: 'province', op: 'eq', value: 'Zhejiang' },
    });
    expect(moved.data.map((r) => r.name).sort()).toEqual(['Batch customer 10', 'Batch customer 11']);

    await row('Batch customer 12').check();
    await page.getByTestId('bulk-bar').getByText('1 selected', { exact: true }).waitFor();
    await page.getByTestId('bulk-delete').click();
    // the confirm's own button: before its dialog is drawn, "the last Delete" would be the bar's button again
    await confirmDialog(page, 'Move 1 records to the recycle bin?')
      .getByRole('button', { name: 'Delete' })
      .click();
    await messageShown(page, '1 records deleted');
    await total(page, '9 records').waitFor();
  });

  it('exports the current view as CSV with the rows it shows', async () => {
    const page = await web.loggedInPage('/m/customer');
    await search(page, 'Batch customer 2');
    await total(page, '10 records').waitFor();
    const download = page.waitForEvent('download');
    await page.getByTestId('export-button').hover();
    await page.getByRole('menuitem', { name: 'CSV' }).click();
    const file = await (await download).path();
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toContain('name');
    expect(lines.slice(1).every((line) => line.includes('Batch customer 2'))).toBe(true);
  });

  it('moves an opportunity to another stage on the board, and refuses a stale one', async () => {
    // wide enough for all seven stage columns: a drag that has to scroll the board is not what this tests
    const page = await web.loggedInPage('/m/opportunity', { viewport: { width: 2400, height: 900 } });
    await page.getByTestId('mode-switch').getByText('Board').click();
    await page.getByTestId('kanban-card').first().waitFor();
    const all = await web.handle.workspace.records.list('opportunity', SYSTEM_ACTOR, { limit: 100 });
    const card = (record: StoredRecord) =>
      page.getByTestId('kanban-card').filter({ hasText: String(record.title) });

    // someone else changes an opportunity after the board showed it: the drag gets a 409 and changes nothing
    const stale = all.data.find((r) => r.stage !== 'won') as StoredRecord;
    await web.handle.workspace.records.update(
      'opportunity',
      stale.id,
      { next_step: 'call back' },
      SYSTEM_ACTOR,
    );
    const reread = page.waitForResponse((r) => r.url().includes('/api/modules/opportunity/records?'));
    await card(stale).dragTo(page.getByTestId('kanban-column-won'));
    await messageShown(page, 'Someone else changed this record');
    expect((await web.handle.workspace.records.get('opportunity', stale.id, SYSTEM_ACTOR)).stage).toBe(
      stale.stage,
    );
    await reread; // the board shows the record as it is now

    const moving = all.data.find(
      (r) => r.stage !== 'won' && r.stage !== 'lost' && r.id !== stale.id && Number(r.probability) > 0,
    ) as StoredRecord;
    const stageOf = async (id: string) =>
      (await web.handle.workspace.records.get('opportunity', id, SYSTEM_ACTOR)).stage;
    // the board is read again after each move; holding that back, the next move of the card must go with
    // the version the first move returned (with the one the board read first, it would be refused as stale)
    const isBoard = (url: URL) => url.pathname === '/api/modules/opportunity/records';
    let answerBoard: () => void = () => {};
    const boardHeld = new Promise<void>((resolve) => {
      answerBoard = resolve;
    });
    await page.route(isBoard, async (route) => {
      await boardHeld;
      await route.continue();
    });
    await card(moving).dragTo(page.getByTestId('kanban-column-won'));
    await messageShown(page, 'Moved to Won');
    expect(await stageOf(moving.id)).toBe('won');
    await page.getByTestId('kanban-column-won').getByText(String(moving.title)).waitFor();
    // a move the module's rules refuse (lost needs 0% probability) says why and changes nothing
    await card(moving).dragTo(page.getByTestId('kanban-column-lost'));
    await messageShown(page, 'A lost opportunity has 0% probability');
    expect(await stageOf(moving.id)).toBe('won');
    // and the card is back where it was, without waiting for the board to be read again
    const won = page.getByTestId('kanban-column-won');
    await won
      .getByTestId('kanban-card')
      .filter({ hasText: String(moving.title) })
      .waitFor();
    const boardRead = page.waitForResponse((response) => isBoard(new URL(response.url())));
    answerBoard(); // the route lets every later read through at once
    await boardRead;
    await web.screenshot(page, 'kanban');
  });

  it('shows the list in Chinese, and as cards on a phone', async () => {
    const page = await web.loggedInPage('/m/customer', { locale: 'zh-CN' });
    await page.getByRole('columnheader', { name: '客户名称' }).waitFor();
    // 72, or 71 once the bulk delete above ran
    await total(page, /^共 7[12] 条$/).waitFor();
    await web.screenshot(page, 'customers-zh');
    const phone = await web.loggedInPage('/m/customer', { viewport: PHONE_VIEWPORT });
    await phone.getByTestId('record-cards').waitFor();
    await web.screenshot(phone, 'customers-phone');
  });
});
