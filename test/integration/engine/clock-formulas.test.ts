// Formulas reading today() or now() are right when read, not frozen at save: lists show, filter and
// sort by today's values, the record page by the moment's, all on the engine's clock.
import { type ModuleDefinition, SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { testClock } from '../../support/clock.ts';
import { forEachDatabase } from '../../support/engines.ts';

const DAY = 86_400_000;
// local time (the process time zone is the workspace's): 10 March 2026, 09:00; each suite starts there
const START = new Date(2026, 2, 10, 9, 0, 0).getTime();
let clock = testClock(START);

const task: ModuleDefinition = {
  id: 'mod_ck_task',
  name: 'task',
  label: { en: 'Task', 'zh-CN': '任务' },
  fields: [
    { id: 'k_title', name: 'title', type: 'text', label: { en: 'Title' }, required: true },
    { id: 'k_due', name: 'due', type: 'date', label: { en: 'Due' } },
    { id: 'k_touched', name: 'touched_at', type: 'datetime', label: { en: 'Last touched' } },
    {
      id: 'k_late',
      name: 'days_late',
      type: 'formula',
      label: { en: 'Days late' },
      expression: 'if due = null then null else (today() - due).days',
      resultType: 'integer',
    },
    {
      id: 'k_overdue',
      name: 'overdue',
      type: 'formula',
      label: { en: 'Overdue' },
      // reads the clock through another formula
      expression: 'days_late != null and days_late > 0',
      resultType: 'boolean',
    },
    {
      id: 'k_idle',
      name: 'idle_hours',
      type: 'formula',
      label: { en: 'Idle hours' },
      expression:
        'if touched_at = null then null else (now() - touched_at).days * 24 + (now() - touched_at).hours',
      resultType: 'integer',
    },
  ],
};

forEachDatabase(
  'formulas reading the clock',
  (handle) => {
    let workspace: Workspace;
    const titles = async (query: Parameters<Workspace['records']['list']>[2]) =>
      (await workspace.records.list('task', SYSTEM_ACTOR, query)).data.map((r) => r.title);

    beforeAll(async () => {
      clock = testClock(START);
      workspace = handle().workspace;
      await workspace.definitions.saveDraft(task);
      await workspace.definitions.publish();
    });

    it('count days on the engine clock at save, then stay right as days pass, for lists, filters and sorts', async () => {
      const create = (title: string, due: string) =>
        workspace.records.create(
          'task',
          { title, due, touched_at: new Date(clock.now()).toISOString() },
          SYSTEM_ACTOR,
        );
      const a = await create('A', '2026-03-08');
      await create('B', '2026-03-12');
      await create('C', '2026-03-10');
      expect(a).toMatchObject({ days_late: 2, overdue: true, idle_hours: 0 });
      expect(await titles({ filter: { field: 'overdue', op: 'eq', value: true } })).toEqual(['A']);

      clock.advance(3 * DAY + 5 * 3_600_000); // 13 March, 14:00
      expect(await workspace.records.get('task', a.id, SYSTEM_ACTOR)).toMatchObject({
        days_late: 5,
        overdue: true,
        idle_hours: 77,
        version: 1,
      });
      expect(
        await titles({ filter: { field: 'overdue', op: 'eq', value: true }, sort: '-days_late' }),
      ).toEqual(['A', 'C', 'B']);
      expect(await titles({ filter: { field: 'days_late', op: 'gte', value: 3 }, sort: 'title' })).toEqual([
        'A',
        'C',
      ]);
      const page = await workspace.records.list('task', SYSTEM_ACTOR, { sort: 'days_late' });
      expect(page.data.map((r) => [r.title, r.days_late])).toEqual([
        ['B', 1],
        ['C', 3],
        ['A', 5],
      ]);
      // nothing about the records changed: no new versions, no history
      expect(page.data.every((r) => r.version === 1)).toBe(true);
      expect(await workspace.records.history('task', a.id, SYSTEM_ACTOR)).toHaveLength(1);
    });
  },
  { clock: () => clock.now() },
);
