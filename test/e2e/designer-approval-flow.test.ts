// From the designer to the inbox in a real browser: an admin draws a two-level approval in the modeler
// (a new diagram: a manual "submit" trigger on a module's records, two user tasks with their approvers),
// deploys it; a rep creates a record in the runtime app and submits it; the first approver finds it in
// their inbox and approves, and it moves on to the second level, where the second approver finds it.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { role } from '../support/access-fixtures.ts';
import { useWebServer } from '../support/browser.ts';
import { organisation } from '../support/org.ts';
import { choose, pick, watchErrors } from '../support/web-steps.ts';

const web = useWebServer({ data: 'none' });

const PASSWORD = 'Flow-passw0rd';
const MODULE_ID = 'mod_flow_order';

const signIn = (username: string, path: string) => web.signedInPage({ username, password: PASSWORD }, path);

/** Selects a diagram element by clicking it (a click on a selected element deselects it); its context pad opens. */
async function select(page: Page, id: string) {
  const element = page.locator(`.djs-element[data-element-id="${id}"]`).first();
  if (!(await element.getAttribute('class'))?.includes('selected')) await element.click();
  await page.getByTestId('crm-panel').getByText(`· ${id}`).waitFor();
}

/** The id of the selected diagram element. */
async function selectedId(page: Page): Promise<string> {
  const id = await page.locator('.djs-element.selected').first().getAttribute('data-element-id');
  if (!id) throw new Error('no element is selected');
  return id;
}

/** Appends a task after the selected element with the context pad, makes it a user task and names it. */
async function appendUserTask(page: Page, name: string): Promise<string> {
  await page.locator('.djs-context-pad [data-action="append.append-task"]').click();
  // the new task is selected with its label in direct editing: type the name into that box (once it is
  // there: keys pressed before it has the focus go nowhere), Enter ends the editing
  const label = page.locator('.djs-direct-editing-parent .djs-direct-editing-content');
  await label.waitFor();
  await label.pressSequentially(name);
  await label.press('Enter');
  await page.locator('.djs-direct-editing-parent').waitFor({ state: 'hidden' });
  const id = await selectedId(page);
  await page.locator('.djs-context-pad [data-action="replace"]').click();
  await page.locator('.djs-popup [data-id="replace-with-user-task"]').click();
  await select(page, id);
  return id;
}

/** Makes the selected user task an approval by one person, picked from the directory by name. */
async function approvalBy(page: Page, displayName: string) {
  await page.getByTestId('make-approval').click();
  await choose(page, 'approvers-source-0', 'Users');
  const picker = page.getByTestId('approvers-value-0');
  await pick(page, picker, displayName, { search: displayName.split(' ')[0] });
  await picker.locator('input').press('Escape');
}

