// Autonumbers: consecutive, never duplicated, per period, under concurrent creates and failures.
import { Engine, type ModuleDefinition, openPostgres, SYSTEM_ACTOR } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { testClock } from '../../support/clock.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { schemaSteps } from '../../support/plan.ts';
import { createTestDatabase } from '../../support/postgres.ts';
import { rawRows } from '../../support/sql.ts';

// local time (the process time zone is the workspace's): 31 January 2026, one minute to midnight;
// each database's suite starts from it again
const START = new Date(2026, 0, 31, 23, 59, 0).getTime();
let clock = testClock(START);

const quote: ModuleDefinition = {
  id: 'mod_an_quote',
  name: 'quote',
  label: { en: 'Quote', 'zh-CN': '报价单' },
  fields: [
    { id: 'q_title', name: 'title', type: 'text', label: { en: 'Title' }, required: true, maxLength: 20 },
    { id: 'q_ref', name: 'ref', type: 'text', label: { en: 'Reference' }, unique: true },
    { id: 'q_no', name: 'number', type: 'autonumber', label: { en: 'No.' }, pattern: 'QT-{YYYY}{MM}-{0000}' },
  ],
};

const ticket: ModuleDefinition = {
  id: 'mod_an_ticket',
  name: 'ticket',
  label: { en: 'Ticket' },
  fields: [{ id: 't_title', name: 'title', type: 'text', label: { en: 'Title' } }],
};

const numbersOf = async (handle: ReturnType<Parameters<Parameters<typeof forEachDatabase>[1]>[0]>) => {
  const page = await handle.workspace.records.list('quote', SYSTEM_ACTOR, { limit: 500, sort: 'number' });
  return page.data.map((r) => r.number as string);
};

