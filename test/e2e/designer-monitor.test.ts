// The process monitor in a real browser: a flow whose webhook cannot succeed (an incident at its only
// attempt) beside a user task runs for two orders; the admin finds the instances in the monitor, opens
// one and sees its own version's diagram marked (a token at the user task, the failed task in red),
// an element's history, retries the incident (resolved; the next failure is a new incident), cancels
// the instance with a reason, filters the list by state, and retries the other's incident from the
// incidents tab.
import type { InstanceRow } from '@crm/engine';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { testAdmin } from '../support/api.ts';
import { useWebServer } from '../support/browser.ts';
import { monitorFlow } from '../support/monitor-flow.ts';
import { choose, watchErrors } from '../support/web-steps.ts';

const web = useWebServer({ data: 'none' });

/** The diagram element `id` (its shape, not its label). */
const element = (page: Page, id: string): Locator =>
  page.locator(`.djs-element.djs-shape[data-element-id="${id}"]`);

async function hasMarker(page: Page, id: string, marker: string): Promise<boolean> {
  return ((await element(page, id).getAttribute('class')) ?? '').split(/\s+/).includes(marker);
}

describe('the process monitor', { timeout: 180_000 }, () => {
  let first: InstanceRow;
  let second: InstanceRow;

  beforeAll(async () => {
    const { workspace } = web.handle;
    const actor = { userId: (await testAdmin(web.handle)).userId };
    await workspace.definitions.saveDraft({
      id: 'mod_mon_order',
      name: 'mon_order',
      label: { en: 'Order', 'zh-CN': '订单' },
      titleField: 'title',
      fields: [{ id: 'mon_title', name: 'title', type: 'text', label: { en: 'Title' }, required: true }],
    });
    await workspace.definitions.publish();
    await workspace.workflows.deploy(
      monitorFlow('mon_check', 'Order check', 'mon_order', '=["admin"]'),
      actor,
    );
    const start = async (title: string) => {
      const order = await workspace.records.create('mon_order', { title }, actor);
      return workspace.workflows.start('mon_check', { record: { module: 'mon_order', id: order.id } }, actor);
    };
    first = await start('Order 41');
    second = await start('Order 42');
    await workspace.workflows.runDueWork(); // each webhook's only attempt fails: an incident each
    expect((await workspace.workflows.queries.incidents()).map((i) => i.instance_id).sort()).toEqual(
      [first.id, second.id].sort(),
    );
  });

  it('shows, retries and cancels instances', async ({ onTestFailed }) => {
    const page = await web.loggedInPage('/');
    await page.goto('/designer/monitor');
    onTestFailed(async () => {
      await web.screenshot(page, 'failed');
    });
    const errors = watchErrors(page);

    // the list: both instances at the review with an incident each, by record title and starter
    const list = page.getByTestId('instance-list');
    const row = list.getByTestId(`instance-row-${first.id}`);
    await row.getByText('Order 41').waitFor();
    await list.getByTestId(`instance-row-${second.id}`).getByText('Order 42').waitFor();
    await row.getByTestId('instance-position').getByText('Review').waitFor();
    await row.getByText('Test admin').waitFor();
    await row.locator('[data-testid="instance-incidents"][data-count="1"]').waitFor();
    expect(await row.getByTestId('instance-state').getAttribute('data-state')).toBe('active');
    await web.screenshot(page, 'instances');

    // the instance: its diagram marked, the clicked element's history
    await row.getByTestId('open-instance').click();
    const instancePage = page.getByTestId('instance-page');
    await instancePage.getByTestId('instance-record').getByText('Order 41').waitFor();
    await page.locator('[data-testid="instance-diagram"][data-drawn="true"]').waitFor();
    expect(await hasMarker(page, 'review', 'crm-active')).toBe(true);
    expect(await page.getByTestId('tokens-review').textContent()).toBe('1');
    expect(await hasMarker(page, 'tell_erp', 'crm-incident')).toBe(true);
    expect(await page.getByTestId('incidents-tell_erp').textContent()).toBe('1');
    expect(await hasMarker(page, 'start', 'crm-done')).toBe(true);
    expect(await hasMarker(page, 'done', 'crm-done')).toBe(false);
    await web.screenshot(page, 'instance');

    await element(page, 'review').click();
    const historyCard = instancePage.getByTestId('history-card');
    await historyCard.getByText('History of Review').waitFor();
    await historyCard.locator('[data-event="task-created"]').waitFor();
    expect(await historyCard.locator('[data-event="incident-created"]').count()).toBe(0);
    await historyCard.getByTestId('history-all').click();
    await historyCard.locator('[data-event="incident-created"]').waitFor();

    // retry: the incident is resolved and the task runs again; its next failure is a new incident
    const incidents = instancePage.getByTestId('incident-table');
    await incidents.getByTestId('incident-message').waitFor();
    await incidents.getByTestId('retry-incident').click();
    await incidents.getByText(/^Resolved /).waitFor();
    await page.locator('[data-testid="instance-diagram"][data-drawn="true"]').waitFor();
    await expect.poll(() => hasMarker(page, 'tell_erp', 'crm-active')).toBe(true);
    await web.handle.workspace.workflows.runDueWork();
    await page.reload();
    await page.locator('[data-testid="instance-diagram"][data-drawn="true"]').waitFor();
    await historyCard.locator('[data-event="incident-resolved"]').waitFor();
    expect(await historyCard.locator('[data-event="incident-created"]').count()).toBe(2);
    await incidents.getByTestId('retry-incident').waitFor();
    expect(await incidents.locator('tbody tr.ant-table-row').count()).toBe(2);
    expect(await hasMarker(page, 'tell_erp', 'crm-incident')).toBe(true);

    // cancel with a reason, confirmed in its dialog
    await instancePage.getByTestId('cancel-instance').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('cancel-reason').fill('Ordered twice');
    await dialog.getByRole('button', { name: 'Cancel instance' }).click();
    await instancePage.locator('[data-testid="instance-state"][data-state="cancelled"]').waitFor();
    await historyCard.locator('[data-event="instance-cancelled"]').getByText('Ordered twice').waitFor();
    expect(await instancePage.getByTestId('cancel-instance').count()).toBe(0);
    await web.screenshot(page, 'cancelled');

    // the list filtered by state: only the cancelled instance
    await page.getByRole('link', { name: 'Back to the monitor' }).click();
    await choose(page, 'filter-state', 'Cancelled');
    await list.getByTestId('filter-apply').click();
    await list.getByTestId(`instance-row-${second.id}`).waitFor({ state: 'detached' });
    await list
      .getByTestId(`instance-row-${first.id}`)
      .locator('[data-testid="instance-state"][data-state="cancelled"]')
      .waitFor();
    expect(await list.getByTestId(`instance-row-${second.id}`).count()).toBe(0);

    // the incidents tab: the other instance's incident (the cancelled one's was settled), retried
    await page.getByTestId('monitor-tab-incidents').click();
    const open = page.getByTestId('incident-table');
    await open.getByTestId('incident-instance').waitFor();
    expect(await open.locator('tbody tr.ant-table-row').count()).toBe(1);
    await web.screenshot(page, 'incidents');
    await open.getByTestId('retry-incident').click();
    await open.getByText('No open incidents').waitFor();
    const [retried] = await web.handle.workspace.workflows.queries.incidents({
      instanceId: second.id,
      open: false,
    });
    expect(retried?.resolved_at).not.toBeNull();

    // stuck work and schedules tabs answer
    await page.getByTestId('monitor-tab-stuck').click();
    await page.getByTestId('stuck-report').waitFor();
    await page.getByTestId('monitor-tab-schedules').click();
    await page.getByText('No process starts on a schedule').waitFor();
    expect(errors).toEqual([]);
  });

  it('speaks Chinese', async () => {
    const page = await web.loggedInPage('/', { locale: 'zh-CN' });
    await page.goto(`/designer/monitor/instances/${second.id}`);
    const instancePage = page.getByTestId('instance-page');
    await instancePage.getByText('返回流程监控').waitFor();
    await instancePage
      .locator('[data-testid="instance-state"][data-state="active"]')
      .getByText('运行中')
      .waitFor();
    await page.locator('[data-testid="instance-diagram"][data-drawn="true"]').waitFor();
    await instancePage.getByTestId('history-card').getByText('故障已重试').waitFor();
    await web.screenshot(page, 'instance-zh');
  });
});
