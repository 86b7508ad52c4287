// Workflows through HTTP: deploy BPMN (admins), start, my tasks, complete (own tasks only), messages,
// instances, history, cancel, incidents, and the problems bad input gets.
import type { InstanceDetail, InstanceRow, TaskRow } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectProblem, tokenFor } from '../../support/api.ts';
import { bpmn, flows, userTask } from '../../support/bpmn.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { organisation } from '../../support/org.ts';

const xml = { 'content-type': 'application/xml' };

forEachDatabase('REST API workflows', (handle) => {
  let admin: ApiClient;
  let rep: ApiClient;
  let other: ApiClient;
  let repId: string;

  beforeAll(async () => {
    admin = apiClient(handle());
    const org = organisation(handle());
    const user = await org.user('wf_rep');
    const stranger = await org.user('wf_other');
    repId = user.id;
    rep = apiClient(handle(), { auth: { token: await tokenFor(handle(), user.id, ['records:write']) } });
    other = apiClient(handle(), {
      auth: { token: await tokenFor(handle(), stranger.id, ['records:write']) },
    });
  });

  const approval = () =>
    bpmn(
      'api_approval',
      `<bpmn:startEvent id="s"/>
       ${userTask('approve', '=[owner]')}
       <bpmn:intermediateCatchEvent id="signed"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>
       <bpmn:endEvent id="e"/>
       ${flows(['a', 's', 'approve'], ['b', 'approve', 'signed'], ['c', 'signed', 'e'])}`,
      `<bpmn:message id="m" name="contract-signed"><bpmn:extensionElements><zeebe:subscription correlationKey="=contract"/></bpmn:extensionElements></bpmn:message>`,
    );

  it('deploys, starts, lists my tasks, completes them and correlates a message', async () => {
    const deployed = await admin.post('/api/workflows/definitions', undefined, {
      raw: approval(),
      headers: xml,
    });
    expect(deployed.status).toBe(201);
    expect(deployed.body).toEqual([{ processId: 'api_approval', version: 1, name: null, duplicate: false }]);
    expect((await admin.get('/api/workflows/definitions')).body).toEqual([
      expect.objectContaining({ processId: 'api_approval', latestVersion: 1 }),
    ]);

    const started = await admin.post<InstanceRow>('/api/workflows/definitions/api_approval/instances', {
      variables: { owner: repId, contract: 'C-7' },
      businessKey: 'deal-7',
    });
    expect(started.status).toBe(201);
    expect(started.headers.get('location')).toBe(`/api/workflows/instances/${started.body.id}`);

    const mine = await rep.get<TaskRow[]>('/api/workflows/tasks');
    expect(mine.body.map((t) => [t.element_id, t.instance_id])).toEqual([['approve', started.body.id]]);
    expect((await other.get<TaskRow[]>('/api/workflows/tasks')).body).toEqual([]);
    const taskId = mine.body[0]?.id;
    expectProblem(await other.post(`/api/workflows/tasks/${taskId}/complete`, { variables: {} }), 403);
    const completed = await rep.post<TaskRow>(`/api/workflows/tasks/${taskId}/complete`, {
      variables: { ok: true },
    });
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ state: 'completed', completed_by: repId });
    expectProblem(await rep.post(`/api/workflows/tasks/${taskId}/complete`, {}), 409);

    expectProblem(
      await admin.post('/api/workflows/messages', { name: 'contract-signed', correlationKey: 'C-8' }),
      404,
    );
    const correlated = await admin.post('/api/workflows/messages', {
      name: 'contract-signed',
      correlationKey: 'C-7',
    });
    expect(correlated.body).toEqual({ correlated: [started.body.id], started: [] });

    const detail = await admin.get<InstanceDetail>(`/api/workflows/instances/${started.body.id}`);
    expect(detail.body).toMatchObject({
      state: 'completed',
      business_key: 'deal-7',
      variables: { ok: true },
    });
    const history = await admin.get<{ event: string }[]>(
      `/api/workflows/instances/${started.body.id}/history`,
    );
    expect(history.body.map((e) => e.event)).toContain('message-correlated');
    const listed = await admin.get<InstanceRow[]>(
      '/api/workflows/instances?processId=api_approval&state=completed',
    );
    expect(listed.body.map((i) => i.id)).toEqual([started.body.id]);
  });

  it('cancels an instance and reports stuck work (admins only)', async () => {
    const started = await admin.post<InstanceRow>('/api/workflows/definitions/api_approval/instances', {
      variables: { owner: repId, contract: 'C-9' },
    });
    expectProblem(await rep.post(`/api/workflows/instances/${started.body.id}/cancel`), 403);
    const cancelled = await admin.post<InstanceRow>(`/api/workflows/instances/${started.body.id}/cancel`);
    expect(cancelled.body.state).toBe('cancelled');
    expectProblem(await admin.post(`/api/workflows/instances/${started.body.id}/cancel`), 409);
    expect((await rep.get('/api/workflows/tasks')).body).toEqual([]);
    const stuck = await admin.get('/api/workflows/stuck');
    expect(stuck.body).toEqual({ orphanTokens: [], expiredLeases: [], overdueJobs: [], emptyInstances: [] });
    expectProblem(await rep.get('/api/workflows/stuck'), 403);
  });

  it('refuses bad diagrams and bad requests with a problem naming the element or field', async () => {
    const bad = bpmn(
      'api_bad',
      `<bpmn:startEvent id="s"/><bpmn:sendTask id="send"/>${flows(['a', 's', 'send'])}`,
    );
    const refused = expectProblem(
      await admin.post('/api/workflows/definitions', undefined, { raw: bad, headers: xml }),
      422,
      ['/elements/send'],
    );
    expect(refused.errors[0]?.messages?.['zh-CN']).toContain('不支持');
    expectProblem(await admin.post('/api/workflows/definitions', { xml: bad }), 415);
    expectProblem(
      await rep.post('/api/workflows/definitions', undefined, { raw: approval(), headers: xml }),
      403,
    );
    expectProblem(await admin.post('/api/workflows/definitions/nope/instances', {}), 404);
    expectProblem(
      await admin.post('/api/workflows/definitions/api_approval/instances', { variables: [1] }),
      422,
      ['/variables'],
    );
    expectProblem(await admin.get('/api/workflows/instances?state=sleeping'), 400, ['/state']);
    expectProblem(await admin.get('/api/workflows/instances/not-an-id'), 404);
    expectProblem(await admin.post('/api/workflows/messages', { correlationKey: 'x' }), 422, ['/name']);
  });

  it('documents every workflow endpoint in the OpenAPI document', async () => {
    const document = await admin.get<{ paths: Record<string, Record<string, { operationId: string }>> }>(
      '/api/openapi.json',
    );
    const operations = Object.entries(document.body.paths)
      .filter(([path]) => path.startsWith('/api/workflows'))
      .flatMap(([, item]) => Object.values(item).map((operation) => operation.operationId))
      .filter(Boolean)
      .sort();
    expect(operations).toEqual([
      'cancelWorkflowInstance',
      'completeWorkflowTask',
      'correlateWorkflowMessage',
      'deployWorkflow',
      'findStuckWorkflowWork',
      'getWorkflowActivity',
      'getWorkflowHistory',
      'getWorkflowInstance',
      'getWorkflowVersion',
      'lintWorkflow',
      'listMyWorkflowTasks',
      'listWorkflowActions',
      'listWorkflowDefinitions',
      'listWorkflowIncidents',
      'listWorkflowInstances',
      'listWorkflowSchedules',
      'listWorkflowVersions',
      'retryWorkflowIncident',
      'startWorkflow',
    ]);
  });
});