const range = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${String(from + i).padStart(4, '0')}`);

forEachDatabase(
  'autonumbers',
  (handle) => {
    beforeAll(async () => {
      clock = testClock(START);
      const { definitions, records } = handle().workspace;
      await definitions.saveDraft(quote);
      await definitions.saveDraft(ticket);
      await definitions.publish();
      // tickets created before their module gets an autonumber, out of id order on purpose
      for (const [i, title] of ['first', 'second', 'third'].entries()) {
        clock.advance(-1000 * (3 - i));
        await records.create('ticket', { title }, SYSTEM_ACTOR);
        clock.advance(1000 * (3 - i));
      }
    });

    it('numbers 24 concurrent creates consecutively, without gaps or duplicates', async () => {
      const { records } = handle().workspace;
      const created = await Promise.all(
        Array.from({ length: 24 }, (_, i) => records.create('quote', { title: `q${i}` }, SYSTEM_ACTOR)),
      );
      const numbers = created.map((r) => r.number as string).sort();
      expect(numbers).toEqual(range('QT-202601-', 1, 24));
      expect(await numbersOf(handle())).toEqual(numbers);
      // the history shows the number the record got
      const history = await records.history('quote', created[5].id, SYSTEM_ACTOR);
      expect(history[0].changes.number).toEqual({ to: created[5].number });
    });

    it('leaves no gap when creates fail, alone or within a batch of concurrent creates', async () => {
      const { records } = handle().workspace;
      const invalid = await engineError(records.create('quote', { title: 'x'.repeat(21) }, SYSTEM_ACTOR));
      expect(invalid.problems[0]).toMatchObject({ pointer: '/title' });
      // one of 16 breaks a unique constraint when its row is written: its number goes back
      await records.create('quote', { title: 'taken', ref: 'R-1' }, SYSTEM_ACTOR);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 16 }, (_, i) =>
          records.create('quote', { title: `b${i}`, ref: i === 7 ? 'R-1' : `B-${i}` }, SYSTEM_ACTOR),
        ),
      );
      const failed = outcomes.filter((o) => o.status === 'rejected');
      expect(failed).toHaveLength(1);
      expect((failed[0] as PromiseRejectedResult).reason).toMatchObject({
        kind: 'conflict',
        problems: [{ pointer: '/ref', code: 'unique' }],
      });
      expect(await numbersOf(handle())).toEqual(range('QT-202601-', 1, 40));
    });

    it('ignores a number sent by the client and keeps the number on update', async () => {
      const { records } = handle().workspace;
      const created = await records.create('quote', { title: 'mine', number: 'QT-999' }, SYSTEM_ACTOR);
      expect(created.number).toBe('QT-202601-0041');
      const updated = await records.update(
        'quote',
        created.id,
        { title: 'renamed', number: 'QT-1' },
        SYSTEM_ACTOR,
      );
      expect(updated).toMatchObject({ title: 'renamed', number: 'QT-202601-0041' });
      expect((await records.get('quote', created.id, SYSTEM_ACTOR)).number).toBe('QT-202601-0041');
      // forms show it read-only
      const compiled = handle().workspace.catalog.byName('quote');
      expect((compiled.uiSchema('en').number as Record<string, unknown>)['ui:readonly']).toBe(true);
      expect(compiled.jsonSchema('en')).toMatchObject({ properties: { number: { readOnly: true } } });
    });

    it('starts again at 1 in a new period, and filters as text', async () => {
      const { records } = handle().workspace;
      clock.advance(2 * 60 * 1000); // 1 February, 00:01
      const february = await Promise.all(
        Array.from({ length: 3 }, (_, i) => records.create('quote', { title: `f${i}` }, SYSTEM_ACTOR)),
      );
      expect(february.map((r) => r.number).sort()).toEqual(range('QT-202602-', 1, 3));
      const found = await records.list('quote', SYSTEM_ACTOR, {
        filter: { field: 'number', op: 'startsWith', value: 'QT-202602-' },
        sort: 'number',
      });
      expect(found.data.map((r) => r.number)).toEqual(range('QT-202602-', 1, 3));
      const one = await records.list('quote', SYSTEM_ACTOR, {
        filter: { field: 'number', op: 'eq', value: 'QT-202601-0007' },
      });
      expect(one.data).toHaveLength(1);
    });

    it('never stores one number twice: the column is unique', async () => {
      const { engine } = handle();
      const [row] = await rawRows(
        engine,
        `SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'ws_default' AND tablename = 'quote'
           AND indexdef LIKE 'CREATE UNIQUE INDEX%(number)%'`,
      );
      expect(row.n).toBe(1);
    });

    it('numbers existing records in the order they were created when the field is added', async () => {
      const { definitions, records } = handle().workspace;
      await definitions.saveDraft({
        ...ticket,
        fields: [
          ...ticket.fields,
          { id: 't_no', name: 'no', type: 'autonumber', label: { en: 'No.' }, pattern: 'T{00}', start: 8 },
        ],
      });
      const preview = await definitions.preview();
      expect(schemaSteps(preview.steps).map((s) => s.kind)).toEqual(['addColumn', 'backfill', 'addUnique']);
      await definitions.publish();
      const page = await records.list('ticket', SYSTEM_ACTOR, { sort: 'no' });
      expect(page.data.map((r) => [r.title, r.no])).toEqual([
        ['first', 'T08'],
        ['second', 'T09'],
        ['third', 'T10'],
      ]);
      const next = await records.create('ticket', { title: 'fourth' }, SYSTEM_ACTOR);
      expect(next.no).toBe('T11');
      // the numbers given to existing records are in the keyword search too
      const found = await records.list('ticket', SYSTEM_ACTOR, { q: 't09' });
      expect(found.data.map((r) => r.title)).toEqual(['second']);
      expect((await records.list('ticket', SYSTEM_ACTOR, { q: 'T11' })).data.map((r) => r.title)).toEqual([
        'fourth',
      ]);
    });

    it('refuses turning a field into an autonumber, and a pattern without one counter', async () => {
      const { definitions } = handle().workspace;
      await definitions.saveDraft({
        ...quote,
        fields: quote.fields.map((f) => (f.id === 'q_ref' ? { ...f, type: 'autonumber', unique: false } : f)),
      });
      const refused = await engineError(definitions.publish(['quote']));
      expect(refused.problems).toMatchObject([
        { pointer: '/modules/quote/fields/1/type', code: 'type-change' },
      ]);
      await definitions.saveDraft({
        ...quote,
        fields: quote.fields.map((f) => (f.id === 'q_no' ? { ...f, pattern: 'QT-{YYYY}-{0}-{00}' } : f)),
      });
      const invalid = await engineError(definitions.publish(['quote']));
      expect(invalid.problems).toMatchObject([
        {
          pointer: '/modules/quote/fields/2/pattern',
          message: expect.stringContaining('exactly one counter'),
        },
      ]);
      await definitions.discardDraft('quote');
    });
  },
  { clock: () => clock.now() },
);

it('numbers the creates of several servers on one PostgreSQL database without gaps or duplicates', async () => {
  const database = await createTestDatabase('autonumber_servers');
  const engines = await Promise.all(
    [1, 2, 3].map(async () => Engine.open({ db: await openPostgres(database.url) })),
  );
  try {
    const [first, ...others] = await Promise.all(engines.map((e) => e.workspace()));
    await first.definitions.saveDraft({
      ...ticket,
      fields: [...ticket.fields, { id: 't_no', name: 'no', type: 'autonumber', label: { en: 'No.' } }],
    });
    await first.definitions.publish();
    for (const other of others) await expect.poll(() => other.catalog.has('ticket')).toBe(true);
    // each server batches its own creates; the servers' transactions contend for the counter row
    const created = await Promise.all(
      [first, ...others].flatMap((workspace, s) =>
        Array.from({ length: 11 }, (_, i) =>
          workspace.records.create('ticket', { title: `s${s}-${i}` }, SYSTEM_ACTOR),
        ),
      ),
    );
    const numbers = created.map((r) => r.no as string).sort();
    expect(numbers).toEqual(Array.from({ length: 33 }, (_, i) => String(i + 1).padStart(6, '0')));
  } finally {
    for (const engine of engines) await engine.close();
    await database.drop();
  }
});
