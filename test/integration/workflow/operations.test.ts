// Operating instances: an error thrown in a called process reaches the call activity's error boundary
// (or becomes an incident up there), filters of the instance list, positions with element names,
// incidents with their error and attempts, retry, and the sweeper's report of stuck work.
import { type Actor, type StuckReport, SYSTEM_ACTOR, startWorkflowRunner } from '@crm/engine';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { bpmn, flows, userTask } from '../../support/bpmn.ts';
import { testClock } from '../../support/clock.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';

const ALICE = '00000000-0000-7000-8000-00000000a11c';
const alice: Actor = { userId: ALICE, via: 'session' };
const HOUR = 3_600_000;
const clock = testClock(Date.parse('2026-04-01T08:00:00Z'));

const callActivity = (id: string, processId: string) =>
  `<bpmn:callActivity id="${id}" name="Check credit"><bpmn:extensionElements><zeebe:calledElement processId="${processId}"/></bpmn:extensionElements></bpmn:callActivity>`;

const errorDefinitions = '<bpmn:error id="err_credit" name="Credit refused" errorCode="CREDIT_REFUSED"/>';

forEachDatabase(
  'workflow operations',
  (handle) => {
    it('an error ending a called process is caught by the error boundary of the call activity', async () => {
      const wf = handle().workspace.workflows;
      await wf.deploy(
        bpmn(
          'credit_check',
          `<bpmn:startEvent id="s"/><bpmn:exclusiveGateway id="ok" default="fine"/>
           <bpmn:endEvent id="refused"><bpmn:errorEventDefinition errorRef="err_credit"/></bpmn:endEvent>
           <bpmn:endEvent id="done"/>
           ${flows(['a', 's', 'ok'], ['bad', 'ok', 'refused', '=amount > 1000'], ['fine', 'ok', 'done'])}`,
          errorDefinitions,
        ),
        SYSTEM_ACTOR,
      );
      await wf.deploy(
        bpmn(
          'order',
          `<bpmn:startEvent id="s"/>${callActivity('call', 'credit_check')}
           <bpmn:boundaryEvent id="caught" attachedToRef="call"><bpmn:errorEventDefinition errorRef="err_credit"/></bpmn:boundaryEvent>
           ${userTask('ship', ALICE)}${userTask('ask_prepayment', ALICE)}
           ${flows(['a', 's', 'call'], ['b', 'call', 'ship'], ['c', 'caught', 'ask_prepayment'])}`,
          errorDefinitions,
        ),
        SYSTEM_ACTOR,
      );
      const small = await wf.start('order', { variables: { amount: 10 } }, alice);
      const large = await wf.start('order', { variables: { amount: 5000 } }, alice);
      await wf.runDueWork();
      expect((await wf.queries.instance(small.id)).currentElements).toEqual(['ship']);
      const detail = await wf.queries.instance(large.id);
      expect(detail.position).toEqual([{ elementId: 'ask_prepayment', name: 'ask_prepayment' }]);
      expect(detail.variables).toMatchObject({ errorCode: 'CREDIT_REFUSED' });
      const [child] = (await wf.queries.instances({ processId: 'credit_check' })).filter(
        (i) => i.parent_instance_id === large.id,
      );
      expect(child?.state).toBe('terminated');
      const childHistory = await wf.queries.history(child?.id as string);
      expect(childHistory.some((e) => e.event === 'error-propagated' && e.elementId === 'refused')).toBe(
        true,
      );
      const history = await wf.queries.history(large.id);
      expect(history.find((e) => e.event === 'call-failed')?.data).toMatchObject({
        errorCode: 'CREDIT_REFUSED',
      });
    });

    it('an error nobody catches becomes an incident at the call activity of the top instance', async () => {
      const wf = handle().workspace.workflows;
      await wf.deploy(
        bpmn(
          'order_unguarded',
          `<bpmn:startEvent id="s"/>${callActivity('call', 'credit_check')}${userTask('ship', ALICE)}
           ${flows(['a', 's', 'call'], ['b', 'call', 'ship'])}`,
        ),
        SYSTEM_ACTOR,
      );
      const instance = await wf.start('order_unguarded', { variables: { amount: 5000 } }, alice);
      await wf.runDueWork();
      const detail = await wf.queries.instance(instance.id);
      expect(detail).toMatchObject({ state: 'active', currentElements: ['call'], openIncidents: 1 });
      const [incident] = await wf.queries.incidents({ processId: 'order_unguarded' });
      expect(incident).toMatchObject({
        instance_id: instance.id,
        element_id: 'call',
        kind: 'unhandled-error',
        process_id: 'order_unguarded',
        attempts: null,
      });
      expect(incident?.message).toContain("'CREDIT_REFUSED'");
      // a retry calls the process again (which fails again: nothing changed), then the admin cancels
      await wf.retryIncident(incident?.id as string, SYSTEM_ACTOR);
      await wf.runDueWork();
      const children = (await wf.queries.instances({ processId: 'credit_check' })).filter(
        (i) => i.parent_instance_id === instance.id,
      );
      expect(children.map((child) => child.state)).toEqual(['terminated', 'terminated']);
      expect(await wf.queries.incidents({ instanceId: instance.id })).toHaveLength(1);
      await wf.cancel(instance.id, SYSTEM_ACTOR);
      expect((await wf.queries.instance(instance.id)).state).toBe('cancelled');
    });

    it('lists instances by process, state and start time, with their position by name', async () => {
      const wf = handle().workspace.workflows;
      await wf.deploy(
        bpmn(
          'onboarding',
          `<bpmn:startEvent id="s"/><bpmn:userTask id="welcome" name="Welcome call"/><bpmn:endEvent id="e"/>
           ${flows(['a', 's', 'welcome'], ['b', 'welcome', 'e'])}`,
        ),
        SYSTEM_ACTOR,
      );
      const before = clock.now().toISOString();
      const early = await wf.start('onboarding', {}, alice);
      clock.advance(2 * HOUR);
      const middle = clock.now().toISOString();
      const late = await wf.start('onboarding', {}, alice);
      await wf.cancel(late.id, SYSTEM_ACTOR);
      const ids = (list: { id: string }[]) => list.map((i) => i.id);
      expect(ids(await wf.queries.instances({ processId: 'onboarding' }))).toEqual([late.id, early.id]);
      expect(ids(await wf.queries.instances({ processId: 'onboarding', state: 'active' }))).toEqual([
        early.id,
      ]);
      expect(ids(await wf.queries.instances({ processId: 'onboarding', startedFrom: middle }))).toEqual([
        late.id,
      ]);
      expect(
        ids(await wf.queries.instances({ processId: 'onboarding', startedFrom: before, startedTo: middle })),
      ).toEqual([early.id]);
      const [view] = await wf.queries.instances({ processId: 'onboarding', state: 'active' });
      expect(view?.position).toEqual([{ elementId: 'welcome', name: 'Welcome call' }]);
      const error = await engineError(wf.queries.instances({ startedFrom: 'yesterday' }));
      expect(error.problems.map((p) => [p.pointer, p.code])).toEqual([['/startedFrom', 'format']]);
    });

    it('the sweeper reports a token whose job is gone and a job whose runner stopped', async () => {
      const { workspace, engine } = handle();
      const wf = workspace.workflows;
      await wf.deploy(
        bpmn(
          'sweep_me',
          `<bpmn:startEvent id="s"/>
           <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
           <bpmn:endEvent id="e"/>${flows(['a', 's', 'wait'], ['b', 'wait', 'e'])}`,
        ),
        SYSTEM_ACTOR,
      );
      const lost = await wf.start('sweep_me', {}, alice);
      const stalled = await wf.start('sweep_me', {}, alice);
      const jobs = sql.raw(`"${workspace.schema}"._wf_jobs`);
      await engine.db.run(sql`DELETE FROM ${jobs} WHERE instance_id = ${lost.id}`);
      await engine.db.run(
        sql`UPDATE ${jobs} SET locked_by = 'dead-server', locked_until = ${new Date(clock.now().getTime() + 60_000).toISOString()}
          WHERE instance_id = ${stalled.id}`,
      );
      clock.advance(2 * HOUR);
      const report = await wf.sweep();
      expect(report.orphanTokens).toEqual([
        expect.objectContaining({ instanceId: lost.id, elementId: 'wait', wait: 'timer' }),
      ]);
      expect(report.expiredLeases).toEqual([
        expect.objectContaining({ instanceId: stalled.id, kind: 'timer', lockedBy: 'dead-server' }),
      ]);
      // the server's runner reports it (then claims the expired lease again: the instance goes on)
      const reports: StuckReport[] = [];
      const stop = startWorkflowRunner(wf, { sweepIntervalMs: 0, onStuck: (report) => reports.push(report) });
      await stop();
      expect(reports).toHaveLength(1);
      expect(reports[0]?.orphanTokens.map((token) => token.instanceId)).toEqual([lost.id]);
      expect((await wf.queries.instance(stalled.id)).state).toBe('completed');
      expect((await wf.sweep()).expiredLeases).toEqual([]);
    });
  },
  { workflow: { clock: clock.now } },
);
