// Approval modes (single, any, all, sequence, ratio), onReject, and approver resolution from the
// organisation: users, role, department head, manager chain, a user field of the record, FEEL.
import { SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { expect, it } from 'vitest';
import { approvalOrg } from '../../support/approval-fixtures.ts';
import { approvalTask, approvers, bpmn, flows, xmlEscape } from '../../support/bpmn.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';

/** start → one approval task → end. */
function oneStep(processId: string, attributes: string, rules: string): string {
  return bpmn(
    processId,
    `<bpmn:startEvent id="s"/>${approvalTask('approve', attributes, rules)}<bpmn:endEvent id="e"/>
     ${flows(['a', 's', 'approve'], ['b', 'approve', 'e'])}`,
  );
}

async function openTasks(workspace: Workspace, instanceId: string) {
  const detail = await workspace.workflows.queries.instance(instanceId);
  return detail.tasks.filter((task) => task.state === 'open');
}

forEachDatabase('approval modes', (handle) => {
  it('single: the one approver decides; the flow sees the outcome', async () => {
    const { workspace } = handle();
    const org = await approvalOrg(handle());
    await workspace.workflows.deploy(oneStep('m_single', 'mode="single"', approvers('bob')), SYSTEM_ACTOR);
    const instance = await workspace.workflows.start('m_single', {}, org.as('alice'));
    const [task] = await openTasks(workspace, instance.id);
    expect(task).toMatchObject({ assignee: org.ids.bob, element_id: 'approve' });
    await workspace.approvals.act(task?.id as string, 'approve', { comment: 'fine' }, org.as('bob'));
    const done = await workspace.workflows.queries.instance(instance.id);
    expect(done.state).toBe('completed');
    expect(done.variables.approval).toEqual({
      outcome: 'approved',
      decidedBy: [org.ids.bob],
      comment: 'fine',
    });
    expect(done.variables.approvals).toEqual({ approve: done.variables.approval });
  });

  it('single refuses more than one approver as an incident', async () => {
    const { workspace } = handle();
    const org = await approvalOrg(handle());
    await workspace.workflows.deploy(
      oneStep('m_single2', 'mode="single"', approvers('bob', 'carol')),
      SYSTEM_ACTOR,
    );
    const instance = await workspace.workflows.start('m_single2', {}, org.as('alice'));
    const detail = await workspace.workflows.queries.instance(instance.id);
    expect(detail.incidents).toEqual([
      expect.objectContaining({ kind: 'approval', message: expect.stringContaining('exactly one approver') }),
    ]);
  });

  it('any (或签): the first decision wins and the other tasks are cancelled', async () => {
    const { workspace } = handle();
    const org = await approvalOrg(handle());
    await workspace.workflows.deploy(
      oneStep('m_any', 'mode="any"', approvers('bob', 'carol', 'dave')),
      SYSTEM_ACTOR,
    );
    const instance = await workspace.workflows.start('m_any', {}, org.as('alice'));
    const tasks = await openTasks(workspace, instance.id);
    expect(tasks.map((task) => task.assignee)).toEqual([org.ids.bob, org.ids.carol, org.ids.dave]);
    const carols = tasks.find((task) => task.assignee === org.ids.carol);
    await workspace.approvals.act(carols?.id as string, 'reject', { comment: 'too cheap' }, org.as('carol'));
    const done = await workspace.workflows.queries.instance(instance.id);
    expect(done.state).toBe('completed');
    expect(done.variables.approval).toMatchObject({ outcome: 'rejected', decidedBy: [org.ids.carol] });
    expect(done.tasks.map((task) => task.state).sort()).toEqual(['cancelled', 'cancelled', 'completed']);
    const bobs = tasks.find((task) => task.assignee === org.ids.bob);
    await expect(
      workspace.approvals.act(bobs?.id as string, 'approve', {}, org.as('bob')),
    ).rejects.toMatchObject({
      kind: 'conflict',
    });
  });

  it('all (会签): every approver must approve; one rejection rejects', async () => {
    const { workspace } = handle();
    const org = await approvalOrg(handle());
    await workspace.workflows.deploy(
      oneStep('m_all', 'mode="all"', approvers('bob', 'carol', 'dave')),
      SYSTEM_ACTOR,
    );
    const approved = await workspace.workflows.start('m_all', {}, org.as('alice'));
    for (const task of await openTasks(workspace, approved.id)) {
      expect((await workspace.workflows.queries.instance(approved.id)).state).toBe('active');
      await workspace.approvals.act(task.id, 'approve', {}, { userId: task.assignee, via: 'session' });
    }
    const done = await workspace.workflows.queries.instance(approved.id);
    expect(done.variables.approval).toMatchObject({
      outcome: 'approved',
      decidedBy: [org.ids.bob, org.ids.carol, org.ids.dave],
    });

    const rejected = await workspace.workflows.start('m_all', {}, org.as('alice'));
    const [first, second] = await openTasks(workspace, rejected.id);
    await workspace.approvals.act(first?.id as string, 'approve', {}, org.as('bob'));
    await workspace.approvals.act(second?.id as string, 'reject', { comment: 'no' }, org.as('carol'));
    const ended = await workspace.workflows.queries.instance(rejected.id);
    expect(ended.state).toBe('completed');
    expect(ended.variables.approval).toEqual({
      outcome: 'rejected',
      decidedBy: [org.ids.carol],
      comment: 'no',
    });
    expect(await openTasks(workspace, rejected.id)).toEqual([]);
  });

  it('sequence (依次): one approver after another, in the order of the rules', async () => {
    const { workspace } = handle();
    const org = await approvalOrg(handle());
    await workspace.workflows.deploy(
      oneStep('m_seq', 'mode="sequence"', approvers('carol', 'bob')),
      SYSTEM_ACTOR,
    );
    const instance = await workspace.workflows.start('m_seq', {}, org.as('alice'));
    const [first, ...none] = await openTasks(workspace, instance.id);
    expect(first?.assignee).toBe(org.ids.carol);
    expect(none).toEqual([]);
    await workspace.approvals.act(first?.id as string, 'approve', {}, org.as('carol'));
    const [second] = await openTasks(workspace, instance.id);
    expect(second?.assignee).toBe(org.ids.bob);
    await workspace.approvals.act(second?.id as string, 'approve', {}, org.as('bob'));
    expect((await workspace.workflows.queries.instance(instance.id)).variables.approval).toMatchObject({
      outcome: 'approved',
      decidedBy: [org.ids.carol, org.ids.bob],
    });
  });

  it('ratio: approved once the share is reached, rejected once it no longer can be', async () => {
    const { workspace } = handle();
    const org = await approvalOrg(handle());
    const rules = approvers('bob', 'carol', 'dave');
    await workspace.workflows.deploy(oneStep('m_ratio', 'mode="ratio" ratio="0.6"', rules), SYSTEM_ACTOR);
    const yes = await workspace.workflows.start('m_ratio', {}, org.as('alice'));
    const [a, b] = await openTasks(workspace, yes.id);
    await workspace.approvals.act(a?.id as string, 'approve', {}, org.as('bob'));
    expect((await workspace.workflows.queries.instance(yes.id)).state).toBe('active');
    await workspace.approvals.act(b?.id as string, 'approve', {}, org.as('carol'));
    expect((await workspace.workflows.queries.instance(yes.id)).variables.approval).toMatchObject({
      outcome: 'approved',
    });
    const no = await workspace.workflows.start('m_ratio', {}, org.as('alice'));
    const [c, d] = await openTasks(workspace, no.id);
    await workspace.approvals.act(c?.id as string, 'reject', {}, org.as('bob'));
    expect((await workspace.workflows.queries.instance(no.id)).state).toBe('active');
    await workspace.approvals.act(d?.id as string, 'reject', {}, org.as('carol'));
    expect((await workspace.workflows.queries.instance(no.id)).variables.approval).toMatchObject({
      outcome: 'rejected',
      decidedBy: [org.ids.bob, org.ids.carol],
    });
  });

  it('onReject="continue" leaves the rejection to the diagram', async () => {
    const { workspace } = handle();
    const org = await approvalOrg(handle());
    await workspace.workflows.deploy(
      bpmn(
        'm_continue',
        `<bpmn:startEvent id="s"/>${approvalTask('review', 'mode="single" onReject="continue"', approvers('bob'))}
         <bpmn:exclusiveGateway id="ok" default="back"/>
         <bpmn:userTask id="revise"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=submitter"/></bpmn:extensionElements></bpmn:userTask>
         <bpmn:endEvent id="e"/>
         ${flows(['a', 's', 'review'], ['b', 'review', 'ok'], ['yes', 'ok', 'e', '=approval.outcome = "approved"'], ['back', 'ok', 'revise'], ['c', 'revise', 'review'])}`,
      ),
      SYSTEM_ACTOR,
    );
    const instance = await workspace.workflows.start(
      'm_continue',
      { variables: { submitter: org.ids.alice } },
      org.as('alice'),
    );
    const [review] = await openTasks(workspace, instance.id);
    await workspace.approvals.act(
      review?.id as string,
      'reject',
      { comment: 'fix the price' },
      org.as('bob'),
    );
    const [revise] = await openTasks(workspace, instance.id);
    expect(revise).toMatchObject({ element_id: 'revise', assignee: org.ids.alice });
    // the plain revise task is in alice's inbox too, as a task
    expect((await workspace.approvals.inbox.pending(org.ids.alice)).data).toContainEqual(
      expect.objectContaining({ taskId: revise?.id, kind: 'task', status: 'pending' }),
    );
    await workspace.workflows.completeTask(revise?.id as string, {}, org.as('alice'));
    const [again] = await openTasks(workspace, instance.id);
    await workspace.approvals.act(again?.id as string, 'approve', {}, org.as('bob'));
    const done = await workspace.workflows.queries.instance(instance.id);
    expect(done.state).toBe('completed');
    expect(done.variables.approval).toMatchObject({ outcome: 'approved' });
  });
});

forEachDatabase('approver resolution', (handle) => {
  async function approversOf(processId: string, rules: string, variables: Record<string, unknown> = {}) {
    const { workspace } = handle();
    const org = await approvalOrg(handle());
    await workspace.workflows.deploy(oneStep(processId, 'mode="all"', rules), SYSTEM_ACTOR);
    const instance = await workspace.workflows.start(processId, { variables }, org.as('alice'));
    const detail = await workspace.workflows.queries.instance(instance.id);
    return { tasks: detail.tasks.map((task) => task.assignee), incidents: detail.incidents, org };
  }

  it('unions the rules in order without duplicates; users who left are not asked', async () => {
    const { tasks, org } = await approversOf(
      'r_union',
      `${approvers('carol', 'gone')}<crm:approvers source="role" value="finance"/>${approvers('erin')}`,
    );
    expect(tasks).toEqual([org.ids.carol, org.ids.erin, org.ids.frank]);
  });

  it('department head and manager chain of the submitter', async () => {
    const head = await approversOf('r_head', '<crm:approvers source="departmentHead" of="submitter"/>');
    expect(head.tasks).toEqual([head.org.ids.dave]);
    const chain = await approversOf('r_chain', '<crm:approvers source="managerChain" levels="2"/>');
    expect(chain.tasks).toEqual([chain.org.ids.bob, chain.org.ids.carol]);
    const ofOther = await approversOf(
      'r_chain_of',
      `<crm:approvers source="managerChain" levels="5" of="${xmlEscape('=who')}"/>`,
      { who: 'bob' },
    );
    expect(ofOther.tasks).toEqual([ofOther.org.ids.carol]);
  });

  it('a user field of the bound record and a FEEL expression', async () => {
    const org = await approvalOrg(handle());
    const field = await approversOf('r_field', '<crm:approvers source="userField" field="owner"/>', {
      record: { owner: org.ids.frank },
    });
    expect(field.tasks).toEqual([org.ids.frank]);
    const expression = `=if record.amount > 100000 then "carol" else "bob"`;
    const big = await approversOf(
      'r_expr',
      `<crm:approvers source="expression" value="${xmlEscape(expression)}"/>`,
      {
        record: { amount: 200000 },
      },
    );
    expect(big.tasks).toEqual([org.ids.carol]);
  });

  it('an empty resolution is an incident naming the rule', async () => {
    const { incidents, tasks } = await approversOf(
      'r_empty',
      '<crm:approvers source="role" value="nobody_has_it"/>',
    );
    expect(tasks).toEqual([]);
    expect(incidents).toEqual([
      expect.objectContaining({ kind: 'approval', message: expect.stringContaining('role=nobody_has_it') }),
    ]);
  });

  it('refuses malformed crm: settings naming the element and the attribute', async () => {
    const { workspace } = handle();
    const xml = oneStep(
      'r_bad',
      'mode="most" ratio="2"',
      '<crm:approvers source="boss"/><crm:approvers source="managerChain" levels="0"/><crm:timeout duration="soon" action="explode"/>',
    );
    const error = await engineError(workspace.workflows.deploy(xml, SYSTEM_ACTOR));
    expect(error.kind).toBe('invalid-definition');
    const messages = error.problems.map((problem) => problem.message);
    expect(error.problems.every((problem) => problem.pointer === '/elements/approve')).toBe(true);
    for (const part of [
      'mode',
      'ratio',
      'crm:approvers[1] source',
      'crm:approvers[2] levels',
      'crm:timeout duration',
      'crm:timeout action',
    ]) {
      expect(messages.some((message) => message.includes(`crm:approval ${part}:`))).toBe(true);
    }
  });
});
