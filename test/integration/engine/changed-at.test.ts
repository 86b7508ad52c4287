// A changedAt field: the time a watched field last changed (an opportunity's stage), set by the engine
// on create and on each change of a watched value, kept through other changes, read by formulas.
import { SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { testClock } from '../../support/clock.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';

const label = (en: string) => ({ en, 'zh-CN': en });
const clock = testClock(Date.parse('2026-03-01T08:00:00Z'));
const DAY = 86_400_000;

const deal = {
  id: 'mod_ca_deal',
  name: 'ca_deal',
  label: label('Deal'),
  fields: [
    { id: 'ca_title', name: 'title', type: 'text', label: label('Title'), required: true },
    {
      id: 'ca_stage',
      name: 'stage',
      type: 'select',
      label: label('Stage'),
      options: ['new', 'won'].map((value) => ({ value, label: label(value) })),
    },
    { id: 'ca_owner_note', name: 'note', type: 'text', label: label('Note') },
    {
      id: 'ca_since',
      name: 'stage_changed_at',
      type: 'changedAt',
      label: label('In stage since'),
      watch: ['stage'],
    },
    {
      id: 'ca_days',
      name: 'days_in_stage',
      type: 'formula',
      label: label('Days in stage'),
      expression: '(updated_at - stage_changed_at).days',
      resultType: 'integer',
    },
  ],
};

forEachDatabase(
  'changedAt fields',
  (handle) => {
    let workspace: Workspace;

    beforeAll(async () => {
      workspace = handle().workspace;
      await workspace.definitions.saveDraft(deal);
      await workspace.definitions.publish();
    });

    it('stamps the create, keeps the time through other changes and moves it when the stage changes', async () => {
      const created = await workspace.records.create(
        'ca_deal',
        { title: 'A', stage: 'new', stage_changed_at: '2020-01-01T00:00:00Z' },
        SYSTEM_ACTOR,
      );
      const start = clock.now().toISOString();
      expect(created).toMatchObject({ stage_changed_at: start, days_in_stage: 0 });

      clock.advance(DAY);
      const noted = await workspace.records.update('ca_deal', created.id, { note: 'called' }, SYSTEM_ACTOR);
      expect(noted).toMatchObject({ stage_changed_at: start, days_in_stage: 1 });
      // the same stage sent again is no change
      const same = await workspace.records.update('ca_deal', created.id, { stage: 'new' }, SYSTEM_ACTOR);
      expect(same.stage_changed_at).toBe(start);

      clock.advance(DAY);
      const won = await workspace.records.update('ca_deal', created.id, { stage: 'won' }, SYSTEM_ACTOR);
      expect(won).toMatchObject({ stage_changed_at: clock.now().toISOString(), days_in_stage: 0 });
      const history = await workspace.records.history('ca_deal', created.id, SYSTEM_ACTOR);
      expect(history.find((h) => h.version === won.version)?.changes).toMatchObject({
        stage: { from: 'new', to: 'won' },
        stage_changed_at: { from: start, to: clock.now().toISOString() },
      });
      const filtered = await workspace.records.list('ca_deal', SYSTEM_ACTOR, {
        filter: { field: 'stage_changed_at', op: 'gt', value: start },
      });
      expect(filtered.data.map((r) => r.id)).toEqual([created.id]);
    });

    it('refuses to watch a field the module does not have, or a computed one', async () => {
      await workspace.definitions.saveDraft({
        ...deal,
        fields: deal.fields.map((f) =>
          f.id === 'ca_since' ? { ...f, watch: ['stage', 'phase', 'days_in_stage'] } : f,
        ),
      });
      const bad = await engineError(workspace.definitions.publish());
      expect(bad.problems.map((p) => p.pointer)).toEqual([
        '/modules/ca_deal/fields/3/watch/1',
        '/modules/ca_deal/fields/3/watch/2',
      ]);
      expect(bad.problems[1].message).toContain('formula');
    });
  },
  { clock: clock.now },
);
