// Module settings an admin sets in the designer without JSON, in a real browser against the real server,
// each seen working in the runtime app: a sub-table's row rule (the form refuses a bad row with the
// rule's message), a customer pool with a claim limit (the list's Pool view), and the list view's
// default columns and sort.
import type { ModuleDefinition } from '@crm/engine';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api.ts';
import { useWebServer } from '../support/browser.ts';
import { organisation } from '../support/org.ts';
import { choose, messageShown, openSelect, optionOf, pick, watchErrors } from '../support/web-steps.ts';

const web = useWebServer();

const text = (en: string, zh: string) => ({ en, 'zh-CN': zh });
const PASSWORD = 'Settings-passw0rd';
const ADMIN = { userId: null, via: 'system' } as const;

const order: ModuleDefinition = {
  id: 'mod_ds_order',
  name: 'ds_order',
  label: text('Order', '订单'),
  titleField: 'title',
  fields: [
    { id: 'ds_o_title', name: 'title', type: 'text', label: text('Title', '标题'), required: true },
    {
      id: 'ds_o_lines',
      name: 'lines',
      type: 'subtable',
      label: text('Lines', '明细'),
      fields: [
        { id: 'ds_l_item', name: 'item', type: 'text', label: text('Item', '品名') },
        { id: 'ds_l_qty', name: 'qty', type: 'integer', label: text('Quantity', '数量') },
      ],
    },
  ],
};

const lead: ModuleDefinition = {
  id: 'mod_ds_lead',
  name: 'ds_lead',
  label: text('Lead', '线索'),
  titleField: 'name',
  fields: [
    { id: 'ds_ld_name', name: 'name', type: 'text', label: text('Name', '名称'), required: true },
    { id: 'ds_ld_note', name: 'note', type: 'text', label: text('Note', '备注') },
    { id: 'ds_ld_claimed', name: 'claimed_at', type: 'datetime', label: text('Claimed at', '领取时间') },
    {
      id: 'ds_ld_reason',
      name: 'reason',
      type: 'select',
      label: text('Reason', '原因'),
      options: [
        { value: 'new', label: text('New lead', '新线索') },
        { value: 'released', label: text('Released by its owner', '负责人放弃') },
      ],
    },
  ],
};

async function openModuleTab(page: Page, name: string, tab: string) {
  await page.goto('/designer/');
  await page.getByTestId(`module-${name}`).click();
  await page.getByTestId('module-designer').waitFor();
  await page.getByRole('tab', { name: tab }).click();
}

/** Saves the draft, then publishes it through the Publish tab and waits for the new version. */
async function saveAndPublish(page: Page, version: number) {
  await page.getByTestId('save-draft').click();
  await messageShown(page, 'Draft saved');
  // saved: nothing is left unsaved, so the button is off until the next edit
  await expect.poll(() => page.getByTestId('save-draft').isDisabled()).toBe(true);
  await page.getByRole('tab', { name: 'Publish' }).click();
  await page.getByTestId('publish-preview').click();
  const apply = page.getByTestId('publish-apply');
  await apply.waitFor();
  await apply.click();
  await messageShown(page, `Published as version ${version}`);
}

