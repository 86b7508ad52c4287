// In-app notifications through HTTP: each user reads and marks only their own; bad input is refused.
import type { Notification, Workspace } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectProblem, tokenFor } from '../../support/api.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { type FixtureUser, organisation } from '../../support/org.ts';

interface NotificationPage {
  data: Notification[];
  nextCursor: string | null;
  unread: number;
}

forEachDatabase('REST API notifications', (handle) => {
  let workspace: Workspace;
  let alice: FixtureUser;
  let bob: FixtureUser;
  let aliceApi: ApiClient;
  let bobApi: ApiClient;

  beforeAll(async () => {
    workspace = handle().workspace;
    const org = organisation(handle());
    alice = await org.user('nt_alice');
    bob = await org.user('nt_bob');
    const left = await org.user('nt_left', { status: 'left' });
    aliceApi = apiClient(handle(), { auth: { token: await tokenFor(handle(), alice.id, ['records:read']) } });
    bobApi = apiClient(handle(), { auth: { token: await tokenFor(handle(), bob.id, ['records:write']) } });
    const sent = await workspace.notifications.send({
      // alice twice, a user who left, an id of nobody, text that is no id: alice and bob get one each
      recipients: [alice.id, bob.id, alice.id, left.id, '00000000-0000-7000-8000-000000000000', 'nobody'],
      kind: 'approval-task',
      title: { en: 'Approve the discount', 'zh-CN': '请审批折扣' },
      body: 'Q-1',
      link: { module: 'quote', recordId: '00000000-0000-7000-8000-000000000001' },
    });
    expect(sent).toBe(2);
    for (let i = 1; i <= 3; i++) {
      await workspace.notifications.send({ recipients: [alice.id], kind: 'workflow', title: `note ${i}` });
    }
  });

  it('lists my notifications newest first with the unread count, a page at a time', async () => {
    const first = await aliceApi.get<NotificationPage>('/api/notifications?limit=3');
    expect(first.status).toBe(200);
    expect(first.body.unread).toBe(4);
    expect(first.body.data.map((n) => n.title)).toEqual(['note 3', 'note 2', 'note 1']);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await aliceApi.get<NotificationPage>(
      `/api/notifications?limit=3&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.data).toEqual([
      expect.objectContaining({
        kind: 'approval-task',
        title: { en: 'Approve the discount', 'zh-CN': '请审批折扣' },
        body: 'Q-1',
        link: { module: 'quote', recordId: '00000000-0000-7000-8000-000000000001' },
        readAt: null,
      }),
    ]);
    expect(second.body.nextCursor).toBeNull();
    expect((await bobApi.get<NotificationPage>('/api/notifications')).body.data).toHaveLength(1);
  });

  it('marks only my own notifications read: some, then all', async () => {
    const mine = (await aliceApi.get<NotificationPage>('/api/notifications')).body.data;
    const bobs = (await bobApi.get<NotificationPage>('/api/notifications')).body.data;
    const ids = [mine[0]?.id, bobs[0]?.id];
    // alice's token reads records only: marking read is a change
    expectProblem(await aliceApi.post('/api/notifications/read', { ids }), 403);
    const aliceWriter = apiClient(handle(), {
      auth: { token: await tokenFor(handle(), alice.id, ['records:write']) },
    });
    const some = await aliceWriter.post<{ updated: number }>('/api/notifications/read', { ids });
    expect(some.body).toEqual({ updated: 1 });
    expect((await bobApi.get<{ unread: number }>('/api/notifications/unread-count')).body).toEqual({
      unread: 1,
    });
    const unread = await aliceApi.get<NotificationPage>('/api/notifications?unread=true');
    expect(unread.body.data.map((n) => n.id)).not.toContain(mine[0]?.id);
    expect(unread.body.unread).toBe(3);
    expect((await aliceWriter.post('/api/notifications/read')).body).toEqual({ updated: 3 });
    expect((await aliceApi.get<{ unread: number }>('/api/notifications/unread-count')).body).toEqual({
      unread: 0,
    });
  });

  it('refuses bad input naming the parameter', async () => {
    expectProblem(await aliceApi.get('/api/notifications?limit=0'), 400, ['/limit']);
    expectProblem(await aliceApi.get('/api/notifications?unread=yes'), 400, ['/unread']);
    expectProblem(await aliceApi.get('/api/notifications?cursor=abc'), 400, ['/cursor']);
    expectProblem(await bobApi.post('/api/notifications/read', { ids: ['x'] }), 422, ['/ids/0']);
    expectProblem(await bobApi.post('/api/notifications/read', { ids: 'x' }), 422, ['/ids']);
    expectProblem(await apiClient(handle(), { auth: 'none' }).get('/api/notifications'), 401);
  });
});
