// Automatic decisions: auto-approve when the approver is the submitter or approved the previous step
// (recorded as automatic), and timeouts on the engine's clock that remind, escalate, approve or reject.
import { SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { expect, it } from 'vitest';
import { approvalOrg } from '../../support/approval-fixtures.ts';
import { approvalTask, approvers, bpmn, flows } from '../../support/bpmn.ts';
import { testClock } from '../../support/clock.ts';
import { forEachDatabase } from '../../support/engines.ts';

const HOUR = 3_600_000;
const clock = testClock(Date.parse('2026-03-02T09:00:00Z'));

const oneStep = (processId: string, attributes: string, rules: string) =>
  bpmn(
    processId,
    `<bpmn:startEvent id="s"/>${approvalTask('approve', attributes, rules)}<bpmn:endEvent id="e"/>
     ${flows(['a', 's', 'approve'], ['b', 'approve', 'e'])}`,
  );

async function openTasks(workspace: Workspace, instanceId: string) {
  return (await workspace.workflows.queries.instance(instanceId)).tasks.filter(
    (task) => task.state === 'open',
  );
}

forEachDatabase(
  'automatic approvals',
  (handle) => {
    it('auto-approves the submitter as an approver, recorded as automatic', async () => {
      const { workspace } = handle();
      const org = await approvalOrg(handle());
      await workspace.workflows.deploy(
        oneStep('auto_sub', 'mode="all" autoApprove="submitter"', approvers('alice', 'bob')),
        SYSTEM_ACTOR,
      );
      const instance = await workspace.workflows.start('auto_sub', {}, org.as('alice'));
      const tasks = await openTasks(workspace, instance.id);
      expect(tasks.map((task) => task.assignee)).toEqual([org.ids.bob]);
      await workspace.approvals.act(tasks[0]?.id as string, 'approve', {}, org.as('bob'));
      const done = await workspace.workflows.queries.instance(instance.id);
      expect(done.variables.approval).toMatchObject({
        outcome: 'approved',
        decidedBy: [org.ids.alice, org.ids.bob],
      });
      const done2 = await workspace.approvals.inbox.done(org.ids.alice);
      expect(done2.data).toEqual([]); // an automatic approval is not something alice did
    });

    it('auto-approves who approved the previous step; a step of only such approvers passes at once', async () => {
      const { workspace } = handle();
      const org = await approvalOrg(handle());
      await workspace.workflows.deploy(
        bpmn(
          'auto_prev',
          `<bpmn:startEvent id="s"/>
           ${approvalTask('first', 'mode="single"', approvers('carol'))}
           ${approvalTask('second', 'mode="all" autoApprove="previous"', approvers('carol', 'bob'))}
           ${approvalTask('third', 'mode="single" autoApprove="previous"', approvers('bob'))}
           <bpmn:endEvent id="e"/>
           ${flows(['a', 's', 'first'], ['b', 'first', 'second'], ['c', 'second', 'third'], ['d', 'third', 'e'])}`,
        ),
        SYSTEM_ACTOR,
      );
      const instance = await workspace.workflows.start('auto_prev', {}, org.as('alice'));
      const [first] = await openTasks(workspace, instance.id);
      await workspace.approvals.act(first?.id as string, 'approve', {}, org.as('carol'));
      const [second, ...none] = await openTasks(workspace, instance.id);
      expect(second?.assignee).toBe(org.ids.bob);
      expect(none).toEqual([]);
      await workspace.approvals.act(second?.id as string, 'approve', {}, org.as('bob'));
      // bob approved "second", so "third" (bob only) approves itself
      expect((await workspace.workflows.queries.instance(instance.id)).state).toBe('completed');
      const history = await workspace.workflows.queries.history(instance.id);
      expect(history.filter((event) => event.event === 'approval-decided')).toHaveLength(3);
    });

    it('with nobody above the submitter and autoApprove="submitter", the step approves itself', async () => {
      const { workspace } = handle();
      const org = await approvalOrg(handle());
      await workspace.workflows.deploy(
        oneStep(
          'auto_top',
          'mode="single" autoApprove="submitter"',
          '<crm:approvers source="managerChain"/>',
        ),
        SYSTEM_ACTOR,
      );
      const instance = await workspace.workflows.start('auto_top', {}, org.as('carol'));
      const detail = await workspace.workflows.queries.instance(instance.id);
      expect(detail).toMatchObject({ state: 'completed', incidents: [] });
      expect(detail.variables.approval).toMatchObject({ outcome: 'approved', decidedBy: [org.ids.carol] });
    });

    it('a timeout reminds the approver once, on the engine clock', async () => {
      const { workspace } = handle();
      const org = await approvalOrg(handle());
      await workspace.workflows.deploy(
        oneStep(
          'to_remind',
          'mode="single"',
          `${approvers('bob')}<crm:timeout duration="PT2H" action="remind"/>`,
        ),
        SYSTEM_ACTOR,
      );
      const instance = await workspace.workflows.start('to_remind', {}, org.as('alice'));
      const reminders = async () =>
        (await workspace.notifications.list(org.ids.bob, {})).data.filter(
          (note) => note.kind === 'approval-remind' && note.link?.instanceId === instance.id,
        );
      await workspace.workflows.runDueWork();
      expect(await reminders()).toHaveLength(0);
      clock.advance(2 * HOUR);
      await workspace.workflows.runDueWork();
      clock.advance(2 * HOUR);
      await workspace.workflows.runDueWork();
      expect(await reminders()).toHaveLength(1);
      expect(await openTasks(workspace, instance.id)).toHaveLength(1);
      const history = await workspace.workflows.queries.history(instance.id);
      expect(history.filter((event) => event.event === 'approval-timeout')).toHaveLength(1);
    });

    it('a timeout approves or rejects automatically', async () => {
      const { workspace } = handle();
      const org = await approvalOrg(handle());
      for (const action of ['approve', 'reject']) {
        await workspace.workflows.deploy(
          oneStep(
            `to_${action}`,
            'mode="single"',
            `${approvers('bob')}<crm:timeout duration="PT48H" action="${action}"/>`,
          ),
          SYSTEM_ACTOR,
        );
      }
      const approved = await workspace.workflows.start('to_approve', {}, org.as('alice'));
      const rejected = await workspace.workflows.start('to_reject', {}, org.as('alice'));
      clock.advance(47 * HOUR);
      await workspace.workflows.runDueWork();
      expect((await workspace.workflows.queries.instance(approved.id)).state).toBe('active');
      clock.advance(HOUR);
      await workspace.workflows.runDueWork();
      expect((await workspace.workflows.queries.instance(approved.id)).variables.approval).toMatchObject({
        outcome: 'approved',
      });
      expect((await workspace.workflows.queries.instance(rejected.id)).variables.approval).toMatchObject({
        outcome: 'rejected',
      });
    });

    it('a timeout escalates to the approver’s manager; a decision before it cancels the timeout', async () => {
      const { workspace } = handle();
      const org = await approvalOrg(handle());
      await workspace.workflows.deploy(
        oneStep(
          'to_escalate',
          'mode="single"',
          `${approvers('bob')}<crm:timeout duration="PT24H" action="escalate"/><crm:escalateTo source="managerChain" of="approver"/>`,
        ),
        SYSTEM_ACTOR,
      );
      const escalated = await workspace.workflows.start('to_escalate', {}, org.as('alice'));
      const decided = await workspace.workflows.start('to_escalate', {}, org.as('alice'));
      const [early] = await openTasks(workspace, decided.id);
      await workspace.approvals.act(early?.id as string, 'approve', {}, org.as('bob'));
      clock.advance(24 * HOUR);
      await workspace.workflows.runDueWork();
      const [carols] = await openTasks(workspace, escalated.id);
      expect(carols?.assignee).toBe(org.ids.carol);
      await workspace.approvals.act(carols?.id as string, 'approve', {}, org.as('carol'));
      expect((await workspace.workflows.queries.instance(escalated.id)).variables.approval).toMatchObject({
        outcome: 'approved',
        decidedBy: [org.ids.carol],
      });
      const history = await workspace.workflows.queries.history(decided.id);
      expect(history.filter((event) => event.event === 'approval-timeout')).toEqual([]);
    });

    it('a timeout escalates to every crm:escalateTo user: the first of them to decide gives the vote', async () => {
      const { workspace } = handle();
      const org = await approvalOrg(handle());
      await workspace.workflows.deploy(
        oneStep(
          'to_escalate_all',
          'mode="all"',
          `${approvers('bob', 'dave')}<crm:timeout duration="PT24H" action="escalate"/><crm:escalateTo source="users" value="=[&quot;erin&quot;, &quot;frank&quot;]"/>`,
        ),
        SYSTEM_ACTOR,
      );
      const instance = await workspace.workflows.start('to_escalate_all', {}, org.as('alice'));
      const daves = (await openTasks(workspace, instance.id)).find((task) => task.assignee === org.ids.dave);
      await workspace.approvals.act(daves?.id as string, 'approve', {}, org.as('dave'));
      clock.advance(24 * HOUR);
      await workspace.workflows.runDueWork();
      // bob's task went to both; the countersign still waits for his vote
      const escalated = await openTasks(workspace, instance.id);
      expect(escalated.map((task) => task.assignee).sort()).toEqual([org.ids.erin, org.ids.frank].sort());
      const erins = escalated.find((task) => task.assignee === org.ids.erin);
      const detail = await workspace.approvals.taskDetail(erins?.id as string, org.as('erin'));
      expect(detail.step?.approvers.map((m) => [m.name, m.state, m.via])).toEqual([
        ['bob', 'transferred', 'rule'],
        ['erin', 'active', 'escalate'],
        ['frank', 'active', 'escalate'],
        ['dave', 'approved', 'rule'],
      ]);
      await workspace.approvals.act(erins?.id as string, 'approve', { comment: 'for bob' }, org.as('erin'));
      const done = await workspace.workflows.queries.instance(instance.id);
      expect(done.variables.approval).toMatchObject({
        outcome: 'approved',
        decidedBy: [org.ids.erin, org.ids.dave],
      });
      // frank's task is cancelled, not completed by him
      const franks = done.tasks.find((task) => task.assignee === org.ids.frank);
      expect(franks).toMatchObject({ state: 'cancelled', completed_by: null });
      const [step] = (await workspace.approvals.inbox.submitted(org.ids.alice)).data;
      expect(step?.status).toBe('approved');
      const history = await workspace.workflows.queries.history(instance.id);
      expect(history.filter((event) => event.event === 'approval-timeout')).toHaveLength(1);
    });
  },
  { workflow: { clock: clock.now } },
);
