// A module's pool in headless Chromium against the real server: a rep opens the list's Pool view, claims a
// lead from its row, finds it on their record page with Release, and puts it back with a reason.
import { beforeAll, describe, expect, it } from 'vitest';
import { useWebServer } from '../support/browser.ts';
import { organisation } from '../support/org.ts';
import { messageShown, pick } from '../support/web-steps.ts';

const web = useWebServer();

const PASSWORD = 'Pool-passw0rd';
const LEAD = 'mod_web_lead';
const text = (en: string, zh: string) => ({ en, 'zh-CN': zh });

describe('the pool in the runtime app', () => {
  beforeAll(async () => {
    const { workspace } = web.handle;
    await workspace.definitions.saveDraft({
      id: LEAD,
      name: 'web_lead',
      label: text('Lead', '线索'),
      titleField: 'name',
      fields: [
        { id: 'wl_name', name: 'name', type: 'text', label: text('Name', '名称'), required: true },
        { id: 'wl_claimed', name: 'claimed_at', type: 'datetime', label: text('Claimed at', '领取时间') },
        { id: 'wl_returned', name: 'returned_at', type: 'datetime', label: text('Returned at', '退回时间') },
        {
          id: 'wl_reason',
          name: 'reason',
          type: 'select',
          label: text('Reason', '原因'),
          options: [
            { value: 'new', label: text('New lead', '新线索') },
            { value: 'released', label: text('Released by its owner', '负责人放弃') },
            { value: 'no_budget', label: text('No budget this year', '今年无预算') },
          ],
        },
      ],
      pool: {
        claimLimit: 10,
        claimedAtField: 'claimed_at',
        returnedAtField: 'returned_at',
        reasonField: 'reason',
        releaseReason: 'released',
      },
    });
    await workspace.definitions.publish();
    const org = organisation(web.handle);
    await org.role({
      id: 'web_pool_rep',
      label: text('Rep', '销售'),
      modules: { [LEAD]: { read: 'own', create: 'own', update: 'own', claim: true } },
    });
    const user = await workspace.identity.users.create({
      username: 'pool_rep',
      displayName: 'Paula Pool',
      password: PASSWORD,
    });
    await org.grant({ id: user.id, username: 'pool_rep', departmentId: null }, 'web_pool_rep');
    const admin = { userId: null, via: 'system' } as const;
    for (const name of ['杭州云栖科技', '苏州工业园物流']) {
      const lead = await workspace.records.create('web_lead', { name }, admin);
      await workspace.records.update('web_lead', lead.id, { owner: null, reason: 'new' }, admin);
    }
  });

  it('claims a lead from the Pool view and releases it from its page with a reason', async () => {
    const page = await web.signedInPage({ username: 'pool_rep', password: PASSWORD }, '/m/web_lead');
    await page.getByTestId('pool-switch').getByText('Pool').click();
    const row = page.locator('tr').filter({ hasText: '杭州云栖科技' });
    await row.getByTestId('pool-claim').click();
    await messageShown(page, 'Claimed: it is yours now');
    // no longer in the pool view
    await expect.poll(() => page.locator('tr').filter({ hasText: '杭州云栖科技' }).count()).toBe(0);
    await page.getByTestId('pool-switch').getByText('All').click();
    await page.getByRole('link', { name: '杭州云栖科技' }).click();
    await page.getByTestId('record-page').waitFor();
    await page.getByTestId('pool-release').click();
    const dialog = page.locator('.ant-modal').filter({ has: page.getByTestId('pool-reason') });
    await pick(page, dialog.getByTestId('pool-reason'), 'No budget this year');
    await web.screenshot(page, 'pool-release');
    await dialog.getByRole('button', { name: 'Release to pool' }).click();
    await messageShown(page, 'Back in the pool');
    await page.getByTestId('record-page').getByTestId('pool-claim').waitFor();
    const stored = (await web.handle.workspace.records.list('web_lead', { userId: null, via: 'system' }, {}))
      .data;
    expect(stored.find((lead) => lead.name === '杭州云栖科技')).toMatchObject({
      owner: null,
      reason: 'no_budget',
    });
  });
});
