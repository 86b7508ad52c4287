// Countersigning under real concurrency: many approvers vote on one step at the same moment; every
// vote is kept and the step completes exactly once. On PostgreSQL the votes run on parallel connections.
import { SYSTEM_ACTOR } from '@crm/engine';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { approvalTask, approvers, bpmn, flows } from '../../support/bpmn.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { type FixtureUser, organisation } from '../../support/org.ts';

const VOTERS = 16;

forEachDatabase('approval races', (handle) => {
  let voters: FixtureUser[] = [];

  async function deploy(processId: string, mode: string) {
    const { workspace } = handle();
    if (voters.length === 0) {
      const org = organisation(handle());
      voters = [];
      for (let i = 0; i < VOTERS; i++) voters.push(await org.user(`race_${i}`));
    }
    await workspace.workflows.deploy(
      bpmn(
        processId,
        `<bpmn:startEvent id="s"/>${approvalTask('sign', `mode="${mode}"`, approvers(...voters.map((v) => v.username)))}
         ${approvalTask('after', 'mode="single"', approvers(voters[0]?.username as string))}<bpmn:endEvent id="e"/>
         ${flows(['a', 's', 'sign'], ['b', 'sign', 'after'], ['c', 'after', 'e'])}`,
      ),
      SYSTEM_ACTOR,
    );
  }

  async function votes(instanceId: string) {
    const { engine, workspace } = handle();
    return engine.db.query<{ action: string; actor: string }>(
      sql`SELECT action, actor FROM ${sql.raw(`"${workspace.schema}"._wf_approval_actions`)}
        WHERE instance_id = ${instanceId} ORDER BY id`,
    );
  }

  it('all (会签): every parallel vote counts and the step completes once', async () => {
    const { workspace } = handle();
    await deploy('race_all', 'all');
    const instance = await workspace.workflows.start('race_all', {}, { userId: null, via: 'system' });
    const tasks = (await workspace.workflows.queries.instance(instance.id)).tasks;
    expect(tasks).toHaveLength(VOTERS);
    const outcomes = await Promise.allSettled(
      tasks.map((task) =>
        workspace.approvals.act(
          task.id,
          'approve',
          { comment: task.assignee },
          { userId: task.assignee, via: 'session' },
        ),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    const recorded = await votes(instance.id);
    expect(
      recorded
        .filter((vote) => vote.action === 'approve')
        .map((vote) => vote.actor)
        .sort(),
    ).toEqual(voters.map((voter) => voter.id).sort());
    const detail = await workspace.workflows.queries.instance(instance.id);
    expect(detail.currentElements).toEqual(['after']);
    expect(detail.tasks.filter((task) => task.element_id === 'after')).toHaveLength(1);
    const history = await workspace.workflows.queries.history(instance.id);
    expect(history.filter((event) => event.event === 'approval-decided')).toHaveLength(1);
    expect((detail.variables.approval as { decidedBy: string[] }).decidedBy).toHaveLength(VOTERS);
  });

  it('any (或签): of simultaneous decisions exactly one wins, the rest are refused and not recorded', async () => {
    const { workspace } = handle();
    await deploy('race_any', 'any');
    const instance = await workspace.workflows.start('race_any', {}, { userId: null, via: 'system' });
    const tasks = (await workspace.workflows.queries.instance(instance.id)).tasks;
    const outcomes = await Promise.allSettled(
      tasks.map((task, index) =>
        workspace.approvals.act(
          task.id,
          index % 2 === 0 ? 'approve' : 'reject',
          {},
          {
            userId: task.assignee,
            via: 'session',
          },
        ),
      ),
    );
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const lost of outcomes.filter((outcome) => outcome.status === 'rejected')) {
      expect((lost as PromiseRejectedResult).reason).toMatchObject({ kind: 'conflict' });
    }
    expect(await votes(instance.id)).toHaveLength(1);
    const history = await workspace.workflows.queries.history(instance.id);
    expect(history.filter((event) => event.event === 'approval-decided')).toHaveLength(1);
  });

  it('the same task acted on twice at once: one action, one conflict', async () => {
    const { workspace } = handle();
    await deploy('race_twice', 'all');
    const instance = await workspace.workflows.start('race_twice', {}, { userId: null, via: 'system' });
    const [task] = (await workspace.workflows.queries.instance(instance.id)).tasks;
    const actor = { userId: task?.assignee ?? null, via: 'session' as const };
    const outcomes = await Promise.allSettled([
      workspace.approvals.act(task?.id as string, 'approve', {}, actor),
      workspace.approvals.act(task?.id as string, 'reject', {}, actor),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(await votes(instance.id)).toHaveLength(1);
  });
});