describe('an approval drawn in the designer', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    const { workspace } = web.handle;
    await workspace.definitions.saveDraft({
      id: MODULE_ID,
      name: 'flow_order',
      label: { en: 'Purchase order', 'zh-CN': '采购单' },
      titleField: 'title',
      fields: [
        {
          id: 'fo_title',
          name: 'title',
          type: 'text',
          label: { en: 'Title', 'zh-CN': '标题' },
          required: true,
        },
        { id: 'fo_amount', name: 'amount', type: 'integer', label: { en: 'Amount', 'zh-CN': '金额' } },
      ],
    });
    await workspace.definitions.publish();
    const org = organisation(web.handle);
    await org.role(role('flow_buyers', MODULE_ID, { read: 'all', create: 'own', update: 'all' }));
    const users = { flow_rep: 'Rosa Rep', flow_lead: 'Leo Lead', flow_cfo: 'Cora CFO' };
    for (const [username, displayName] of Object.entries(users)) {
      const user = await workspace.identity.users.create({ username, displayName, password: PASSWORD });
      await org.grant({ id: user.id, username, departmentId: null }, 'flow_buyers');
    }
  });

  it('deploys from the modeler and runs when a record is submitted', async ({ onTestFailed }) => {
    const pages: Page[] = [];
    onTestFailed(async () => {
      for (const [i, p] of pages.entries()) await web.screenshot(p, `failed-${i}`);
    });
    // the admin draws: module, trigger, two approval levels, an end
    const admin = await web.loggedInPage('/');
    const errors = watchErrors(admin);
    pages.push(admin);
    await admin.goto('/designer/workflows');
    await admin.getByTestId('new-workflow').click();
    await admin.locator('.djs-element[data-element-id="start"]').first().waitFor();
    await choose(admin, 'crm-record-module', 'Purchase order (flow_order)');
    // the Zeebe properties panel: the process's name in its General group
    const general = admin.locator('[data-group-id="group-general"]');
    if (!(await admin.locator('#bio-properties-panel-name').isVisible())) {
      await general.locator('.bio-properties-panel-group-header').click();
    }
    await admin.locator('#bio-properties-panel-name').fill('Order approval');

    // the new diagram's start → end: remove the end, then draw the levels after the start
    await select(admin, 'end');
    await admin.locator('.djs-context-pad [data-action="delete"]').click();
    await select(admin, 'start');
    await choose(admin, 'crm-trigger-on', 'a user clicks a button');
    await admin.getByTestId('crm-trigger-label').fill('Submit for approval');
    await admin.getByTestId('crm-trigger-label-zh').fill('提交审批');
    // offered only for orders with an amount (the FEEL editor, checked against record and actor)
    await admin.getByTestId('crm-trigger-condition').locator('.cm-content').fill('record.amount > 0');
    await select(admin, 'start');
    const lead = await appendUserTask(admin, 'Team lead');
    await approvalBy(admin, 'Leo Lead');
    await select(admin, lead);
    const cfo = await appendUserTask(admin, 'CFO');
    await approvalBy(admin, 'Cora CFO');
    await select(admin, cfo);
    await admin.locator('.djs-context-pad [data-action="append.end-event"]').click();

    await web.screenshot(admin, 'modeler');
    // Deploy runs the engine's lint first and deploys only a diagram it can run
    await admin.getByTestId('deploy').click();
    // deployed: the modeler moves to the process's own address and shows its first version
    await admin.waitForURL(/\/designer\/workflows\/flow_[a-z0-9]+$/);
    await admin.getByTestId('modeler-page').getByText('v1', { exact: true }).waitFor();
    expect(await admin.getByTestId('lint-problems').count()).toBe(0);
    expect(errors).toEqual([]);

    const deployed = await web.handle.workspace.workflows.definitions();
    const flow = deployed.find((d) => d.name === 'Order approval');
    expect(flow?.latestVersion).toBe(1);
    // the picked people are kept by id
    const leadUser = await web.handle.workspace.identity.users.findByUsername('flow_lead');
    const [version] = await web.handle.workspace.workflows.versions(flow?.processId ?? '');
    expect(version?.xml).toContain(`<crm:approvers source="users" value="${leadUser?.id}"`);
    expect(version?.xml).toMatch(/<crm:trigger [^>]*condition="=record\.amount (&#62;|&gt;) 0"/);

    // the rep creates a purchase order and submits it from its record page
    const rep = await signIn('flow_rep', '/m/flow_order/new');
    pages.push(rep);
    await rep.locator('#root_title').fill('PO-7 Laptops');
    await rep.locator('#root_amount').fill('24000');
    await rep.getByRole('button', { name: 'Save' }).click();
    await rep.waitForURL(/\/m\/flow_order\/[0-9a-f-]{36}/);
    await rep.getByRole('tab', { name: 'Approvals' }).click();
    await rep.getByRole('button', { name: 'Submit for approval' }).click();
    const card = rep.getByTestId('approval-card');
    await card
      .locator('[data-step="Team lead"][data-state="open"]')
      .getByText('Waiting for Leo Lead')
      .waitFor();
    await web.screenshot(rep, 'submitted');

    // level one: the team lead's inbox
    const leadPage = await signIn('flow_lead', '/inbox');
    pages.push(leadPage);
    const row = leadPage.locator('.crm-inbox-row').filter({ hasText: 'PO-7 Laptops' });
    await row.getByText('Team lead', { exact: true }).waitFor();
    await web.screenshot(leadPage, 'lead-inbox');
    await row.getByText('Order approval').click();
    const drawer = leadPage.locator('.crm-task-drawer');
    await drawer.getByRole('button', { name: 'Approve' }).click();
    const dialog = leadPage.locator('.crm-action-dialog');
    await dialog.getByLabel('Comment').fill('Needed for the new hires');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await drawer.locator('[data-step="Team lead"][data-state="approved"]').waitFor();
    await drawer.locator('[data-step="CFO"][data-state="open"]').getByText('Waiting for Cora CFO').waitFor();

    // level two: the CFO's inbox has it now
    const cfoPage = await signIn('flow_cfo', '/inbox');
    pages.push(cfoPage);
    const cfoRow = cfoPage.locator('.crm-inbox-row').filter({ hasText: 'PO-7 Laptops' });
    await cfoRow.getByText('CFO', { exact: true }).waitFor();
    await cfoRow.getByText('Rosa Rep').waitFor();
    await web.screenshot(cfoPage, 'cfo-inbox');
  });
});
