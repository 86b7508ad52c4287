// The designer in a real browser against the real server: only administrators get in; an admin adds a
// field, sees it in the live preview, publishes with the plan in words and finds the field in the
// runtime form; a type change shows the values that would not convert and needs a confirmation.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiClient } from '../support/api.ts';
import { useWebServer } from '../support/browser.ts';
import { choose, confirmPopover, messageShown, watchErrors } from '../support/web-steps.ts';

const web = useWebServer();

async function openModule(page: Page, name: string) {
  await page.goto('/designer/');
  await page.getByTestId(`module-${name}`).click();
  await page.getByTestId('module-designer').waitFor();
}

describe('the designer', () => {
  it('refuses a user who is not an administrator', async () => {
    await web.handle.workspace.identity.users.create({
      username: 'clerk',
      password: 'Clerk-passw0rd',
      displayName: 'Clerk',
    });
    const page = await web.newPage();
    await page.goto('/login');
    await page.locator('input#username').fill('clerk');
    await page.locator('input#password').fill('Clerk-passw0rd');
    await page.locator('button[type=submit]').click();
    await page.getByTestId('app-menu').waitFor();
    await page.goto('/designer/');
    await page.getByTestId('admin-only').getByText('Administrators only').waitFor();
    expect(await page.getByTestId('module-list').count()).toBe(0);
  });

  it('adds a field, previews the form, publishes and shows the field in the runtime form', async () => {
    const page = await web.loggedInPage('/');
    const errors = watchErrors(page);
    await openModule(page, 'customer');
    await web.screenshot(page, 'fields');

    await page.getByTestId('add-field').click();
    await page.getByTestId('add-type-text').click();
    await page.getByTestId('field-name').fill('wechat');
    await page.getByTestId('field-label-en').fill('WeChat');
    await page.getByTestId('field-label-zh').fill('微信');
    await page.getByTestId('field-item-wechat').waitFor();
    await page.getByTestId('save-draft').click();
    await messageShown(page, 'Draft saved');

    await page.getByRole('tab', { name: 'Preview' }).click();
    const preview = page.getByTestId('form-preview');
    await preview.getByText('WeChat', { exact: true }).waitFor();
    await preview.getByText('Customer name', { exact: true }).waitFor();
    await web.screenshot(page, 'preview');

    await page.getByRole('tab', { name: 'Publish' }).click();
    await page.getByTestId('publish-preview').click();
    await page.getByTestId('publish-plan').getByText('Add column WeChat (wechat) (Text)').waitFor();
    await web.screenshot(page, 'publish-plan');
    await page.getByTestId('publish-apply').click();
    await messageShown(page, 'Published as version 2');

    await page.goto('/m/customer/new');
    await page
      .getByTestId('record-form')
      .locator('label', { hasText: /^WeChat$/ })
      .waitFor();
    expect(errors).toEqual([]);
  });

  it('warns about a lossy type change with the values that would not convert, then publishes once confirmed', async () => {
    const api = apiClient(web.handle);
    for (const [name, wechat] of [
      ['Lossy One', 'not-a-number'],
      ['Lossy Two', '42'],
    ]) {
      const created = await api.post('/api/modules/customer/records', { name, wechat });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    const page = await web.loggedInPage('/');
    const errors = watchErrors(page);
    await openModule(page, 'customer');
    await page.getByTestId('field-item-wechat').click();
    await choose(page, 'field-type', 'Integer');
    await page.getByTestId('save-draft').click();
    await messageShown(page, 'Draft saved');

    await page.getByRole('tab', { name: 'Publish' }).click();
    await page.getByTestId('publish-preview').click();
    const warning = page.getByTestId('plan-warning');
    await warning
      .getByText("1 value would not convert and would become empty, e.g. 'not-a-number'", { exact: false })
      .waitFor();
    await page.getByTestId('loss-warning').waitFor();
    await page.getByTestId('conversion').getByText('"not-a-number"').waitFor();
    expect(await page.getByTestId('publish-apply').isDisabled()).toBe(true);
    await web.screenshot(page, 'lossy-warning');

    await page.getByTestId('confirm-loss').click();
    await page.getByTestId('publish-apply').click();
    await messageShown(page, 'Published as version 3');
    const records = await api.get<{ data: { name: string; wechat: unknown }[] }>(
      '/api/modules/customer/records?fields=name,wechat&limit=200',
    );
    const byName = new Map(records.body.data.map((r) => [r.name, r.wechat]));
    expect(byName.get('Lossy One')).toBeNull();
    expect(byName.get('Lossy Two')).toBe(42);
    expect(errors).toEqual([]);
  });

  it('shows the version history with a diff and rolls back through the publish', async () => {
    const page = await web.loggedInPage('/');
    const errors = watchErrors(page);
    await openModule(page, 'customer');
    await page.getByRole('tab', { name: 'History' }).click();
    const diff = page.getByTestId('diff-table');
    await diff.getByText('Change the type of field wechat from text to integer').waitFor();
    await web.screenshot(page, 'history');

    // roll back to version 2 (WeChat as text): it becomes the draft, then the usual publish
    await page.getByTestId('restore-2').click();
    await confirmPopover(page, 'Make version 2 the draft?').getByRole('button', { name: 'OK' }).click();
    await messageShown(page, 'Version 2 is now the draft');
    await page.getByRole('tab', { name: 'Publish' }).click();
    await page.getByTestId('publish-preview').click();
    await page.getByTestId('publish-plan').getByText('WeChat (wechat)', { exact: false }).first().waitFor();
    await page.getByTestId('publish-apply').click();
    await messageShown(page, 'Published as version 4');
    const state = await apiClient(web.handle).get<{
      published: { fields: { name: string; type: string }[] };
    }>('/api/meta/modules/customer');
    expect(state.body.published.fields.find((f) => f.name === 'wechat')?.type).toBe('text');
    expect(errors).toEqual([]);
  });

  it('arranges the form: reorders fields by drag and drop and adds a section with its columns', async () => {
    const page = await web.loggedInPage('/');
    const errors = watchErrors(page);
    await openModule(page, 'contact');
    const before = await apiClient(web.handle).get<{ published: { fields: { name: string }[] } }>(
      '/api/meta/modules/contact',
    );
    const [first, second] = before.body.published.fields.map((f) => f.name);
    // dnd-kit's keyboard sensor: space picks the field up, arrow down moves it, space drops it
    // drag the first field's handle below the second (dnd-kit's pointer sensor starts after 4 px)
    const handle = page.getByTestId(`field-item-${first}`).getByRole('button', { name: 'Drag to reorder' });
    const from = await handle.boundingBox();
    const target = await page.getByTestId(`field-item-${second}`).boundingBox();
    if (!from || !target) throw new Error('the field list is not laid out');
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2, target.y + target.height * 0.9, { steps: 12 });
    await page.mouse.up();
    await expect
      .poll(() => page.locator('[data-testid^="field-item-"]').first().getAttribute('data-testid'))
      .toBe(`field-item-${second}`);

    await page.getByRole('tab', { name: 'Layout' }).click();
    await page.getByTestId('add-section').click();
    // contact has no sections yet: the first one takes every field
    await choose(page, 'section-columns', '3 columns');
    await page.getByTestId('save-draft').click();
    await messageShown(page, 'Draft saved');
    const draft = await apiClient(web.handle).get<{
      draft: { fields: { name: string }[]; layout: { sections: { columns?: number }[] } };
    }>('/api/meta/modules/contact');
    expect(draft.body.draft.fields.slice(0, 2).map((f) => f.name)).toEqual([second, first]);
    expect(draft.body.draft.layout.sections.at(-1)?.columns).toBe(3);
    await web.screenshot(page, 'layout');
    await page.getByTestId('discard-draft').click();
    await confirmPopover(page, 'Throw away every change').getByRole('button', { name: 'OK' }).click();
    // nothing left to discard: the draft is gone
    await expect.poll(() => page.getByTestId('discard-draft').isDisabled()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('checks a rule as it is typed, with completion of field names, and tries it on sample values', async () => {
    const page = await web.loggedInPage('/');
    const errors = watchErrors(page);
    await openModule(page, 'customer');
    await page.getByRole('tab', { name: 'Rules & formulas' }).click();
    await page.getByTestId('add-rule').click();
    const editor = page.getByTestId('rule-expression-0').locator('.cm-content');
    await editor.click();
    await page.keyboard.type('credt_limit > 0');
    // the server's check underlines the unknown name where it is
    await page.getByTestId('rule-expression-0').locator('.cm-lintRange-error').waitFor();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('cred');
    await page.locator('.cm-tooltip-autocomplete').getByText('credit_limit').waitFor();
    await page.locator('.cm-tooltip-autocomplete li', { hasText: 'credit_limit' }).first().click();
    await page.keyboard.type(' = null or wechat >= 0');
    await expect.poll(() => editor.textContent()).toBe('credit_limit = null or wechat >= 0');
    await expect
      .poll(() => page.getByTestId('rule-expression-0').locator('.cm-lintRange-error').count())
      .toBe(0);

    await page.getByTestId('rule-0').getByRole('button', { name: 'Try it' }).click();
    await page
      .getByTestId('try-sample')
      .fill('{ "credit_limit": { "amount": 5, "currency": "CNY" }, "wechat": -5 }');
    await page.getByTestId('try-run').click();
    await page
      .getByTestId('try-result')
      .or(page.getByTestId('try-panel').getByRole('alert'))
      .first()
      .waitFor();
    await web.screenshot(page, 'rules');
    await page.getByTestId('try-result').getByText('false', { exact: true }).waitFor();
    await page.getByTestId('try-result').getByText('boolean', { exact: true }).waitFor();
    expect(errors).toEqual([]);
  });

  it('sets a role’s permissions in the matrix, with field rights', async () => {
    const page = await web.loggedInPage('/');
    const errors = watchErrors(page);
    await page.goto('/designer/roles');
    await page.getByTestId('new-role').click();
    await page.getByTestId('role-id').fill('sales_rep');
    await page.getByTestId('role-label-en').fill('Sales rep');
    await page.getByTestId('role-label-zh').fill('销售代表');
    await choose(page, 'grant-customer-read', 'Department and below');
    await choose(page, 'grant-customer-update', 'Own');
    await page.getByTestId('field-rights-customer').click();
    await choose(page, 'field-right-credit_limit', 'Read only');
    await page.getByTestId('save-role').click();
    await messageShown(page, 'Role saved');
    await web.screenshot(page, 'roles');

    const role = await apiClient(web.handle).get<{ modules: Record<string, Record<string, unknown>> }>(
      '/api/roles/sales_rep',
    );
    const customer = await apiClient(web.handle).get<{
      id: string;
      published: { fields: { id: string; name: string }[] };
    }>('/api/meta/modules/customer');
    const creditLimit = customer.body.published.fields.find((f) => f.name === 'credit_limit')?.id ?? '';
    expect(role.body.modules[customer.body.id]).toEqual({
      read: 'department_tree',
      update: 'own',
      fields: { [creditLimit]: 'read' },
    });
    expect(errors).toEqual([]);
  });

  it('exports the configuration and previews importing it back (nothing changes)', async () => {
    const page = await web.loggedInPage('/');
    await page.goto('/designer/packages');
    const download = page.waitForEvent('download');
    await page.getByTestId('export-package').click();
    const file = await (await download).path();
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('choose-package').click();
    await (await chooser).setFiles(file);
    const preview = page.getByTestId('package-preview');
    await preview.waitFor();
    await preview.getByText('Unchanged').waitFor();
    expect(await preview.getByText('Added', { exact: true }).count()).toBe(1); // the statistic's title only
    await web.screenshot(page, 'packages');
  });
  it('edits a sub-table’s row fields with the field editor, reorders on the keyboard and publishes the grid', async () => {
    const page = await web.loggedInPage('/');
    const errors = watchErrors(page);
    await openModule(page, 'opportunity');
    const fieldsBefore = (
      await apiClient(web.handle).get<{ published: { fields: { name: string }[] } }>(
        '/api/meta/modules/opportunity',
      )
    ).body.published.fields.map((f) => f.name);

    await page.getByTestId('add-field').click();
    await page.getByTestId('add-type-subtable').click();
    const editor = page.getByTestId('field-editor').first();
    await editor.getByTestId('field-name').first().fill('lines');
    await editor.getByTestId('field-label-en').first().fill('Lines');
    await editor.getByTestId('field-label-zh').first().fill('明细');

    // the row fields: each added and set with the same field editor as the module's fields
    const rows = page.getByTestId('row-fields');
    for (const [type, name, en, zh] of [
      ['text', 'product', 'Product', '产品'],
      ['integer', 'quantity', 'Quantity', '数量'],
    ]) {
      await rows.getByTestId('add-row-field').click();
      await page.getByTestId(`add-row-type-${type}`).click();
      const rowEditor = rows.getByTestId('field-editor');
      await rowEditor.getByTestId('field-name').fill(name);
      await rowEditor.getByTestId('field-label-en').fill(en);
      await rowEditor.getByTestId('field-label-zh').fill(zh);
      await rows.getByTestId(`row-field-item-${name}`).waitFor();
    }
    await rows.getByTestId('field-editor').getByTestId('field-required').click();
    // a row may not hold a sub-table or a file
    await rows.getByTestId('add-row-field').click();
    await page.getByTestId('add-row-type-date').waitFor();
    expect(await page.getByTestId('add-row-type-subtable').count()).toBe(0);
    expect(await page.getByTestId('add-row-type-file').count()).toBe(0);
    await page.keyboard.press('Escape');

    // on the keyboard: focus "move up" of Quantity and press Enter; the grid follows
    await rows.getByRole('button', { name: 'Move Quantity up' }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => rows.locator('[data-testid^="row-field-item-"]').first().getAttribute('data-testid'))
      .toBe('row-field-item-quantity');
    const grid = rows.getByTestId('row-grid-preview').locator('.crm-subtable');
    await expect
      .poll(async () => (await grid.locator('strong').allTextContents()).slice(0, 2))
      .toEqual(['Quantity', 'Product']);
    await web.screenshot(page, 'row-fields');

    // the module's own fields too: the new sub-table moves up one place from the keyboard
    await page.getByRole('button', { name: 'Move Lines up' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('save-draft').click();
    await messageShown(page, 'Draft saved');
    const draft = await apiClient(web.handle).get<{
      draft: { fields: { name: string; fields?: { name: string; required?: boolean }[] }[] };
    }>('/api/meta/modules/opportunity');
    const names = draft.body.draft.fields.map((f) => f.name);
    expect(names).toEqual([...fieldsBefore.slice(0, -1), 'lines', ...fieldsBefore.slice(-1)]);
    const lines = draft.body.draft.fields.find((f) => f.name === 'lines');
    expect(lines?.fields?.map((f) => [f.name, f.required === true])).toEqual([
      ['quantity', true],
      ['product', false],
    ]);

    await page.getByRole('tab', { name: 'Publish' }).click();
    await page.getByTestId('publish-preview').click();
    await page.getByTestId('publish-apply').click();
    await messageShown(page, 'Published as version 2');

    // the runtime form shows the grid with the row fields as its columns
    await page.goto('/m/opportunity/new');
    const form = page.locator('.crm-subtable');
    await form.getByText('Quantity', { exact: true }).waitFor();
    await form.getByText('Product', { exact: true }).waitFor();
    await form.getByRole('button', { name: 'Add row' }).click();
    await web.screenshot(page, 'row-fields-runtime');
    expect(errors).toEqual([]);
  });
});
