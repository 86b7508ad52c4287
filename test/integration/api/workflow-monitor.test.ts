// The process monitor's API: instances listed with their process name, starter's name and record
// title, filtered by open incidents; one version's XML for an instance's diagram; per-element activity
// (tokens, completions, incidents) for its markers; the history with actors' names; a cancel with a
// reason kept in the history, and the problems bad input gets (nothing written).
import type { ElementActivity, InstanceRow, MonitoredHistoryEvent, MonitoredInstance } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectProblem, testAdmin, tokenFor } from '../../support/api.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { monitorFlow } from '../../support/monitor-flow.ts';
import { organisation } from '../../support/org.ts';

const xml = { 'content-type': 'application/xml' };

const orderModule = {
  id: 'mod_mon_order',
  name: 'mon_order',
  label: { en: 'Order', 'zh-CN': '订单' },
  titleField: 'title',
  fields: [{ id: 'mon_title', name: 'title', type: 'text', label: { en: 'Title' }, required: true }],
};

forEachDatabase('REST API process monitor', (handle) => {
  let admin: ApiClient;
  let rep: ApiClient;
  let orderId: string;

  const deploy = async (name: string) => {
    const response = await admin.post('/api/workflows/definitions', undefined, {
      raw: monitorFlow('mon_check', name, 'mon_order', '=["admin"]'),
      headers: xml,
    });
    expect(response.status).toBe(201);
  };
  const start = async () => {
    const started = await admin.post<InstanceRow>('/api/workflows/definitions/mon_check/instances', {
      record: { module: 'mon_order', id: orderId },
    });
    expect(started.status).toBe(201);
    return started.body;
  };

  beforeAll(async () => {
    admin = apiClient(handle());
    const { workspace } = handle();
    await workspace.definitions.saveDraft(orderModule);
    await workspace.definitions.publish();
    const user = await organisation(handle()).user('mon_rep');
    rep = apiClient(handle(), { auth: { token: await tokenFor(handle(), user.id, ['records:write']) } });
    const order = await admin.post<{ id: string }>('/api/modules/mon_order/records', { title: 'Order 42' });
    orderId = order.body.id;
  });

  it("shows where an instance is, its record and starter by name, and its own version's diagram", async () => {
    await deploy('Order check');
    const instance = await start();
    await deploy('Order check, new'); // version 2: the instance stays on version 1

    const listed = await admin.get<MonitoredInstance[]>('/api/workflows/instances?processId=mon_check');
    expect(listed.body).toEqual([
      expect.objectContaining({
        id: instance.id,
        version: 1,
        processName: 'Order check',
        recordTitle: 'Order 42',
        startedByName: 'Test admin',
        position: [
          { elementId: 'review', name: 'Review' },
          { elementId: 'tell_erp', name: 'Tell the ERP' },
        ],
        openIncidents: 0,
      }),
    ]);

    const version = await admin.get<{ version: number; name: string; xml: string }>(
      '/api/workflows/definitions/mon_check/versions/1',
    );
    expect(version.body).toMatchObject({ version: 1, name: 'Order check' });
    expect(version.body.xml).toContain('name="Order check"');
    expectProblem(await admin.get('/api/workflows/definitions/mon_check/versions/9'), 404);
    expectProblem(await admin.get('/api/workflows/definitions/mon_check/versions/one'), 400, ['/version']);
    expectProblem(await rep.get('/api/workflows/definitions/mon_check/versions/1'), 403);

    const activity = await admin.get<ElementActivity[]>(`/api/workflows/instances/${instance.id}/activity`);
    const of = (id: string) => activity.body.find((entry) => entry.elementId === id);
    expect(of('start')).toEqual({
      elementId: 'start',
      active: 0,
      completed: 1,
      terminated: 0,
      openIncidents: 0,
    });
    expect(of('f_review')).toMatchObject({ active: 0, completed: 1 });
    expect(of('review')).toMatchObject({ active: 1, completed: 0, openIncidents: 0 });
    expect(of('tell_erp')).toMatchObject({ active: 1, openIncidents: 0 });
    expect(of('done')).toBeUndefined();
    expectProblem(await rep.get(`/api/workflows/instances/${instance.id}/activity`), 403);
    expectProblem(await admin.get('/api/workflows/instances/not-an-id/activity'), 404);
  });

  it('marks the element of a failed webhook and filters instances by open incidents', async () => {
    const failing = await start();
    await handle().workspace.workflows.runDueWork(); // the only attempt fails: an incident
    const activity = await admin.get<ElementActivity[]>(`/api/workflows/instances/${failing.id}/activity`);
    expect(activity.body.find((entry) => entry.elementId === 'tell_erp')).toMatchObject({
      active: 1,
      openIncidents: 1,
    });
    const withIncidents = await admin.get<MonitoredInstance[]>(
      '/api/workflows/instances?processId=mon_check&incidents=true',
    );
    expect(withIncidents.body.map((each) => each.id)).toContain(failing.id);
    expect(withIncidents.body.every((each) => each.openIncidents > 0)).toBe(true);
    const without = await admin.get<MonitoredInstance[]>(
      '/api/workflows/instances?processId=mon_check&incidents=false',
    );
    expect(without.body.map((each) => each.id)).not.toContain(failing.id);
    expectProblem(await admin.get('/api/workflows/instances?incidents=maybe'), 400, ['/incidents']);

    // paged newest first: the next page starts before the last instance seen
    const all = await admin.get<MonitoredInstance[]>('/api/workflows/instances?processId=mon_check');
    const firstPage = await admin.get<MonitoredInstance[]>(
      '/api/workflows/instances?processId=mon_check&limit=1',
    );
    expect(firstPage.body.map((each) => each.id)).toEqual([failing.id]);
    const nextPage = await admin.get<MonitoredInstance[]>(
      `/api/workflows/instances?processId=mon_check&limit=1&before=${failing.id}`,
    );
    expect(nextPage.body.map((each) => each.id)).toEqual([all.body[1]?.id]);
  });

  it('cancels with a reason kept in the history, named by who did it, settling its incidents; bad input writes nothing', async () => {
    const instance = await start();
    await handle().workspace.workflows.runDueWork(); // an incident the cancel settles
    expectProblem(await admin.post(`/api/workflows/instances/${instance.id}/cancel`, { reason: 7 }), 422, [
      '/reason',
    ]);
    expectProblem(await admin.post(`/api/workflows/instances/${instance.id}/cancel`, [1]), 422);
    const still = await admin.get<{ state: string }>(`/api/workflows/instances/${instance.id}`);
    expect(still.body.state).toBe('active');

    const cancelled = await admin.post<InstanceRow>(`/api/workflows/instances/${instance.id}/cancel`, {
      reason: 'ordered twice',
    });
    expect(cancelled.body.state).toBe('cancelled');
    const history = await admin.get<MonitoredHistoryEvent[]>(
      `/api/workflows/instances/${instance.id}/history`,
    );
    expect(history.body.at(-1)).toMatchObject({
      event: 'instance-cancelled',
      actorName: 'Test admin',
      data: { reason: 'ordered twice' },
    });
    const activity = await admin.get<ElementActivity[]>(`/api/workflows/instances/${instance.id}/activity`);
    expect(activity.body.find((entry) => entry.elementId === 'review')).toMatchObject({
      active: 0,
      terminated: 1,
    });
    expect((await admin.get(`/api/workflows/incidents?instanceId=${instance.id}`)).body).toEqual([]);
    const settled = await admin.get<{ resolved_by: string }[]>(
      `/api/workflows/incidents?instanceId=${instance.id}&all=true`,
    );
    expect(settled.body).toEqual([
      expect.objectContaining({ resolved_by: (await testAdmin(handle())).userId }),
    ]);
    const listed = await admin.get<MonitoredInstance[]>('/api/workflows/instances?state=cancelled');
    expect(listed.body.map((each) => each.id)).toEqual([instance.id]);
  });
});
