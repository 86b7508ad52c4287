import { Engine, openPostgres, SYSTEM_ACTOR } from '@crm/engine';
import { expect, it } from 'vitest';
import { createTestDatabase } from '../../support/postgres.ts';

const note = (fields: { id: string; name: string; type: string; label: { en: string } }[]) => ({
  id: 'mod_note',
  name: 'note',
  label: { en: 'Note' },
  fields,
});

it('a publish on one server reaches the other servers of the same database', async () => {
  const database = await createTestDatabase('servers');
  const [a, b] = await Promise.all(
    [1, 2].map(async () => Engine.open({ db: await openPostgres(database.url) })),
  );
  try {
    const [wa, wb] = await Promise.all([a.workspace(), b.workspace()]);
    await wa.definitions.saveDraft(
      note([{ id: 'n_text', name: 'text', type: 'text', label: { en: 'Text' } }]),
    );
    await wa.definitions.publish();
    await expect.poll(() => wb.catalog.has('note'), { timeout: 5000 }).toBe(true);
    await wb.records.create('note', { text: 'hello' }, SYSTEM_ACTOR);

    await wa.definitions.saveDraft(
      note([{ id: 'n_text', name: 'body', type: 'text', label: { en: 'Body' } }]),
    );
    await wa.definitions.publish();
    await expect.poll(() => wb.catalog.byName('note').byName.has('body'), { timeout: 5000 }).toBe(true);
    const list = await wb.records.list('note', SYSTEM_ACTOR);
    expect(list.data.map((r) => r.body)).toEqual(['hello']);
  } finally {
    await a.close();
    await b.close();
    await database.drop();
  }
});
