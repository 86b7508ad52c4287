// Schedules: timer start events with a cron cycle read in the workspace's time zone, fired once per
// occurrence even with two runners, listed with their next occurrences; a bad cron is refused at deploy.
import { SYSTEM_ACTOR, WorkflowService } from '@crm/engine';
import { expect, it } from 'vitest';
import { bpmn, flows } from '../../support/bpmn.ts';
import { testClock } from '../../support/clock.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';

const HOUR = 3_600_000;
// Monday 2026-03-02, 08:00 in Shanghai
const clock = testClock(Date.parse('2026-03-02T00:00:00Z'));
const ZONE = 'Asia/Shanghai';

const cronStart = (processId: string, cron: string) =>
  bpmn(
    processId,
    `<bpmn:startEvent id="s"><bpmn:timerEventDefinition id="t"><bpmn:timeCycle>${cron}</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
     <bpmn:endEvent id="e"/>${flows(['a', 's', 'e'])}`,
  );

forEachDatabase(
  'workflow schedules',
  (handle) => {
    it('starts a weekday 9:00 cron schedule in the workspace time zone, once per occurrence', async () => {
      const wf = handle().workspace.workflows;
      // each database's run starts on a Monday at 00:00 UTC (the run before took exactly a week)
      const monday = clock.now().getTime();
      const nineOn = (day: number) => new Date(monday + day * 24 * HOUR + HOUR).toISOString();
      await wf.deploy(cronStart('weekday_report', '0 0 9 * * MON-FRI'), SYSTEM_ACTOR);
      const [schedule] = (await wf.queries.schedules(wf.timeZone, 3)).filter(
        (s) => s.processId === 'weekday_report',
      );
      // 9:00 in Shanghai is 01:00 UTC
      expect(schedule?.next).toEqual([nineOn(0), nineOn(1), nineOn(2)]);
      expect(schedule?.timeZone).toBe(ZONE);
      const other = new WorkflowService(handle().engine.db, handle().workspace.schema, {
        clock: clock.now,
        workerId: 'other-server',
        timeZone: ZONE,
      });
      // a week in half-hour steps, two runners racing at each step
      for (let step = 0; step < 7 * 48; step++) {
        clock.advance(HOUR / 2);
        await Promise.all([wf.runDueWork(), other.runDueWork()]);
      }
      const started = await wf.queries.instances({ processId: 'weekday_report' });
      expect(started.map((instance) => instance.started_at).sort()).toEqual([0, 1, 2, 3, 4].map(nineOn));
      const [after] = (await wf.queries.schedules(wf.timeZone, 1)).filter(
        (s) => s.processId === 'weekday_report',
      );
      expect(after?.fired).toBe(5);
      expect(after?.next).toEqual([nineOn(7)]);
    });

    it('a new version replaces the schedule; a bad cron expression is refused naming the event', async () => {
      const wf = handle().workspace.workflows;
      await wf.deploy(cronStart('weekday_report', '@daily'), SYSTEM_ACTOR);
      const schedules = (await wf.queries.schedules(wf.timeZone, 2)).filter(
        (s) => s.processId === 'weekday_report',
      );
      expect(schedules).toHaveLength(1);
      expect(schedules[0]?.version).toBe(2);
      expect(new Date(schedules[0]?.next[0] as string).getUTCHours()).toBe(16); // midnight in Shanghai
      const error = await engineError(wf.deploy(cronStart('bad_cron', '0 0 25 * * *'), SYSTEM_ACTOR));
      expect(error.problems.map((p) => [p.pointer, p.code])).toEqual([['/elements/s', 'invalid-timer']]);
    });
  },
  { workflow: { clock: clock.now, timeZone: ZONE } },
);