// many steps through a real browser and two apps each: generous on a loaded two-core machine
describe('module settings in the designer', { timeout: 240_000 }, () => {
  beforeAll(async () => {
    const { workspace } = web.handle;
    await workspace.definitions.saveDraft(order);
    await workspace.definitions.saveDraft(lead);
    await workspace.definitions.publish();
    const org = organisation(web.handle);
    await org.role({
      id: 'ds_rep',
      label: text('Rep', '销售'),
      modules: { [lead.id]: { read: 'own', create: 'own', update: 'own', claim: true } },
    });
    const rep = await workspace.identity.users.create({
      username: 'ds_rep',
      displayName: 'Rita Rep',
      password: PASSWORD,
    });
    await org.grant({ id: rep.id, username: 'ds_rep', departmentId: null }, 'ds_rep');
    const created = await workspace.records.create('ds_lead', { name: '宁波港口贸易' }, ADMIN);
    await workspace.records.update('ds_lead', created.id, { owner: null, reason: 'new' }, ADMIN);
  });

  it('adds a row rule through the form, tries it on a sample row, and the runtime form refuses a bad row', async () => {
    const page = await web.loggedInPage('/');
    const errors = watchErrors(page);
    await openModuleTab(page, 'ds_order', 'Fields');
    await page.getByTestId('field-item-lines').click();
    const rules = page.getByTestId('row-rules');
    await rules.getByTestId('add-row-rule').click();
    const expression = rules.getByTestId('row-rule-expression-0');
    await expression.locator('.cm-content').click();
    // completion offers the row's own fields
    await page.keyboard.type('qt');
    await page.locator('.cm-tooltip-autocomplete li', { hasText: 'qty' }).click();
    await page.keyboard.type(' > 0');
    await expect.poll(() => expression.locator('.cm-content').textContent()).toBe('qty > 0');
    // the record's fields are not a row's: the server's check underlines one
    const when = rules.getByTestId('row-rule-when-0');
    await when.locator('.cm-content').click();
    await page.keyboard.type('title != null');
    await expect.poll(() => when.locator('.cm-content').textContent()).toBe('title != null');
    // checked while typing too: wait for the check of the whole text, which marks `title` alone
    await expect.poll(() => when.locator('.cm-lintRange-error').allTextContents()).toEqual(['title']);
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Backspace');
    await expect.poll(() => when.locator('.cm-lintRange-error').count()).toBe(0);
    await rules.getByTestId('row-rule-message-0-en').fill('Each line needs a quantity above zero');
    await rules.getByTestId('row-rule-message-0-zh').fill('每行数量必须大于零');
    // the fields the error is shown on: a multiple select stays open until Escape
    const shownOn = rules.getByTestId('row-rule-fields-0');
    await pick(page, shownOn, 'Quantity');
    await shownOn.locator('input').press('Escape');
    await shownOn.locator('input[aria-expanded="false"]').waitFor();

    // try it on a sample row
    await rules.getByTestId('row-rule-0').getByRole('button', { name: 'Try it' }).click();
    const trial = rules.getByTestId('try-panel');
    await trial.getByTestId('try-sample').fill('{ "item": "Bolt", "qty": 0 }');
    await trial.getByTestId('try-run').click();
    await trial.getByTestId('try-result').getByText('false', { exact: true }).waitFor();
    await web.screenshot(page, 'row-rule');

    await saveAndPublish(page, 2);
    const state = await apiClient(web.handle).get<{
      published: { fields: { name: string; rules?: unknown[] }[] };
    }>('/api/meta/modules/ds_order');
    expect(state.body.published.fields.find((f) => f.name === 'lines')?.rules).toEqual([
      expect.objectContaining({
        expression: 'qty > 0',
        fields: ['qty'],
        message: text('Each line needs a quantity above zero', '每行数量必须大于零'),
      }),
    ]);

    await page.goto('/m/ds_order/new');
    await page.locator('#root_title').fill('Bad order');
    await page.getByRole('button', { name: 'Add row' }).click();
    await page.locator('#root_lines_0_item').fill('Bolt');
    await page.locator('#root_lines_0_qty').fill('0');
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .locator('.crm-subtable .ant-form-item-explain')
      .getByText('Each line needs a quantity above zero')
      .waitFor();
    expect((await web.handle.workspace.records.list('ds_order', ADMIN, {})).data).toEqual([]);
    await page.locator('#root_lines_0_qty').fill('4');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('record-page').waitFor();
    expect(errors).toEqual([]);
  });

  it('turns on a customer pool with a claim limit through the form, and the runtime shows the Pool view', async () => {
    const page = await web.loggedInPage('/');
    const errors = watchErrors(page);
    await openModuleTab(page, 'ds_lead', 'Module');
    const pool = page.getByTestId('pool-settings');
    await pool.getByTestId('pool-enabled').click();
    const limit = pool.getByRole('spinbutton');
    await limit.fill('5');
    // only date-time fields are offered for the claim time
    const claimedAt = pool.getByTestId('pool-claimedAtField');
    const dropdown = await openSelect(page, claimedAt);
    await optionOf(page, dropdown, 'Claimed at (claimed_at)').waitFor();
    expect(await optionOf(page, dropdown, 'Note (note)').count()).toBe(0);
    await pick(page, claimedAt, 'Claimed at (claimed_at)');
    await choose(page, 'pool-reasonField', 'Reason (reason)');
    await choose(page, 'pool-releaseReason', 'Released by its owner');
    await web.screenshot(page, 'pool');

    await saveAndPublish(page, 2);
    const state = await apiClient(web.handle).get<{ published: ModuleDefinition }>(
      '/api/meta/modules/ds_lead',
    );
    expect(state.body.published.pool).toEqual({
      claimLimit: 5,
      claimedAtField: 'claimed_at',
      reasonField: 'reason',
      releaseReason: 'released',
    });

    const rep = await web.signedInPage({ username: 'ds_rep', password: PASSWORD }, '/m/ds_lead');
    await rep.getByTestId('pool-switch').getByText('Pool').click();
    const row = rep.locator('tr').filter({ hasText: '宁波港口贸易' });
    await row.getByTestId('pool-claim').click();
    await messageShown(rep, 'Claimed: it is yours now');
    const claimed = (await web.handle.workspace.records.list('ds_lead', ADMIN, {})).data[0];
    expect(claimed?.claimed_at).toEqual(expect.any(String));
    expect(errors).toEqual([]);
  });

  it('sets the list’s default columns and sort, and the runtime list shows them', async () => {
    const page = await web.loggedInPage('/');
    const errors = watchErrors(page);
    await openModuleTab(page, 'contact', 'Module');
    const view = page.getByTestId('list-view-settings');
    const columns = () =>
      view
        .locator('[data-testid^="list-column-"]')
        .evaluateAll((items) => items.map((i) => i.dataset.testid ?? ''));
    const before = await columns();
    expect(before.length).toBeGreaterThan(2);
    // keep three columns: remove the rest, add the email, and move it to the front
    for (const id of before.slice(2)) {
      const name = id.replace('list-column-', '');
      const item = view.getByTestId(`list-column-${name}`);
      await item.getByRole('button', { name: /^Remove column/ }).click();
      await item.waitFor({ state: 'detached' });
    }
    await choose(page, 'list-add-column', 'Email (email)', { until: view.getByTestId('list-column-email') });
    await view.getByRole('button', { name: 'Move Email up' }).click();
    await view.getByRole('button', { name: 'Move Email up' }).click();
    const chosen = ['list-column-email', ...before.slice(0, 2)];
    await expect.poll(columns).toEqual(chosen);
    await choose(page, 'list-sort-field', 'Name (name)');
    await view.getByTestId('list-sort-direction').getByText('Descending').click();
    await web.screenshot(page, 'list-view');

    await saveAndPublish(page, 2);
    const state = await apiClient(web.handle).get<{ published: ModuleDefinition }>(
      '/api/meta/modules/contact',
    );
    const names = chosen.map((id) => id.replace('list-column-', ''));
    expect(state.body.published.listView).toEqual({ columns: names, sort: '-name' });

    const expected = await apiClient(web.handle).get<{ data: { name: string }[] }>(
      '/api/modules/contact/records?sort=-name&limit=3&fields=name',
    );
    await page.goto('/m/contact');
    const table = page.locator('.ant-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    const headers = await table.locator('thead th').allTextContents();
    const labels = state.body.published.fields
      .filter((f) => names.includes(f.name))
      .sort((a, b) => names.indexOf(a.name) - names.indexOf(b.name))
      .map((f) => f.label.en);
    expect(headers.filter((h) => labels.includes(h))).toEqual(labels);
    await table
      .locator('thead th[aria-sort="descending"]')
      .getByText(labels[1] ?? '')
      .waitFor();
    const firstRows = await table
      .locator('tbody tr.ant-table-row')
      .evaluateAll((rows) => rows.slice(0, 3).map((r) => r.textContent ?? ''));
    expect(firstRows.map((row, i) => row.includes(expected.body.data[i]?.name ?? '?'))).toEqual([
      true,
      true,
      true,
    ]);
    expect(errors).toEqual([]);
  });
});
