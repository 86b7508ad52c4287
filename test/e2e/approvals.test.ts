// Approvals in headless Chromium against the real server: a rep submits a quote for approval from its
// record page, the manager finds it in the pending tab (the menu counts it), opens it and approves with a
// comment and an attachment; the finance approver's refused transfer shows the API's problem in the dialog, then they reject;
// the rep sees the outcome among what they submitted and the whole timeline on the record.
import { SYSTEM_ACTOR } from '@crm/engine';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { role } from '../support/access-fixtures.ts';
import { approvalTask, approvers, bpmn, flows } from '../support/bpmn.ts';
import { PHONE_VIEWPORT, useWebServer } from '../support/browser.ts';
import { organisation } from '../support/org.ts';
import { pick } from '../support/web-steps.ts';

const web = useWebServer();

const PASSWORD = 'Apv-passw0rd';
const QUOTE = 'mod_apv_quote';
const statuses = ['draft', 'in_approval', 'approved', 'rejected', 'recalled'].map((value) => ({
  value,
  label: { en: value, 'zh-CN': value },
}));

const flow = bpmn(
  'apv_discount',
  `<bpmn:extensionElements><crm:record module="apv_quote" lock="true" statusField="status"/></bpmn:extensionElements>
   <bpmn:startEvent id="start"><bpmn:extensionElements><crm:trigger on="manual" label="Submit for approval" labelZh="提交审批"/></bpmn:extensionElements></bpmn:startEvent>
   ${approvalTask('manager', 'mode="single"', approvers('apv_manager'), 'Manager')}
   ${approvalTask('finance', 'mode="single"', approvers('apv_finance'), 'Finance')}
   <bpmn:endEvent id="done"/>
   ${flows(['f1', 'start', 'manager'], ['f2', 'manager', 'finance'], ['f3', 'finance', 'done'])}`,
).replace('<bpmn:process id="apv_discount"', '<bpmn:process id="apv_discount" name="Discount approval"');

const signIn = (username: string, path: string, options: Parameters<typeof web.newPage>[0] = {}) =>
  web.signedInPage({ username, password: PASSWORD }, path, options);

/** Opens the pending task of the quote from the inbox and returns the drawer. */
async function openPending(page: Page, title: string) {
  const row = page.locator('.crm-inbox-row').filter({ hasText: title });
  await row.getByText('Discount approval').click();
  const drawer = page.locator('.crm-task-drawer');
  await drawer.getByRole('link', { name: title }).waitFor();
  return drawer;
}

