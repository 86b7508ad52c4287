// The designer in a real browser against the real server: only administrators get in; an admin adds a
// field, sees it in the live preview, publishes with the plan in words and finds the field in the
// runtime form; a type change shows the values that would not convert and needs a confirmation.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiClient } from '../support/api.ts';
import { useWebServer } from '../support/browser.ts';

const web = useWebServer();

/** Fails the test on any uncaught error in the page (a broken component shows as one). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

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
    await page.getByText('Draft saved').waitFor();

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
    await page.getByText('Published as version 2').waitFor();

    await page.goto('/m/customer/new');
    await page.getByText('WeChat', { exact: true }).first().waitFor();
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
    await page.getByTestId('field-type').click();
    await page.getByTitle('Integer', { exact: true }).click();
    await page.getByTestId('save-draft').click();
    await page.getByText('Draft saved').waitFor();

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
    await page.getByText('Published as version 3').waitFor();
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
    await openModule(page, 'customer');
    await page.getByRole('tab', { name: 'History' }).click();
    const diff = page.getByTestId('diff-table');
    await diff.getByText('Change the type of field wechat from text to integer').waitFor();
    await web.screenshot(page, 'history');
  });
});
