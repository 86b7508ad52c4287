// Timers (intermediate, boundary interrupting and not, start cycles) on a clock the test moves, messages,
// the event-based gateway, and a timer fired exactly once with two runners.
import { type Actor, SYSTEM_ACTOR, WorkflowService } from '@crm/engine';
import { expect, it } from 'vitest';
import { bpmn, flows, userTask } from '../../support/bpmn.ts';
import { testClock } from '../../support/clock.ts';
import { forEachDatabase } from '../../support/engines.ts';

const ALICE = '00000000-0000-7000-8000-00000000a11c';
const alice: Actor = { userId: ALICE, via: 'session' };
const HOUR = 3_600_000;
const clock = testClock(Date.parse('2026-03-02T09:00:00Z'));

const timer = (id: string, kind: string, value: string, attrs = '') =>
  `<bpmn:timerEventDefinition id="${id}_def"${attrs}><bpmn:${kind}>${value}</bpmn:${kind}></bpmn:timerEventDefinition>`;

const message = (id: string, name: string, key: string) =>
  `<bpmn:message id="${id}" name="${name}"><bpmn:extensionElements><zeebe:subscription correlationKey="${key}"/></bpmn:extensionElements></bpmn:message>`;

forEachDatabase(
  'workflow timers and messages',
  (handle) => {
    it('waits on an intermediate timer until the clock passes it, then fires it once', async () => {
      const wf = handle().workspace.workflows;
      await wf.deploy(
        bpmn(
          'wait_two_hours',
          `<bpmn:startEvent id="s"/>
           <bpmn:intermediateCatchEvent id="wait">${timer('wait', 'timeDuration', '=delay')}</bpmn:intermediateCatchEvent>
           ${userTask('after', ALICE)}
           ${flows(['a', 's', 'wait'], ['b', 'wait', 'after'])}`,
        ),
        SYSTEM_ACTOR,
      );
      const instance = await wf.start('wait_two_hours', { variables: { delay: 'PT2H' } }, alice);
      expect((await wf.queries.instance(instance.id)).currentElements).toEqual(['wait']);
      await wf.runDueWork();
      expect((await wf.queries.instance(instance.id)).currentElements).toEqual(['wait']);
      clock.advance(2 * HOUR);
      // a second server's runner on the same database
      const other = new WorkflowService(handle().engine.db, handle().workspace.schema, {
        clock: clock.now,
        workerId: 'other-server',
      });
      const [first, second] = await Promise.all([wf.runDueWork(), other.runDueWork()]);
      expect((first?.handled ?? 0) + (second?.handled ?? 0)).toBe(1);
      const detail = await wf.queries.instance(instance.id);
      expect(detail.currentElements).toEqual(['after']);
      const history = await wf.queries.history(instance.id);
      expect(history.filter((e) => e.event === 'timer-fired')).toHaveLength(1);
      expect(detail.tasks).toHaveLength(1);
    });

    it('an interrupting boundary timer cancels the task; a non-interrupting one adds a path', async () => {
      const wf = handle().workspace.workflows;
      await wf.deploy(
        bpmn(
          'escalate',
          `<bpmn:startEvent id="s"/>
           ${userTask('approve', ALICE)}
           <bpmn:boundaryEvent id="remind" attachedToRef="approve" cancelActivity="false">${timer('remind', 'timeCycle', 'R2/PT1H')}</bpmn:boundaryEvent>
           <bpmn:boundaryEvent id="timeout" attachedToRef="approve">${timer('timeout', 'timeDuration', 'PT24H')}</bpmn:boundaryEvent>
           ${userTask('reminder', ALICE)}
           ${userTask('escalated', ALICE)}
           <bpmn:endEvent id="e"/>
           ${flows(['a', 's', 'approve'], ['b', 'approve', 'e'], ['c', 'remind', 'reminder'], ['d', 'timeout', 'escalated'])}`,
        ),
        SYSTEM_ACTOR,
      );
      const instance = await wf.start('escalate', {}, alice);
      clock.advance(HOUR);
      await wf.runDueWork();
      clock.advance(HOUR);
      await wf.runDueWork();
      clock.advance(HOUR);
      await wf.runDueWork(); // the cycle repeats twice only
      let detail = await wf.queries.instance(instance.id);
      expect(detail.tasks.filter((t) => t.element_id === 'reminder')).toHaveLength(2);
      expect(detail.tasks.find((t) => t.element_id === 'approve')?.state).toBe('open');
      clock.advance(24 * HOUR);
      await wf.runDueWork();
      detail = await wf.queries.instance(instance.id);
      expect(detail.tasks.find((t) => t.element_id === 'approve')?.state).toBe('cancelled');
      expect(detail.tasks.find((t) => t.element_id === 'escalated')?.state).toBe('open');
      expect(detail.currentElements).toEqual(['escalated', 'reminder']);
      // the activity is gone, so are its timers
      const jobs = await handle().workspace.workflows.sweep();
      expect(jobs.orphanTokens).toEqual([]);
    });

    it('completing the task drops its boundary timers', async () => {
      const wf = handle().workspace.workflows;
      const instance = await wf.start('escalate', {}, alice);
      const [task] = (await wf.queries.tasksFor(ALICE)).filter((t) => t.instance_id === instance.id);
      await wf.completeTask(task?.id as string, {}, alice);
      clock.advance(48 * HOUR);
      await wf.runDueWork();
      const detail = await wf.queries.instance(instance.id);
      expect(detail.state).toBe('completed');
      expect(detail.tasks).toHaveLength(1);
    });

    it('correlates a message by name and key; a receive task and an event-based gateway wait for it', async () => {
      const wf = handle().workspace.workflows;
      await wf.deploy(
        bpmn(
          'payment',
          `<bpmn:startEvent id="s"/>
           <bpmn:eventBasedGateway id="race"/>
           <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="m_paid"/></bpmn:intermediateCatchEvent>
           <bpmn:intermediateCatchEvent id="late">${timer('late', 'timeDuration', 'P3D')}</bpmn:intermediateCatchEvent>
           <bpmn:receiveTask id="shipped" messageRef="m_shipped"/>
           ${userTask('chase', ALICE)}
           <bpmn:endEvent id="e"/>
           ${flows(['a', 's', 'race'], ['b', 'race', 'paid'], ['c', 'race', 'late'], ['d', 'paid', 'shipped'], ['f', 'shipped', 'e'], ['g', 'late', 'chase'])}`,
          `${message('m_paid', 'order-paid', '=orderId')}${message('m_shipped', 'order-shipped', '=orderId')}`,
        ),
        SYSTEM_ACTOR,
      );
      const one = await wf.start('payment', { variables: { orderId: 'A-1' } }, alice);
      const two = await wf.start('payment', { variables: { orderId: 'A-2' } }, alice);
      expect(await wf.correlateMessage('order-paid', 'A-9', {}, alice)).toEqual({
        correlated: [],
        started: [],
      });
      expect(await wf.correlateMessage('order-paid', 'A-1', { amount: 10 }, alice)).toEqual({
        correlated: [one.id],
        started: [],
      });
      let detail = await wf.queries.instance(one.id);
      expect(detail.currentElements).toEqual(['shipped']);
      expect(detail.variables).toMatchObject({ amount: 10 });
      clock.advance(4 * 24 * HOUR);
      await wf.runDueWork();
      // the message won the race in instance one: its timer is gone
      expect((await wf.queries.instance(one.id)).currentElements).toEqual(['shipped']);
      expect((await wf.queries.instance(two.id)).currentElements).toEqual(['chase']);
      await wf.correlateMessage('order-shipped', 'A-1', {}, alice);
      detail = await wf.queries.instance(one.id);
      expect(detail.state).toBe('completed');
      // delivered once: a second message finds nobody waiting
      expect(await wf.correlateMessage('order-shipped', 'A-1', {}, alice)).toEqual({
        correlated: [],
        started: [],
      });
    });

    it('starts instances from a message start event and a timer start cycle', async () => {
      const wf = handle().workspace.workflows;
      await wf.deploy(
        bpmn(
          'lead_in',
          `<bpmn:startEvent id="s"><bpmn:messageEventDefinition messageRef="m_lead"/></bpmn:startEvent>
           ${userTask('call_back', ALICE)}
           ${flows(['a', 's', 'call_back'])}`,
          `<bpmn:message id="m_lead" name="lead-arrived"/>`,
        ),
        SYSTEM_ACTOR,
      );
      const { started } = await wf.correlateMessage('lead-arrived', null, { company: 'ACME' }, alice);
      expect(started).toHaveLength(1);
      expect((await wf.queries.instance(started[0] as string)).variables).toEqual({ company: 'ACME' });

      await wf.deploy(
        bpmn(
          'daily',
          `<bpmn:startEvent id="s">${timer('s', 'timeCycle', 'R2/PT24H')}</bpmn:startEvent>
           <bpmn:endEvent id="e"/>${flows(['a', 's', 'e'])}`,
        ),
        SYSTEM_ACTOR,
      );
      for (let day = 0; day < 4; day++) {
        clock.advance(24 * HOUR);
        await wf.runDueWork();
      }
      const daily = await wf.queries.instances({ processId: 'daily' });
      expect(daily).toHaveLength(2);
      expect(daily.every((instance) => instance.state === 'completed')).toBe(true);
    });
  },
  { workflow: { clock: clock.now } },
);