describe('approvals in the runtime app', () => {
  let quoteId: string;

  beforeAll(async () => {
    const { workspace } = web.handle;
    await workspace.definitions.saveDraft({
      id: QUOTE,
      name: 'apv_quote',
      label: { en: 'Quote', 'zh-CN': '报价' },
      titleField: 'title',
      fields: [
        {
          id: 'apv_title',
          name: 'title',
          type: 'text',
          label: { en: 'Title', 'zh-CN': '标题' },
          required: true,
        },
        { id: 'apv_amount', name: 'amount', type: 'integer', label: { en: 'Amount', 'zh-CN': '金额' } },
        {
          id: 'apv_status',
          name: 'status',
          type: 'select',
          label: { en: 'Status', 'zh-CN': '状态' },
          options: statuses,
        },
      ],
    });
    await workspace.definitions.publish();
    const org = organisation(web.handle);
    await org.role(role('apv_sales', QUOTE, { read: 'all', create: 'own', update: 'all' }));
    const users = { apv_rep: 'Rita Rep', apv_manager: 'Mark Manager', apv_finance: 'Fiona Finance' };
    for (const [username, displayName] of Object.entries(users)) {
      const user = await workspace.identity.users.create({ username, displayName, password: PASSWORD });
      await org.grant({ id: user.id, username, departmentId: null }, 'apv_sales');
    }
    await workspace.workflows.deploy(flow, SYSTEM_ACTOR);
    const rep = await workspace.identity.users.findByUsername('apv_rep');
    const quote = await workspace.records.create(
      'apv_quote',
      { title: 'Q-2048 Hangzhou', amount: 90000, status: 'draft' },
      { userId: rep?.id ?? null, via: 'session' },
    );
    quoteId = quote.id;
  });

  it('runs a two-step approval from the record page through both approvers’ inboxes', async () => {
    // the rep submits from the record's approvals tab
    const rep = await signIn('apv_rep', `/m/apv_quote/${quoteId}`);
    await rep.getByRole('tab', { name: 'Approvals' }).click();
    await rep.getByTestId('record-approvals').getByText('This record has no approvals yet').waitFor();
    await rep.getByRole('button', { name: 'Submit for approval' }).click();
    const card = rep.getByTestId('approval-card');
    await card
      .locator('[data-step="Manager"][data-state="open"]')
      .getByText('Waiting for Mark Manager')
      .waitFor();
    await card.locator('[data-status="pending"]').waitFor();
    // the submitter may remind and recall while it is under way
    await card.getByRole('button', { name: 'Remind' }).waitFor();
    await card.getByRole('button', { name: 'Recall' }).waitFor();

    // the manager sees it counted in the menu and listed in the pending tab
    const manager = await signIn('apv_manager', '/inbox');
    await expect.poll(() => manager.getByTestId('menu-inbox').textContent()).toContain('1');
    const row = manager.locator('.crm-inbox-row').filter({ hasText: 'Q-2048 Hangzhou' });
    await row.getByText('Manager', { exact: true }).waitFor();
    await row.getByText('Rita Rep').waitFor();
    await web.screenshot(manager, 'inbox');
    const drawer = await openPending(manager, 'Q-2048 Hangzhou');
    await drawer.getByText('90,000').or(drawer.getByText('90000')).first().waitFor();
    await drawer.getByRole('button', { name: 'Approve' }).click();
    const dialog = manager.locator('.crm-action-dialog');
    await dialog.getByLabel('Comment').fill('Margin is fine');
    // an attachment goes up as soon as it is picked, and comes with the approval
    await dialog
      .getByTestId('action-attachments')
      .locator('input[type=file]')
      .setInputFiles({
        name: 'margin-check.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('margin 18%, fine'),
      });
    await dialog.locator('.ant-upload-list').getByText('margin-check.txt').waitFor();
    await web.screenshot(manager, 'dialog');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await drawer.getByText('Nothing for you to do on this task now').waitFor();
    await drawer
      .locator('[data-step="Manager"][data-state="approved"]')
      .getByText('“Margin is fine”')
      .waitFor();
    await drawer.locator('[data-step="Finance"][data-state="open"]').waitFor();
    await manager.goto('/inbox');
    await manager.getByText('Nothing is waiting for your approval').waitFor();
    await manager.getByTestId('inbox-tab-done').click();
    await manager.locator('.crm-inbox-row').filter({ hasText: 'Q-2048 Hangzhou' }).waitFor();

    // finance: a transfer to themselves comes back refused, in the dialog; then they reject
    const finance = await signIn('apv_finance', '/inbox');
    const financeDrawer = await openPending(finance, 'Q-2048 Hangzhou');
    await financeDrawer.getByRole('button', { name: 'Transfer' }).click();
    const transfer = finance.locator('.crm-action-dialog');
    await pick(finance, transfer.getByRole('combobox', { name: 'Transfer to' }), 'Fiona Finance', {
      search: 'Fiona',
    });
    await transfer.getByRole('button', { name: 'Transfer' }).click();
    await expect
      .poll(() => transfer.getByRole('alert').textContent())
      .toContain('is already an approver of this step');
    await transfer.getByRole('button', { name: 'Cancel' }).click();
    await financeDrawer.getByRole('button', { name: 'Reject' }).click();
    const reject = finance.locator('.crm-action-dialog');
    await reject.getByLabel('Comment').fill('Discount too deep');
    await reject.getByRole('button', { name: 'Reject' }).click();
    await financeDrawer.getByText('Nothing for you to do on this task now').waitFor();
    await financeDrawer.locator('[data-status="rejected"]').first().waitFor();

    // the rep sees the outcome among what they submitted, and the whole timeline on the record
    await rep.goto('/inbox?tab=submitted');
    const submitted = rep.locator('.crm-inbox-row').filter({ hasText: 'Q-2048 Hangzhou' });
    await submitted.locator('[data-status="rejected"]').waitFor();
    await submitted.getByText('Discount approval').click();
    await rep.waitForURL(new RegExp(`/m/apv_quote/${quoteId}\\?tab=approvals$`));
    const timeline = rep.getByTestId('approval-card');
    await timeline
      .locator('[data-step="Manager"][data-state="approved"]')
      .getByText('Mark Manager')
      .waitFor();
    // the manager's attachment, as a download the submitter may follow
    const attachment = timeline
      .locator('[data-step="Manager"][data-state="approved"]')
      .getByRole('link', { name: 'margin-check.txt' });
    const href = await attachment.getAttribute('href');
    expect(href).toMatch(/^\/api\/files\/[0-9a-f-]{36}$/);
    const downloaded = await rep.request.get(href ?? '');
    expect(downloaded.status()).toBe(200);
    expect(await downloaded.text()).toBe('margin 18%, fine');
    await timeline
      .locator('[data-step="Finance"][data-state="rejected"]')
      .getByText('“Discount too deep”')
      .waitFor();
    await timeline.locator('[data-status="rejected"]').waitFor();
    expect(await timeline.getByRole('button', { name: 'Recall' }).count()).toBe(0);
    const stored = await web.handle.workspace.records.get('apv_quote', quoteId, SYSTEM_ACTOR);
    expect(stored.status).toBe('rejected');
    await web.screenshot(rep, 'record-timeline');
  });

  it('lists the inbox as cards on a phone, in Chinese', async () => {
    const page = await signIn('apv_manager', '/inbox?tab=done', {
      viewport: PHONE_VIEWPORT,
      locale: 'zh-CN',
    });
    await page.getByTestId('inbox-tab-done').getByText('我已审批').waitFor();
    const card = page.locator('.crm-inbox-card').filter({ hasText: 'Q-2048 Hangzhou' });
    await card.locator('[data-status="rejected"]').getByText('已驳回').waitFor();
    await web.screenshot(page, 'inbox-phone-zh');
  });
});
