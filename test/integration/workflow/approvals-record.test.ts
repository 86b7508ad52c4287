// A record in approval: locked against users' changes (423 naming the flow) while the flow's own writes
// pass, and its status field set at start, approval, rejection, recall and return to the submitter.
import { type StoredRecord, SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { actorOf, role } from '../../support/access-fixtures.ts';
import { approvalTask, approvers, bpmn, flows } from '../../support/bpmn.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { type FixtureUser, organisation } from '../../support/org.ts';

const QUOTE = 'mod_apr_quote';
const statusOptions = ['draft', 'in_approval', 'approved', 'rejected'].map((value) => ({
  value,
  label: { en: value, 'zh-CN': value },
}));

const quoteDefinition = {
  id: QUOTE,
  name: 'apr_quote',
  label: { en: 'Quote', 'zh-CN': '报价' },
  fields: [
    { id: 'aq_title', name: 'title', type: 'text', label: { en: 'Title' }, required: true },
    { id: 'aq_status', name: 'status', type: 'select', label: { en: 'Status' }, options: statusOptions },
  ],
};

const flow = bpmn(
  'apr_discount',
  `<bpmn:extensionElements>
     <crm:record module="apr_quote" lock="true" statusField="status" recalled="draft"/>
   </bpmn:extensionElements>
   <bpmn:startEvent id="start"/>
   ${approvalTask('manager', 'mode="single"', approvers('apr_boss'), 'Manager approval')}
   <bpmn:endEvent id="done"/>
   ${flows(['f1', 'start', 'manager'], ['f2', 'manager', 'done'])}`,
);

forEachDatabase('approvals and their record', (handle) => {
  let workspace: Workspace;
  let rep: FixtureUser;
  let boss: FixtureUser;

  beforeAll(async () => {
    workspace = handle().workspace;
    await workspace.definitions.saveDraft(quoteDefinition);
    await workspace.definitions.publish();
    const org = organisation(handle());
    rep = await org.user('apr_rep');
    boss = await org.user('apr_boss');
    await org.role(role('apr_rep', QUOTE, { read: 'all', create: 'own', update: 'all', delete: 'all' }));
    await org.grant(rep, 'apr_rep');
    await org.grant(boss, 'apr_rep');
    await workspace.workflows.deploy(flow, SYSTEM_ACTOR);
  });

  async function submit(title: string): Promise<{ quote: StoredRecord; instanceId: string; taskId: string }> {
    const quote = await workspace.records.create('apr_quote', { title, status: 'draft' }, actorOf(rep));
    const instance = await workspace.workflows.start(
      'apr_discount',
      { record: { module: 'apr_quote', id: quote.id } },
      actorOf(rep),
    );
    const detail = await workspace.workflows.queries.instance(instance.id);
    return { quote, instanceId: instance.id, taskId: detail.tasks[0]?.id as string };
  }

  const status = async (id: string) => (await workspace.records.get('apr_quote', id, SYSTEM_ACTOR)).status;

  it('locks the record while in approval; the flow itself still writes; approval unlocks it', async () => {
    const { quote, taskId } = await submit('Q-lock');
    expect(await status(quote.id)).toBe('in_approval');
    const refused = await engineError(
      workspace.records.update('apr_quote', quote.id, { title: 'x' }, actorOf(rep)),
    );
    expect(refused.kind).toBe('locked');
    expect(refused.message).toContain("'apr_discount'");
    expect(refused.problems[0]?.messages?.['zh-CN']).toContain('审批中');
    await expect(workspace.records.delete('apr_quote', quote.id, actorOf(boss))).rejects.toMatchObject({
      kind: 'locked',
    });
    const unchanged = await workspace.records.get('apr_quote', quote.id, SYSTEM_ACTOR);
    expect(unchanged).toMatchObject({ title: 'Q-lock', version: quote.version + 1 });
    // the engine's own writes (a flow's record action) pass
    await workspace.records.update('apr_quote', quote.id, { title: 'Q-lock (checked)' }, SYSTEM_ACTOR);

    await workspace.approvals.act(taskId, 'approve', {}, actorOf(boss));
    expect(await status(quote.id)).toBe('approved');
    const edited = await workspace.records.update('apr_quote', quote.id, { title: 'after' }, actorOf(rep));
    expect(edited.title).toBe('after');
  });

  it('sets the rejected status and unlocks on rejection', async () => {
    const { quote, taskId } = await submit('Q-reject');
    await workspace.approvals.act(taskId, 'reject', { comment: 'no' }, actorOf(boss));
    expect(await status(quote.id)).toBe('rejected');
    await workspace.records.update('apr_quote', quote.id, { title: 'revised' }, actorOf(rep));
  });

  it('a recall by the submitter sets the recalled status and unlocks', async () => {
    const { quote, instanceId } = await submit('Q-recall');
    await workspace.approvals.recall(instanceId, { comment: 'wrong price' }, actorOf(rep));
    expect(await status(quote.id)).toBe('draft');
    expect((await workspace.workflows.queries.instance(instanceId)).state).toBe('cancelled');
    await workspace.records.update('apr_quote', quote.id, { title: 'fixed' }, actorOf(rep));
  });

  it('returned to the submitter the record is theirs to change; resubmitting locks it again', async () => {
    const { quote, instanceId, taskId } = await submit('Q-return');
    await workspace.approvals.act(
      taskId,
      'return',
      { target: 'submitter', comment: 'add details' },
      actorOf(boss),
    );
    expect(await status(quote.id)).toBe('draft');
    await workspace.records.update('apr_quote', quote.id, { title: 'Q-return with details' }, actorOf(rep));
    const detail = await workspace.workflows.queries.instance(instanceId);
    const resubmit = detail.tasks.find((task) => task.state === 'open');
    expect(resubmit).toMatchObject({ assignee: rep.id, element_id: 'manager' });
    await workspace.approvals.act(resubmit?.id as string, 'resubmit', { comment: 'done' }, actorOf(rep));
    expect(await status(quote.id)).toBe('in_approval');
    await expect(
      workspace.records.update('apr_quote', quote.id, { title: 'x' }, actorOf(rep)),
    ).rejects.toMatchObject({ kind: 'locked' });
    const again = (await workspace.workflows.queries.instance(instanceId)).tasks.find(
      (t) => t.state === 'open',
    );
    expect(again?.assignee).toBe(boss.id);
    await workspace.approvals.act(again?.id as string, 'approve', {}, actorOf(boss));
    expect(await status(quote.id)).toBe('approved');
  });

  it('an administrator cancelling the approval unlocks the record and closes its steps', async () => {
    const { quote, instanceId } = await submit('Q-cancel');
    await workspace.workflows.cancel(instanceId, SYSTEM_ACTOR);
    expect(await status(quote.id)).toBe('draft');
    await workspace.records.update('apr_quote', quote.id, { title: 'free again' }, actorOf(rep));
    const [entry] = await workspace.approvals.timeline('apr_quote', quote.id, actorOf(rep));
    expect(entry).toMatchObject({
      status: 'cancelled',
      steps: [expect.objectContaining({ state: 'cancelled' })],
    });
    const notes = await workspace.notifications.list(rep.id, {});
    expect(notes.data[0]).toMatchObject({ kind: 'approval-cancelled', link: { instanceId } });
  });
});
