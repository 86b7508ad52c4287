// Actions on approval tasks, each with its checks: who may act, transfer, adding signers before and
// after, return (previous step, chosen step, submitter), recall, remind, CC, comments and attachments.
// Refused actions write nothing.
import { SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { approvalOrg } from '../../support/approval-fixtures.ts';
import { approvalTask, approvers, bpmn, flows } from '../../support/bpmn.ts';
import { type EngineHandle, forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';

const oneStep = (processId: string, attributes: string, rules: string) =>
  bpmn(
    processId,
    `<bpmn:startEvent id="s"/>${approvalTask('approve', attributes, rules, 'Approve')}<bpmn:endEvent id="e"/>
     ${flows(['a', 's', 'approve'], ['b', 'approve', 'e'])}`,
  );

const twoSteps = bpmn(
  'act_two',
  `<bpmn:startEvent id="s"/>
   ${approvalTask('first', 'mode="single"', approvers('carol'), 'First')}
   ${approvalTask('second', 'mode="single"', approvers('bob'), 'Second')}
   <bpmn:endEvent id="e"/>
   ${flows(['a', 's', 'first'], ['b', 'first', 'second'], ['c', 'second', 'e'])}`,
);

async function openTasks(workspace: Workspace, instanceId: string) {
  const detail = await workspace.workflows.queries.instance(instanceId);
  return detail.tasks.filter((task) => task.state === 'open');
}

async function actionCount(handle: EngineHandle, instanceId: string): Promise<number> {
  const [row] = await handle.engine.db.query<{ n: number | string }>(
    sql`SELECT count(*) AS n FROM ${sql.raw(`"${handle.workspace.schema}"._wf_approval_actions`)} WHERE instance_id = ${instanceId}`,
  );
  return Number(row?.n);
}

forEachDatabase('approval actions', (handle) => {
  async function deployed() {
    const { workspace } = handle();
    const org = await approvalOrg(handle());
    for (const xml of [
      oneStep('act_single', 'mode="single"', approvers('bob')),
      oneStep('act_all', 'mode="all"', approvers('bob', 'carol')),
      twoSteps,
    ]) {
      await workspace.workflows.deploy(xml, SYSTEM_ACTOR);
    }
    return { workspace, org, wf: workspace.workflows, ap: workspace.approvals };
  }

  it('only the approver (or an administrator) acts; a wrong user changes nothing', async () => {
    const { wf, ap, org, workspace } = await deployed();
    const instance = await wf.start('act_single', {}, org.as('alice'));
    const [task] = await openTasks(workspace, instance.id);
    const refused = await engineError(ap.act(task?.id as string, 'approve', {}, org.as('carol')));
    expect(refused).toMatchObject({ kind: 'forbidden' });
    expect(refused.problems[0]?.messages?.['zh-CN']).toBe('该审批任务不属于您');
    expect(await actionCount(handle(), instance.id)).toBe(0);
    expect(await openTasks(workspace, instance.id)).toHaveLength(1);
    // the plain task completion does not bypass the approval
    await expect(wf.completeTask(task?.id as string, {}, org.as('bob'))).rejects.toMatchObject({
      kind: 'conflict',
    });
    await ap.act(task?.id as string, 'approve', { comment: 'on behalf' }, org.as('admin'), { asAdmin: true });
    expect((await wf.queries.instance(instance.id)).state).toBe('completed');
    await expect(ap.act(task?.id as string, 'reject', {}, org.as('bob'))).rejects.toMatchObject({
      kind: 'conflict',
    });
  });

  it('transfers a task; an unknown or inactive user is refused naming /to, writing nothing', async () => {
    const { wf, ap, org, workspace } = await deployed();
    const instance = await wf.start('act_single', {}, org.as('alice'));
    const [task] = await openTasks(workspace, instance.id);
    for (const to of ['nobody', 'gone', undefined]) {
      const error = await engineError(ap.act(task?.id as string, 'transfer', { to }, org.as('bob')));
      expect(error.kind).toBe('invalid-input');
      expect(error.problems[0]?.pointer).toBe('/to');
    }
    expect(await actionCount(handle(), instance.id)).toBe(0);
    expect((await openTasks(workspace, instance.id)).map((t) => t.assignee)).toEqual([org.ids.bob]);
    await ap.act(task?.id as string, 'transfer', { to: 'carol', comment: 'on leave' }, org.as('bob'));
    const [carols] = await openTasks(workspace, instance.id);
    expect(carols?.assignee).toBe(org.ids.carol);
    await ap.act(carols?.id as string, 'approve', {}, org.as('carol'));
    expect((await wf.queries.instance(instance.id)).variables.approval).toMatchObject({
      outcome: 'approved',
      decidedBy: [org.ids.carol],
    });
  });

  it('adds a signer before (they first, then the approver again) and after (they too must approve)', async () => {
    const { wf, ap, org, workspace } = await deployed();
    const before = await wf.start('act_single', {}, org.as('alice'));
    const [bobs] = await openTasks(workspace, before.id);
    await ap.act(bobs?.id as string, 'add-signer', { users: ['dave'], position: 'before' }, org.as('bob'));
    const [daves] = await openTasks(workspace, before.id);
    expect(daves?.assignee).toBe(org.ids.dave);
    await ap.act(daves?.id as string, 'approve', {}, org.as('dave'));
    const [bobsAgain] = await openTasks(workspace, before.id);
    expect(bobsAgain?.assignee).toBe(org.ids.bob);
    expect(bobsAgain?.id).not.toBe(bobs?.id);
    await ap.act(bobsAgain?.id as string, 'approve', {}, org.as('bob'));
    expect((await wf.queries.instance(before.id)).variables.approval).toMatchObject({
      decidedBy: [org.ids.dave, org.ids.bob],
    });

    const after = await wf.start('act_single', {}, org.as('alice'));
    const [first] = await openTasks(workspace, after.id);
    const already = await engineError(
      ap.act(first?.id as string, 'add-signer', { users: ['bob'] }, org.as('bob')),
    );
    expect(already.problems[0]).toMatchObject({ pointer: '/users', code: 'already-approver' });
    const bad = await engineError(
      ap.act(first?.id as string, 'add-signer', { users: ['erin'], position: 'beside' }, org.as('bob')),
    );
    expect(bad.problems[0]?.pointer).toBe('/position');
    await ap.act(first?.id as string, 'add-signer', { users: ['erin'], position: 'after' }, org.as('bob'));
    const [erins] = await openTasks(workspace, after.id);
    expect(erins?.assignee).toBe(org.ids.erin);
    expect((await wf.queries.instance(after.id)).state).toBe('active');
    await ap.act(erins?.id as string, 'approve', {}, org.as('erin'));
    expect((await wf.queries.instance(after.id)).variables.approval).toMatchObject({
      outcome: 'approved',
      decidedBy: [org.ids.bob, org.ids.erin],
    });
  });

  it('returns to the previous step or a chosen one; with none before it is refused naming /target', async () => {
    const { wf, ap, org, workspace } = await deployed();
    const instance = await wf.start('act_two', {}, org.as('alice'));
    const [first] = await openTasks(workspace, instance.id);
    const none = await engineError(ap.act(first?.id as string, 'return', {}, org.as('carol')));
    expect(none.problems[0]).toMatchObject({ pointer: '/target', code: 'no-earlier-step' });
    await ap.act(first?.id as string, 'approve', {}, org.as('carol'));
    const [second] = await openTasks(workspace, instance.id);
    expect(second?.element_id).toBe('second');
    const detail = await ap.taskDetail(second?.id as string, org.as('bob'));
    expect(detail.returnTargets).toEqual([{ elementId: 'first', name: 'First' }]);
    expect(detail.actions).toContain('return');
    await ap.act(second?.id as string, 'return', { comment: 'check the margin' }, org.as('bob'));
    const [again] = await openTasks(workspace, instance.id);
    expect(again).toMatchObject({ element_id: 'first', assignee: org.ids.carol });
    await ap.act(again?.id as string, 'approve', {}, org.as('carol'));
    const [secondAgain] = await openTasks(workspace, instance.id);
    await ap.act(secondAgain?.id as string, 'return', { target: 'first' }, org.as('bob'));
    expect((await openTasks(workspace, instance.id))[0]?.element_id).toBe('first');
  });

  it('recall: only the submitter, only before anyone acted', async () => {
    const { wf, ap, org, workspace } = await deployed();
    const early = await wf.start('act_all', {}, org.as('alice'));
    await expect(ap.recall(early.id, {}, org.as('bob'))).rejects.toMatchObject({ kind: 'forbidden' });
    const result = await ap.recall(early.id, { comment: 'typo' }, org.as('alice'));
    expect(result.instanceState).toBe('cancelled');
    expect(await openTasks(workspace, early.id)).toEqual([]);
    await expect(ap.recall(early.id, {}, org.as('alice'))).rejects.toMatchObject({ kind: 'conflict' });

    const late = await wf.start('act_all', {}, org.as('alice'));
    const [bobs] = await openTasks(workspace, late.id);
    await ap.act(bobs?.id as string, 'approve', {}, org.as('bob'));
    const count = await actionCount(handle(), late.id);
    const refused = await engineError(ap.recall(late.id, {}, org.as('alice')));
    expect(refused.kind).toBe('conflict');
    expect(refused.problems[0]?.messages?.['zh-CN']).toBe('审批人已处理，无法撤回');
    expect(await actionCount(handle(), late.id)).toBe(count);
    expect((await wf.queries.instance(late.id)).state).toBe('active');
  });

  it('remind tells the approvers whose turn it is; CC puts the approval in the CC list', async () => {
    const { wf, ap, org, workspace } = await deployed();
    const instance = await wf.start('act_all', {}, org.as('alice'));
    await expect(ap.remind(instance.id, {}, org.as('carol'))).rejects.toMatchObject({ kind: 'forbidden' });
    await ap.remind(instance.id, { comment: 'customer waiting' }, org.as('alice'));
    const bobsNotes = await workspace.notifications.list(org.ids.bob, {});
    expect(bobsNotes.data.map((note) => note.kind)).toEqual(
      expect.arrayContaining(['approval-task', 'approval-remind']),
    );
    const [bobs] = await openTasks(workspace, instance.id);
    const bad = await engineError(ap.act(bobs?.id as string, 'cc', { users: [] }, org.as('bob')));
    expect(bad.problems[0]?.pointer).toBe('/users');
    await ap.act(bobs?.id as string, 'cc', { users: ['frank', org.ids.erin] }, org.as('bob'));
    const franks = await ap.inbox.cc(org.ids.frank);
    expect(franks.data).toEqual([
      expect.objectContaining({
        instanceId: instance.id,
        by: { id: org.ids.bob, name: 'bob' },
        status: 'pending',
      }),
    ]);
    expect((await workspace.notifications.list(org.ids.erin, {})).data.map((n) => n.kind)).toContain(
      'approval-cc',
    );
    // CC does not decide anything
    expect(await openTasks(workspace, instance.id)).toHaveLength(2);
  });

  it('keeps comments and attachments; a file that is not your upload is refused naming it', async () => {
    const { wf, ap, org, workspace } = await deployed();
    await workspace.definitions.saveDraft({
      id: 'mod_act_doc',
      name: 'act_doc',
      label: { en: 'Doc', 'zh-CN': '文档' },
      fields: [{ id: 'ad_file', name: 'file', type: 'file', label: { en: 'File' } }],
    });
    await workspace.definitions.publish();
    await handle().workspace.access.roles.create(
      {
        id: 'act_doc_writer',
        label: { en: 'w' },
        modules: { mod_act_doc: { read: 'all', create: 'all', update: 'all' } },
      },
      SYSTEM_ACTOR,
    );
    await handle().engine.db.run(
      sql`INSERT INTO ${sql.raw(`"${workspace.schema}"._user_roles`)} (user_id, role_id) VALUES (${org.ids.bob}, 'act_doc_writer')`,
    );
    const bytes = async function* () {
      yield new TextEncoder().encode('the margin is fine');
    };
    const file = await workspace.files.upload(
      { module: 'act_doc', field: 'file' },
      'check.txt',
      bytes(),
      org.as('bob'),
    );
    const instance = await wf.start('act_single', {}, org.as('alice'));
    const [task] = await openTasks(workspace, instance.id);
    const foreign = await engineError(
      ap.act(task?.id as string, 'approve', { attachments: [file.id] }, org.as('admin'), { asAdmin: true }),
    );
    expect(foreign.problems[0]).toMatchObject({ pointer: '/attachments/0', code: 'not-found' });
    const malformed = await engineError(
      ap.act(task?.id as string, 'approve', { attachments: ['x'] }, org.as('bob')),
    );
    expect(malformed.problems[0]?.pointer).toBe('/attachments/0');
    const long = await engineError(
      ap.act(task?.id as string, 'approve', { comment: 'x'.repeat(4001) }, org.as('bob')),
    );
    expect(long.problems[0]?.pointer).toBe('/comment');
    expect(await actionCount(handle(), instance.id)).toBe(0);
    const done = await ap.act(
      task?.id as string,
      'approve',
      { comment: '同意', attachments: [file.id] },
      org.as('bob'),
    );
    expect(done.action).toMatchObject({
      action: 'approve',
      comment: '同意',
      attachments: [{ id: file.id, name: 'check.txt', size: 18, type: expect.any(String) }],
      automatic: false,
    });
    // those taking part download it (the submitter), others do not; cleanup keeps it
    expect(await workspace.files.get(file.id, org.as('alice'))).toMatchObject({ name: 'check.txt' });
    expect(await workspace.files.get(file.id, org.as('frank'))).toBeUndefined();
    await workspace.files.cleanup(0);
    expect(await workspace.files.get(file.id, org.as('bob'))).toMatchObject({ name: 'check.txt' });
  });
});
