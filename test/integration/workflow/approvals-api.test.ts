// Approvals over HTTP: each user's own inbox (lists, paging, counts), task detail and actions, recall
// and remind, the 423 of a locked record, and the approval timeline of a record for its readers only.
import { type StoredRecord, SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { actorOf, role } from '../../support/access-fixtures.ts';
import { type ApiClient, apiClient, expectProblem, tokenFor } from '../../support/api.ts';
import { approvalTask, approvers, bpmn, flows } from '../../support/bpmn.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { type FixtureUser, organisation } from '../../support/org.ts';

const QUOTE = 'mod_aph_quote';
const statuses = ['draft', 'in_approval', 'approved', 'rejected', 'recalled'].map((value) => ({
  value,
  label: { en: value, 'zh-CN': value },
}));

const flow = bpmn(
  'aph_discount',
  `<bpmn:extensionElements><crm:record module="aph_quote" lock="true" statusField="status"/></bpmn:extensionElements>
   <bpmn:startEvent id="start"/>
   ${approvalTask('manager', 'mode="single"', approvers('aph_boss'), 'Manager')}
   ${approvalTask('finance', 'mode="single"', `${approvers('aph_cfo')}<crm:cc source="users" value="aph_watcher"/>`, 'Finance')}
   <bpmn:endEvent id="done"/>
   ${flows(['f1', 'start', 'manager'], ['f2', 'manager', 'finance'], ['f3', 'finance', 'done'])}`,
);

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
type Entry = Record<string, unknown> & { taskId: string; instanceId: string };

forEachDatabase('REST API approvals', (handle) => {
  let workspace: Workspace;
  let rep: FixtureUser;
  let boss: FixtureUser;
  let cfo: FixtureUser;
  let watcher: FixtureUser;
  const api: Record<'rep' | 'boss' | 'cfo' | 'watcher' | 'outsider', ApiClient> = {} as never;

  beforeAll(async () => {
    workspace = handle().workspace;
    await workspace.definitions.saveDraft({
      id: QUOTE,
      name: 'aph_quote',
      label: { en: 'Quote', 'zh-CN': '报价' },
      fields: [
        { id: 'aph_title', name: 'title', type: 'text', label: { en: 'Title' }, required: true },
        { id: 'aph_status', name: 'status', type: 'select', label: { en: 'Status' }, options: statuses },
      ],
    });
    await workspace.definitions.publish();
    const org = organisation(handle());
    rep = await org.user('aph_rep');
    boss = await org.user('aph_boss');
    cfo = await org.user('aph_cfo');
    watcher = await org.user('aph_watcher');
    const outsider = await org.user('aph_outsider');
    await org.role(role('aph_sales', QUOTE, { read: 'all', create: 'own', update: 'all' }));
    for (const user of [rep, boss, cfo]) await org.grant(user, 'aph_sales');
    const users = { rep, boss, cfo, watcher, outsider };
    for (const [name, user] of Object.entries(users)) {
      api[name as keyof typeof api] = apiClient(handle(), {
        auth: { token: await tokenFor(handle(), user.id) },
      });
    }
    await workspace.workflows.deploy(flow, SYSTEM_ACTOR);
  });

  async function submit(title: string): Promise<{ quote: StoredRecord; instanceId: string }> {
    const quote = await workspace.records.create('aph_quote', { title, status: 'draft' }, actorOf(rep));
    const instance = await workspace.workflows.start(
      'aph_discount',
      { record: { module: 'aph_quote', id: quote.id } },
      actorOf(rep),
    );
    return { quote, instanceId: instance.id };
  }

  it('runs an approval through the inbox: counts, lists, detail, actions, the timeline', async () => {
    const { quote, instanceId } = await submit('Q-http');
    const counts = await api.boss.get<Record<string, number>>('/api/approvals/inbox/counts');
    expect(counts.body).toEqual({ pending: 1, done: 0, cc: 0, submitted: 0, submittedPending: 0 });
    const pending = await api.boss.get<Page<Entry>>('/api/approvals/inbox/pending');
    expect(pending.body.data).toEqual([
      expect.objectContaining({
        instanceId,
        processId: 'aph_discount',
        module: 'aph_quote',
        recordId: quote.id,
        recordTitle: 'Q-http',
        submitter: { id: rep.id, name: 'aph_rep' },
        status: 'pending',
        stepName: 'Manager',
        kind: 'approval',
      }),
    ]);
    // only my own inbox: the submitter has nothing pending but one submitted
    expect((await api.rep.get<Page<Entry>>('/api/approvals/inbox/pending')).body.data).toEqual([]);
    expect((await api.rep.get<Page<Entry>>('/api/approvals/inbox/submitted')).body.data).toEqual([
      expect.objectContaining({
        instanceId,
        currentSteps: ['Manager'],
        status: 'pending',
        recordTitle: 'Q-http',
      }),
    ]);

    const locked = expectProblem(
      await api.rep.patch(`/api/modules/aph_quote/records/${quote.id}`, { title: 'changed' }),
      423,
    );
    expect(locked).toMatchObject({ type: 'urn:crm:problem:locked', lockedBy: { instanceId } });

    const taskId = pending.body.data[0]?.taskId as string;
    const detail = await api.boss.get<{ actions: string[]; step: { approvers: unknown[] } }>(
      `/api/approvals/tasks/${taskId}`,
    );
    expect(detail.body.actions).toEqual(['approve', 'reject', 'return', 'transfer', 'add-signer', 'cc']);
    expect(detail.body.step.approvers).toEqual([
      expect.objectContaining({ userId: boss.id, name: 'aph_boss', state: 'active', via: 'rule' }),
    ]);
    expect((await api.outsider.get(`/api/approvals/tasks/${taskId}`)).status).toBe(404);
    expect((await api.cfo.post(`/api/approvals/tasks/${taskId}/approve`, {})).status).toBe(403);
    expect((await api.boss.post(`/api/approvals/tasks/${taskId}/shrug`, {})).status).toBe(404);

    const approved = await api.boss.post<{ action: { action: string }; instanceState: string }>(
      `/api/approvals/tasks/${taskId}/approve`,
      { comment: 'margin ok' },
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ action: { action: 'approve' }, instanceState: 'active' });
    expect((await api.boss.get<Page<Entry>>('/api/approvals/inbox/done')).body.data).toEqual([
      expect.objectContaining({
        instanceId,
        action: 'approve',
        comment: 'margin ok',
        stepName: 'Manager',
        recordTitle: 'Q-http',
      }),
    ]);

    const [cfoTask] = (await api.cfo.get<Page<Entry>>('/api/approvals/inbox/pending')).body.data;
    expectProblem(
      await api.cfo.post(`/api/approvals/tasks/${cfoTask?.taskId}/transfer`, { to: 'nobody' }),
      422,
      ['/to'],
    );
    await api.cfo.post(`/api/approvals/tasks/${cfoTask?.taskId}/reject`, { comment: '太低' });
    expect((await workspace.records.get('aph_quote', quote.id, SYSTEM_ACTOR)).status).toBe('rejected');
    // the watcher may not read quotes: the entry comes without the record's title
    expect((await api.watcher.get<Page<Entry>>('/api/approvals/inbox/cc')).body.data).toEqual([
      expect.objectContaining({ instanceId, status: 'rejected', recordId: quote.id, recordTitle: null }),
    ]);
    expect((await api.rep.get<Record<string, number>>('/api/approvals/inbox/counts')).body).toMatchObject({
      submitted: 1,
      submittedPending: 0,
    });

    const timeline = await api.rep.get<
      {
        instanceId: string;
        status: string;
        steps: { name: string; state: string; actions: Record<string, unknown>[] }[];
      }[]
    >(`/api/modules/aph_quote/records/${quote.id}/approvals`);
    expect(timeline.status).toBe(200);
    expect(timeline.body).toHaveLength(1);
    expect(timeline.body[0]).toMatchObject({ instanceId, status: 'rejected' });
    expect(timeline.body[0]?.steps.map((step) => [step.name, step.state])).toEqual([
      ['Manager', 'approved'],
      ['Finance', 'rejected'],
    ]);
    expect(timeline.body[0]?.steps[0]?.actions).toEqual([
      expect.objectContaining({
        action: 'approve',
        actor: { id: boss.id, name: 'aph_boss' },
        comment: 'margin ok',
        attachments: [],
        automatic: false,
        at: expect.any(String),
      }),
    ]);
    // the timeline needs read access to the record
    expect((await api.outsider.get(`/api/modules/aph_quote/records/${quote.id}/approvals`)).status).toBe(404);
  });

  it('pages each list and refuses bad paging parameters', async () => {
    for (const title of ['P-1', 'P-2', 'P-3']) await submit(title);
    const first = await api.boss.get<Page<Entry>>('/api/approvals/inbox/pending?limit=2');
    expect(first.body.data).toHaveLength(2);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await api.boss.get<Page<Entry>>(
      `/api/approvals/inbox/pending?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.data).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const titles = [...first.body.data, ...second.body.data].map((entry) => entry.taskId);
    expect(new Set(titles).size).toBe(3);
    expectProblem(await api.boss.get('/api/approvals/inbox/pending?limit=0'), 400, ['/limit']);
    expectProblem(await api.boss.get('/api/approvals/inbox/done?cursor=abc'), 400, ['/cursor']);
    expectProblem(await api.boss.get('/api/approvals/inbox/cc?page=2'), 400);
    expect((await api.boss.get<Record<string, number>>('/api/approvals/inbox/counts')).body.pending).toBe(3);
  });

  it('the submitter reminds and recalls over HTTP; others may not', async () => {
    const { quote, instanceId } = await submit('Q-recall');
    expect((await api.boss.post(`/api/approvals/instances/${instanceId}/recall`, {})).status).toBe(403);
    expect((await api.rep.post(`/api/approvals/instances/${instanceId}/remind`, {})).status).toBe(200);
    const recalled = await api.rep.post<{ instanceState: string }>(
      `/api/approvals/instances/${instanceId}/recall`,
      {
        comment: 'wrong customer',
      },
    );
    expect(recalled.body.instanceState).toBe('cancelled');
    expect((await workspace.records.get('aph_quote', quote.id, SYSTEM_ACTOR)).status).toBe('recalled');
    const [entry] = (
      await api.rep.get<{ status: string; actions: { action: string }[] }[]>(
        `/api/modules/aph_quote/records/${quote.id}/approvals`,
      )
    ).body;
    expect(entry).toMatchObject({
      status: 'recalled',
      actions: [expect.objectContaining({ action: 'recall' })],
    });
    expect(
      (await api.rep.patch(`/api/modules/aph_quote/records/${quote.id}`, { title: 'again' })).status,
    ).toBe(200);
  });

  it('attaches uploaded files to an action: in the timeline, downloadable by those taking part only', async () => {
    const { quote } = await submit('Q-files');
    const upload = (client: ApiClient, name: string, text: string) =>
      client.send<{ id: string; name: string; size: number }>('POST', '/api/approvals/files', undefined, {
        raw: text,
        headers: { 'x-file-name': encodeURIComponent(name), 'content-type': 'application/octet-stream' },
      });
    const file = await upload(api.boss, '核对.txt', 'the margin is fine');
    expect(file.status).toBe(201);
    expect(file.body).toMatchObject({ name: '核对.txt', size: 18 });
    // until an action names it, the file is its uploader's alone
    expect((await api.rep.get(`/api/files/${file.body.id}`)).status).toBe(404);
    expectProblem(await upload(api.boss, 'fake.pdf', 'not a pdf'), 415);
    expectProblem(await api.boss.send('POST', '/api/approvals/files', undefined, { raw: 'x' }), 400, [
      '/headers/X-File-Name',
    ]);

    const [task] = (await api.boss.get<Page<Entry>>('/api/approvals/inbox/pending')).body.data.filter(
      (entry) => entry.recordId === quote.id,
    );
    // another's upload is refused, naming it, and nothing is written
    const foreign = await upload(api.cfo, 'cfo.txt', 'not yours');
    expectProblem(
      await api.boss.post(`/api/approvals/tasks/${task?.taskId}/approve`, {
        attachments: [file.body.id, foreign.body.id],
      }),
      422,
      ['/attachments/1'],
    );
    expect((await api.boss.get<Page<Entry>>('/api/approvals/inbox/pending')).body.data).toContainEqual(
      expect.objectContaining({ taskId: task?.taskId }),
    );
    const approved = await api.boss.post(`/api/approvals/tasks/${task?.taskId}/approve`, {
      comment: 'see the check',
      attachments: [file.body.id],
    });
    expect(approved.status).toBe(200);
    const timeline = await api.rep.get<{ steps: { actions: { attachments: unknown[] }[] }[] }[]>(
      `/api/modules/aph_quote/records/${quote.id}/approvals`,
    );
    expect(timeline.body[0]?.steps[0]?.actions[0]?.attachments).toEqual([
      { id: file.body.id, name: '核对.txt', size: 18, type: 'text/plain' },
    ]);
    // the submitter and the approvers download it; someone outside the approval does not see it
    const download = await api.rep.get(`/api/files/${file.body.id}`);
    expect(download.status).toBe(200);
    expect(download.body).toBe('the margin is fine');
    expect((await api.cfo.get(`/api/files/${file.body.id}`)).status).toBe(200);
    expect((await api.outsider.get(`/api/files/${file.body.id}`)).status).toBe(404);
  });
});
