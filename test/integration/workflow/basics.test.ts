// The workflow core: deploy, start, user tasks, gateways, variables, versions and lint refusals.
import { type Actor, SYSTEM_ACTOR } from '@crm/engine';
import { describe, expect, it } from 'vitest';
import { bpmn, flows, userTask } from '../../support/bpmn.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';

const ALICE = '00000000-0000-7000-8000-00000000a11c';
const BOB = '00000000-0000-7000-8000-000000000b0b';
const alice: Actor = { userId: ALICE, via: 'session' };
const bob: Actor = { userId: BOB, via: 'session' };

const discount = bpmn(
  'discount',
  `<bpmn:startEvent id="start"/>
   ${userTask('review', `=[reviewer]`)}
   <bpmn:exclusiveGateway id="big" default="small"/>
   <bpmn:parallelGateway id="fork"/>
   ${userTask('finance', ALICE)}
   ${userTask('legal', ALICE)}
   <bpmn:parallelGateway id="join"/>
   <bpmn:endEvent id="done"/>
   ${flows(
     ['f1', 'start', 'review'],
     ['f2', 'review', 'big'],
     ['large', 'big', 'fork', '=amount > 1000'],
     ['small', 'big', 'done'],
     ['f3', 'fork', 'finance'],
     ['f4', 'fork', 'legal'],
     ['f5', 'finance', 'join'],
     ['f6', 'legal', 'join'],
     ['f7', 'join', 'done'],
   )}`,
);

forEachDatabase('workflow basics', (handle) => {
  it('runs a process through a user task, an exclusive gateway and a parallel fork and join', async () => {
    const { workspace } = handle();
    const wf = workspace.workflows;
    const [deployed] = await wf.deploy(discount, SYSTEM_ACTOR);
    expect(deployed).toMatchObject({ processId: 'discount', version: 1, duplicate: false });

    const instance = await wf.start('discount', { variables: { amount: 5000, reviewer: BOB } }, alice);
    expect(instance.state).toBe('active');
    const [review] = await wf.queries.tasksFor(BOB);
    expect(review).toMatchObject({ element_id: 'review', instance_id: instance.id, candidate_users: [BOB] });
    expect(await wf.queries.tasksFor(ALICE)).toEqual([]);

    await expect(wf.completeTask(review?.id as string, {}, alice)).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await wf.completeTask(review?.id as string, { approved: true }, bob);
    const parallel = await wf.queries.tasksFor(ALICE);
    expect(parallel.map((task) => task.element_id).sort()).toEqual(['finance', 'legal']);
    expect((await wf.queries.instance(instance.id)).currentElements).toEqual(['finance', 'legal']);

    await wf.completeTask(parallel[0]?.id as string, {}, alice);
    expect((await wf.queries.instance(instance.id)).state).toBe('active');
    await wf.completeTask(parallel[1]?.id as string, { note: 'ok' }, alice);
    const done = await wf.queries.instance(instance.id);
    expect(done).toMatchObject({ state: 'completed', currentElements: [] });
    expect(done.variables).toEqual({ amount: 5000, reviewer: BOB, approved: true, note: 'ok' });

    const history = await wf.queries.history(instance.id);
    expect(history[0]).toMatchObject({ event: 'instance-started' });
    expect(history.at(-1)).toMatchObject({ event: 'instance-completed' });
    expect(history.filter((event) => event.event === 'task-completed').map((event) => event.actor)).toEqual([
      BOB,
      ALICE,
      ALICE,
    ]);
    expect(history.some((event) => event.event === 'flow-taken' && event.elementId === 'large')).toBe(true);
  });

  it('takes the default flow when no condition holds', async () => {
    const { workspace } = handle();
    const wf = workspace.workflows;
    const instance = await wf.start('discount', { variables: { amount: 10, reviewer: BOB } }, alice);
    const [review] = (await wf.queries.tasksFor(BOB)).filter((task) => task.instance_id === instance.id);
    await wf.completeTask(review?.id as string, {}, bob);
    expect((await wf.queries.instance(instance.id)).state).toBe('completed');
  });

  it('pins an instance to the version it started on', async () => {
    const { workspace } = handle();
    const wf = workspace.workflows;
    const v1 = bpmn(
      'pinned',
      `<bpmn:startEvent id="s"/>${userTask('first', ALICE)}<bpmn:endEvent id="e"/>${flows(['a', 's', 'first'], ['b', 'first', 'e'])}`,
    );
    const v2 = bpmn(
      'pinned',
      `<bpmn:startEvent id="s"/>${userTask('first', ALICE)}${userTask('second', ALICE)}<bpmn:endEvent id="e"/>${flows(['a', 's', 'first'], ['b', 'first', 'second'], ['c', 'second', 'e'])}`,
    );
    await wf.deploy(v1, SYSTEM_ACTOR);
    const old = await wf.start('pinned', {}, alice);
    expect(await wf.deploy(v1, SYSTEM_ACTOR)).toMatchObject([{ version: 1, duplicate: true }]);
    expect(await wf.deploy(v2, SYSTEM_ACTOR)).toMatchObject([{ version: 2, duplicate: false }]);
    const fresh = await wf.start('pinned', {}, alice);
    expect(fresh.version).toBe(2);

    const tasks = await wf.queries.tasksFor(ALICE);
    const oldTask = tasks.find((task) => task.instance_id === old.id);
    const freshTask = tasks.find((task) => task.instance_id === fresh.id);
    await wf.completeTask(oldTask?.id as string, {}, alice);
    await wf.completeTask(freshTask?.id as string, {}, alice);
    expect(await wf.queries.instance(old.id)).toMatchObject({ version: 1, state: 'completed' });
    expect(await wf.queries.instance(fresh.id)).toMatchObject({
      version: 2,
      state: 'active',
      currentElements: ['second'],
    });
    expect((await wf.versions('pinned')).map((v) => v.version)).toEqual([1, 2]);
  });

  it('lets exactly one of two simultaneous completions of a task win', async () => {
    const { workspace } = handle();
    const wf = workspace.workflows;
    const instance = await wf.start('pinned', {}, alice);
    const [task] = (await wf.queries.tasksFor(ALICE)).filter((t) => t.instance_id === instance.id);
    const outcomes = await Promise.allSettled([
      wf.completeTask(task?.id as string, { by: 1 }, alice),
      wf.completeTask(task?.id as string, { by: 2 }, alice),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ kind: 'conflict' });
    const detail = await wf.queries.instance(instance.id);
    expect(detail.tasks.filter((t) => t.element_id === 'second')).toHaveLength(1);
    expect(detail.tasks.filter((t) => t.state === 'completed')).toHaveLength(1);
  });

  it('fires a parallel join once when both branches arrive at the same moment', async () => {
    const { workspace } = handle();
    const wf = workspace.workflows;
    const instance = await wf.start('discount', { variables: { amount: 5000, reviewer: BOB } }, alice);
    const [review] = (await wf.queries.tasksFor(BOB)).filter((t) => t.instance_id === instance.id);
    await wf.completeTask(review?.id as string, {}, bob);
    const branches = (await wf.queries.tasksFor(ALICE)).filter((t) => t.instance_id === instance.id);
    await Promise.all(branches.map((task) => wf.completeTask(task.id, {}, alice)));
    const history = await wf.queries.history(instance.id);
    expect(history.filter((e) => e.event === 'element-completed' && e.elementId === 'join')).toHaveLength(1);
    expect(history.filter((e) => e.event === 'instance-completed')).toHaveLength(1);
    expect((await wf.queries.instance(instance.id)).state).toBe('completed');
  });

  it('cancels an instance: its open tasks are cancelled', async () => {
    const { workspace } = handle();
    const wf = workspace.workflows;
    const instance = await wf.start('pinned', {}, alice);
    await wf.cancel(instance.id, alice);
    const detail = await wf.queries.instance(instance.id);
    expect(detail).toMatchObject({ state: 'cancelled', currentElements: [] });
    expect(detail.tasks.map((t) => t.state)).toEqual(['cancelled']);
    await expect(wf.cancel(instance.id, alice)).rejects.toMatchObject({ kind: 'conflict' });
  });
});

