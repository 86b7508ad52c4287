// Workflow triggers and operations through HTTP: manual actions on a record (listed for readers,
// started as the clicker), a created trigger on a POST, starting with a record, the action palette,
// schedules, instance filters by module and record, incidents by process.
import type { InstanceRow, InstanceView } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { role } from '../../support/access-fixtures.ts';
import { type ApiClient, apiClient, expectProblem, tokenFor } from '../../support/api.ts';
import { bpmn, flows, userTask } from '../../support/bpmn.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { organisation } from '../../support/org.ts';

const xml = { 'content-type': 'application/xml' };
const LEAD = 'mod_wta_lead';

const leadModule = {
  id: LEAD,
  name: 'wta_lead',
  label: { en: 'Lead', 'zh-CN': '线索' },
  fields: [{ id: 'wta_name', name: 'name', type: 'text', label: { en: 'Name' }, required: true }],
};

const leadFlow = (id: string, trigger: string) =>
  bpmn(
    id,
    `<bpmn:extensionElements><crm:record module="wta_lead"/></bpmn:extensionElements>
     <bpmn:startEvent id="start"><bpmn:extensionElements>${trigger}</bpmn:extensionElements></bpmn:startEvent>
     ${userTask('follow_up', '=[submitter]')}
     ${flows(['f1', 'start', 'follow_up'])}`,
  );

forEachDatabase('REST API workflow triggers', (handle) => {
  let admin: ApiClient;
  let rep: ApiClient;
  let stranger: ApiClient;
  let repId: string;

  beforeAll(async () => {
    admin = apiClient(handle());
    const { workspace } = handle();
    await workspace.definitions.saveDraft(leadModule);
    await workspace.definitions.publish();
    const org = organisation(handle());
    const repUser = await org.user('wta_rep');
    const strangerUser = await org.user('wta_stranger');
    await org.role(role('wta_rep', LEAD, { read: 'own', create: 'own', update: 'own' }));
    await org.grant(repUser, 'wta_rep');
    await org.grant(strangerUser, 'wta_rep');
    repId = repUser.id;
    rep = apiClient(handle(), { auth: { token: await tokenFor(handle(), repUser.id, ['records:write']) } });
    stranger = apiClient(handle(), {
      auth: { token: await tokenFor(handle(), strangerUser.id, ['records:write']) },
    });
    for (const flow of [
      leadFlow('wta_qualify', '<crm:trigger on="manual" label="Qualify" labelZh="确认线索"/>'),
      leadFlow('wta_welcome', '<crm:trigger on="created"/>'),
      leadFlow('wta_api', '<crm:trigger on="api"/>'),
    ]) {
      expect(
        (await admin.post('/api/workflows/definitions', undefined, { raw: flow, headers: xml })).status,
      ).toBe(201);
    }
  });

  it('a POST of a record starts its created trigger; readers list and start manual actions', async () => {
    const created = await rep.post<{ id: string }>('/api/modules/wta_lead/records', { name: 'ACME' });
    expect(created.status).toBe(201);
    const lead = created.body.id;
    const welcomed = await admin.get<InstanceView[]>(
      `/api/workflows/instances?module=wta_lead&recordId=${lead}&processId=wta_welcome`,
    );
    expect(welcomed.body).toEqual([
      expect.objectContaining({
        record_id: lead,
        started_by: repId,
        position: [{ elementId: 'follow_up', name: 'follow_up' }],
      }),
    ]);

    const actions = await rep.get(`/api/modules/wta_lead/records/${lead}/actions`);
    expect(actions.status).toBe(200);
    expect(actions.body).toEqual([
      {
        processId: 'wta_qualify',
        version: 1,
        processName: 'wta_qualify',
        elementId: 'start',
        label: { en: 'Qualify', 'zh-CN': '确认线索' },
      },
    ]);
    expectProblem(await stranger.get(`/api/modules/wta_lead/records/${lead}/actions`), 404);
    expectProblem(await stranger.post(`/api/modules/wta_lead/records/${lead}/actions/wta_qualify`), 404);
    expectProblem(await rep.post(`/api/modules/wta_lead/records/${lead}/actions/wta_welcome`), 404);
    expectProblem(await rep.post(`/api/modules/wta_lead/records/${lead}/actions/wta_qualify`, ['x']), 422);
    const started = await rep.post<InstanceRow>(`/api/modules/wta_lead/records/${lead}/actions/wta_qualify`, {
      variables: { note: 'hot' },
    });
    expect(started.status).toBe(201);
    expect(started.headers.get('location')).toBe(`/api/workflows/instances/${started.body.id}`);
    expect(started.body).toMatchObject({ module: 'wta_lead', record_id: lead, started_by: repId });
    expect(started.body.variables).toMatchObject({ note: 'hot', record: { name: 'ACME' }, submitter: repId });
    const forLead = await admin.get<InstanceView[]>(`/api/workflows/instances?recordId=${lead}`);
    expect(forLead.body.map((i) => i.process_id).sort()).toEqual(['wta_qualify', 'wta_welcome']);
  });

  it('starts an api-triggered flow with a record through the API; bad records are named', async () => {
    const lead = (await admin.post<{ id: string }>('/api/modules/wta_lead/records', { name: 'Beta' })).body
      .id;
    const started = await admin.post<InstanceRow>('/api/workflows/definitions/wta_api/instances', {
      record: { module: 'wta_lead', id: lead },
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ module: 'wta_lead', record_id: lead, business_key: lead });
    expectProblem(
      await admin.post('/api/workflows/definitions/wta_api/instances', { record: { id: lead } }),
      422,
      ['/record/module'],
    );
    expectProblem(
      await admin.post('/api/workflows/definitions/wta_api/instances', {
        record: { module: 'other', id: lead },
      }),
      422,
      ['/record/module'],
    );
  });

  it('lists the action palette and schedules for admins only', async () => {
    const actions =
      await admin.get<{ type: string; inputs?: { name: string }[] }[]>('/api/workflows/actions');
    expect(actions.body.map((a) => a.type)).toEqual(
      expect.arrayContaining(['create-record', 'notify', 'set-variables', 'update-record', 'webhook']),
    );
    expect(actions.body.find((a) => a.type === 'webhook')?.inputs?.map((i) => i.name)).toContain('url');
    expectProblem(await rep.get('/api/workflows/actions'), 403);
    const cron = bpmn(
      'wta_nightly',
      `<bpmn:startEvent id="s"><bpmn:timerEventDefinition><bpmn:timeCycle>0 0 2 * * *</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
       <bpmn:endEvent id="e"/>${flows(['a', 's', 'e'])}`,
    );
    await admin.post('/api/workflows/definitions', undefined, { raw: cron, headers: xml });
    const schedules = await admin.get<{ processId: string; next: string[] }[]>(
      '/api/workflows/schedules?next=3',
    );
    expect(schedules.body.find((s) => s.processId === 'wta_nightly')?.next).toHaveLength(3);
    expectProblem(await admin.get('/api/workflows/schedules?next=0'), 400, ['/next']);
    expectProblem(await admin.get('/api/workflows/instances?startedFrom=soon'), 400, ['/startedFrom']);
    expect((await admin.get('/api/workflows/incidents?processId=wta_nightly')).body).toEqual([]);
  });
});
