// Service tasks as jobs (retries with backoff, incidents and their retry, BPMN errors), embedded
// subprocesses, multi-instance, inclusive gateways, call activities and terminate end events.
import { type Actor, BpmnError, SYSTEM_ACTOR } from '@crm/engine';
import { expect, it } from 'vitest';
import { bpmn, flows, userTask, xmlEscape } from '../../support/bpmn.ts';
import { testClock } from '../../support/clock.ts';
import { forEachDatabase } from '../../support/engines.ts';

const ALICE = '00000000-0000-7000-8000-00000000a11c';
const alice: Actor = { userId: ALICE, via: 'session' };
const clock = testClock(Date.parse('2026-03-02T09:00:00Z'));

const service = (id: string, type: string, extension = '', retries = '') =>
  `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}"${retries ? ` retries="${retries}"` : ''}/>${extension}</bpmn:extensionElements></bpmn:serviceTask>`;

const inputs = (...pairs: [string, string][]) =>
  `<zeebe:ioMapping>${pairs.map(([target, source]) => `<zeebe:input source="${xmlEscape(source)}" target="${target}"/>`).join('')}</zeebe:ioMapping>`;

/** Calls of the test action, by idempotency key. */
const calls: { key: string; attempt: number; input: Record<string, unknown> }[] = [];
let failuresLeft = 0;