describe('lint', () => {
  forEachDatabase('workflow lint', (handle) => {
    it('refuses unsupported elements naming the element, in English and Chinese', async () => {
      const { workspace } = handle();
      const xml = bpmn(
        'bad',
        `<bpmn:startEvent id="s"/><bpmn:scriptTask id="script"/><bpmn:endEvent id="e"/>${flows(['a', 's', 'script'], ['b', 'script', 'e'])}`,
      );
      const error = await engineError(workspace.workflows.deploy(xml, SYSTEM_ACTOR));
      expect(error.kind).toBe('invalid-definition');
      expect(error.problems).toEqual([
        expect.objectContaining({
          pointer: '/elements/script',
          code: 'unsupported-element',
          messages: { en: 'script: ScriptTask is not supported', 'zh-CN': 'script：不支持 ScriptTask 元素' },
        }),
      ]);
      expect(await workspace.workflows.definitions()).not.toContainEqual(
        expect.objectContaining({ processId: 'bad' }),
      );
    });

    it('refuses a missing condition, a bad FEEL condition, an unknown task type and a bad timer', async () => {
      const { workspace } = handle();
      const xml = bpmn(
        'bad2',
        `<bpmn:startEvent id="s"/><bpmn:exclusiveGateway id="g"/>
         <bpmn:serviceTask id="svc"><bpmn:extensionElements><zeebe:taskDefinition type="no-such"/></bpmn:extensionElements></bpmn:serviceTask>
         <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>soon</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
         <bpmn:endEvent id="e"/>
         ${flows(['a', 's', 'g'], ['b', 'g', 'svc'], ['c', 'g', 'wait', '=amount >'], ['d', 'svc', 'e'], ['x', 'wait', 'e'])}`,
      );
      const error = await engineError(workspace.workflows.deploy(xml, SYSTEM_ACTOR));
      expect(error.problems.map((p) => [p.pointer, p.code])).toEqual(
        expect.arrayContaining([
          ['/elements/b', 'missing-condition'],
          ['/elements/c', 'invalid-expression'],
          ['/elements/svc', 'unknown-task-type'],
          ['/elements/wait', 'invalid-timer'],
        ]),
      );
    });

    it('refuses what is not BPMN', async () => {
      const { workspace } = handle();
      expect((await engineError(workspace.workflows.deploy('<nope', SYSTEM_ACTOR))).problems[0]?.code).toBe(
        'not-xml',
      );
      expect((await engineError(workspace.workflows.deploy('', SYSTEM_ACTOR))).kind).toBe('invalid-input');
    });
  });
});