forEachDatabase(
  'workflow activities',
  (handle) => {
    it('sets variables inline and runs a job action with its input, at least once per idempotency key', async () => {
      const wf = handle().workspace.workflows;
      calls.length = 0;
      wf.registerAction({
        type: 'charge',
        async run({ idempotencyKey, attempt, input }) {
          calls.push({ key: idempotencyKey, attempt, input });
          if (failuresLeft > 0) {
            failuresLeft--;
            throw new Error('the gateway timed out');
          }
          if (input.amount === 13) throw new BpmnError('declined', 'card declined');
          return { receipt: `R-${input.amount}` };
        },
      });
      await wf.deploy(
        bpmn(
          'charge',
          `<bpmn:startEvent id="s"/>
           ${service('prepare', 'set-variables', inputs(['amount', '=price * qty']))}
           ${service('pay', 'charge', inputs(['amount', '=amount']), '2')}
           <bpmn:boundaryEvent id="declined" attachedToRef="pay"><bpmn:errorEventDefinition errorRef="err_declined"/></bpmn:boundaryEvent>
           ${userTask('ship', ALICE)}
           ${userTask('call_customer', ALICE)}
           ${flows(['a', 's', 'prepare'], ['b', 'prepare', 'pay'], ['c', 'pay', 'ship'], ['d', 'declined', 'call_customer'])}`,
          '<bpmn:error id="err_declined" errorCode="declined"/>',
        ),
        SYSTEM_ACTOR,
      );
      const ok = await wf.start('charge', { variables: { price: 5, qty: 3 } }, alice);
      expect((await wf.queries.instance(ok.id)).variables).toMatchObject({ amount: 15 });
      expect((await wf.queries.instance(ok.id)).currentElements).toEqual(['pay']);
      failuresLeft = 1;
      await wf.runDueWork();
      // failed once: retried after the backoff, not before
      await wf.runDueWork();
      expect(calls).toHaveLength(1);
      clock.advance(10_000);
      await wf.runDueWork();
      expect(calls.map((call) => [call.attempt, call.input.amount])).toEqual([
        [1, 15],
        [2, 15],
      ]);
      expect(new Set(calls.map((call) => call.key)).size).toBe(1);
      const done = await wf.queries.instance(ok.id);
      expect(done.currentElements).toEqual(['ship']);
      expect(done.variables).toMatchObject({ receipt: 'R-15' });

      const declined = await wf.start('charge', { variables: { price: 13, qty: 1 } }, alice);
      await wf.runDueWork();
      expect((await wf.queries.instance(declined.id)).currentElements).toEqual(['call_customer']);
      expect((await wf.queries.instance(declined.id)).variables).toMatchObject({ errorCode: 'declined' });
    });

    it('turns a job that keeps failing into an incident, and retries it on request', async () => {
      const wf = handle().workspace.workflows;
      const instance = await wf.start('charge', { variables: { price: 7, qty: 1 } }, alice);
      failuresLeft = 2;
      await wf.runDueWork();
      clock.advance(10_000);
      await wf.runDueWork();
      const [incident] = await wf.queries.incidents({ instanceId: instance.id });
      expect(incident).toMatchObject({ kind: 'job-failed', element_id: 'pay' });
      expect(incident?.message).toContain('the gateway timed out');
      clock.advance(3_600_000);
      await wf.runDueWork(); // parked: no more attempts
      expect((await wf.queries.instance(instance.id)).currentElements).toEqual(['pay']);
      await wf.retryIncident(incident?.id as string, alice);
      await wf.runDueWork();
      const detail = await wf.queries.instance(instance.id);
      expect(detail.currentElements).toEqual(['ship']);
      expect(detail.openIncidents).toBe(0);
      await expect(wf.retryIncident(incident?.id as string, alice)).rejects.toMatchObject({
        kind: 'conflict',
      });
    });

    it('runs an embedded subprocess; an error end inside it is caught by its boundary', async () => {
      const wf = handle().workspace.workflows;
      await wf.deploy(
        bpmn(
          'sub',
          `<bpmn:startEvent id="s"/>
           <bpmn:subProcess id="check">
             <bpmn:startEvent id="cs"/>
             <bpmn:exclusiveGateway id="ok" default="fine"/>
             <bpmn:endEvent id="bad"><bpmn:errorEventDefinition errorRef="e_bad"/></bpmn:endEvent>
             ${userTask('inner', ALICE)}
             <bpmn:endEvent id="ce"/>
             ${flows(['c1', 'cs', 'ok'], ['broken', 'ok', 'bad', '=risk > 5'], ['fine', 'ok', 'inner'], ['c2', 'inner', 'ce'])}
           </bpmn:subProcess>
           <bpmn:boundaryEvent id="caught" attachedToRef="check"><bpmn:errorEventDefinition errorRef="e_bad"/></bpmn:boundaryEvent>
           ${userTask('after', ALICE)}
           ${userTask('handle', ALICE)}
           ${flows(['a', 's', 'check'], ['b', 'check', 'after'], ['c', 'caught', 'handle'])}`,
          '<bpmn:error id="e_bad" errorCode="too-risky"/>',
        ),
        SYSTEM_ACTOR,
      );
      const fine = await wf.start('sub', { variables: { risk: 1 } }, alice);
      expect((await wf.queries.instance(fine.id)).currentElements).toEqual(['check', 'inner']);
      const [task] = (await wf.queries.tasksFor(ALICE)).filter((t) => t.instance_id === fine.id);
      await wf.completeTask(task?.id as string, {}, alice);
      expect((await wf.queries.instance(fine.id)).currentElements).toEqual(['after']);
      const risky = await wf.start('sub', { variables: { risk: 9 } }, alice);
      expect((await wf.queries.instance(risky.id)).currentElements).toEqual(['handle']);
    });

    it('runs multi-instance tasks in parallel and in sequence, with a completion condition', async () => {
      const wf = handle().workspace.workflows;
      const loop = (sequential: boolean, completion = '') =>
        `<bpmn:multiInstanceLoopCharacteristics isSequential="${sequential}"><bpmn:extensionElements>
          <zeebe:loopCharacteristics inputCollection="=signers" inputElement="signer" outputCollection="votes" outputElement="=vote"/>
         </bpmn:extensionElements>${completion ? `<bpmn:completionCondition>${xmlEscape(completion)}</bpmn:completionCondition>` : ''}</bpmn:multiInstanceLoopCharacteristics>`;
      const deployLoop = (id: string, sequential: boolean, completion = '') =>
        wf.deploy(
          bpmn(
            id,
            `<bpmn:startEvent id="s"/>
             <bpmn:userTask id="sign"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=signer"/></bpmn:extensionElements>${loop(sequential, completion)}</bpmn:userTask>
             ${userTask('after', ALICE)}
             ${flows(['a', 's', 'sign'], ['b', 'sign', 'after'])}`,
          ),
          SYSTEM_ACTOR,
        );
      const signers = [
        '00000000-0000-7000-8000-000000000001',
        '00000000-0000-7000-8000-000000000002',
        '00000000-0000-7000-8000-000000000003',
      ];
      const actor = (userId: string): Actor => ({ userId, via: 'session' });
      const openSigns = async (instanceId: string) =>
        (await wf.queries.instance(instanceId)).tasks.filter(
          (t) => t.element_id === 'sign' && t.state === 'open',
        );

      await deployLoop('all_sign', false);
      const all = await wf.start('all_sign', { variables: { signers } }, alice);
      const parallel = await openSigns(all.id);
      expect(parallel.map((t) => t.assignee).sort()).toEqual(signers);
      for (const [index, task] of parallel.entries()) {
        await wf.completeTask(task.id, { vote: index + 1 }, actor(task.assignee as string));
      }
      const allDone = await wf.queries.instance(all.id);
      expect(allDone.currentElements).toEqual(['after']);
      expect(allDone.variables.votes).toEqual(
        signers.map((signer) => parallel.findIndex((t) => t.assignee === signer) + 1),
      );

      await deployLoop('in_turn', true, '=numberOfCompletedInstances >= 2');
      const turn = await wf.start('in_turn', { variables: { signers } }, alice);
      for (const expected of signers.slice(0, 2)) {
        const open = await openSigns(turn.id);
        expect(open.map((t) => t.assignee)).toEqual([expected]);
        await wf.completeTask(open[0]?.id as string, { vote: expected }, actor(expected));
      }
      const turnDone = await wf.queries.instance(turn.id);
      expect(turnDone.currentElements).toEqual(['after']);
      expect(turnDone.variables.votes).toEqual([signers[0], signers[1], null]);
    });

    it('joins an inclusive gateway once the taken branches arrive', async () => {
      const wf = handle().workspace.workflows;
      await wf.deploy(
        bpmn(
          'inclusive',
          `<bpmn:startEvent id="s"/>
           <bpmn:inclusiveGateway id="split" default="none"/>
           ${userTask('a_task', ALICE)}${userTask('b_task', ALICE)}
           <bpmn:inclusiveGateway id="merge"/>
           ${userTask('after', ALICE)}
           ${flows(['f0', 's', 'split'], ['fa', 'split', 'a_task', '=a'], ['fb', 'split', 'b_task', '=b'], ['none', 'split', 'merge'], ['ma', 'a_task', 'merge'], ['mb', 'b_task', 'merge'], ['fz', 'merge', 'after'])}`,
        ),
        SYSTEM_ACTOR,
      );
      const both = await wf.start('inclusive', { variables: { a: true, b: true } }, alice);
      const one = await wf.start('inclusive', { variables: { a: false, b: true } }, alice);
      const neither = await wf.start('inclusive', { variables: { a: false, b: false } }, alice);
      expect((await wf.queries.instance(neither.id)).currentElements).toEqual(['after']);
      const oneTasks = (await wf.queries.instance(one.id)).tasks;
      await wf.completeTask(oneTasks[0]?.id as string, {}, alice);
      expect((await wf.queries.instance(one.id)).currentElements).toEqual(['after']);
      const bothTasks = (await wf.queries.instance(both.id)).tasks;
      await wf.completeTask(bothTasks[0]?.id as string, {}, alice);
      expect((await wf.queries.instance(both.id)).currentElements).toEqual(
        [bothTasks[1]?.element_id, 'merge'].sort(),
      );
      await wf.completeTask(bothTasks[1]?.id as string, {}, alice);
      const history = await wf.queries.history(both.id);
      expect(history.filter((e) => e.event === 'element-completed' && e.elementId === 'merge')).toHaveLength(
        1,
      );
      expect((await wf.queries.instance(both.id)).currentElements).toEqual(['after']);
    });

    it('calls another process and continues with its variables; cancelling cancels the child', async () => {
      const wf = handle().workspace.workflows;
      await wf.deploy(
        bpmn(
          'child',
          `<bpmn:startEvent id="s"/>${userTask('child_task', ALICE)}<bpmn:endEvent id="e"/>${flows(['a', 's', 'child_task'], ['b', 'child_task', 'e'])}`,
        ),
        SYSTEM_ACTOR,
      );
      await wf.deploy(
        bpmn(
          'parent',
          `<bpmn:startEvent id="s"/>
           <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="child"/></bpmn:extensionElements></bpmn:callActivity>
           ${userTask('after', ALICE)}
           ${flows(['a', 's', 'call'], ['b', 'call', 'after'])}`,
        ),
        SYSTEM_ACTOR,
      );
      const parent = await wf.start('parent', { variables: { x: 1 } }, alice);
      const [child] = (await wf.queries.instances({ processId: 'child' })).filter(
        (i) => i.parent_instance_id === parent.id,
      );
      expect(child).toMatchObject({ state: 'active', variables: { x: 1 }, currentElements: ['child_task'] });
      const [task] = (await wf.queries.instance(child?.id as string)).tasks;
      await wf.completeTask(task?.id as string, { fromChild: 'yes' }, alice);
      await wf.runDueWork();
      const detail = await wf.queries.instance(parent.id);
      expect(detail.currentElements).toEqual(['after']);
      expect(detail.variables).toEqual({ x: 1, fromChild: 'yes' });

      const second = await wf.start('parent', {}, alice);
      await wf.cancel(second.id, alice);
      const [secondChild] = (await wf.queries.instances({ processId: 'child' })).filter(
        (i) => i.parent_instance_id === second.id,
      );
      expect(secondChild?.state).toBe('cancelled');
    });

    it('a terminate end event ends the whole instance', async () => {
      const wf = handle().workspace.workflows;
      await wf.deploy(
        bpmn(
          'terminate',
          `<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>
           ${userTask('slow', ALICE)}
           <bpmn:endEvent id="stop"><bpmn:terminateEventDefinition/></bpmn:endEvent>
           ${flows(['a', 's', 'fork'], ['b', 'fork', 'slow'], ['c', 'fork', 'stop'])}`,
        ),
        SYSTEM_ACTOR,
      );
      const instance = await wf.start('terminate', {}, alice);
      const detail = await wf.queries.instance(instance.id);
      expect(detail).toMatchObject({ state: 'terminated', currentElements: [] });
      expect(detail.tasks).toEqual([]);
    });
  },
  { workflow: { clock: clock.now } },
);
