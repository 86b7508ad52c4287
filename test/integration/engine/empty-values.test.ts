import { SYSTEM_ACTOR } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';

const note = {
  id: 'mod_note',
  name: 'note',
  label: { en: 'Note' },
  fields: [
    { id: 'n_title', name: 'title', type: 'text', label: { en: 'Title' }, required: true },
    { id: 'n_body', name: 'body', type: 'longText', label: { en: 'Body' } },
    {
      id: 'n_tags',
      name: 'tags',
      type: 'multiSelect',
      label: { en: 'Tags' },
      options: [{ value: 'x', label: { en: 'X' } }],
    },
  ],
};

forEachDatabase('empty values', (handle) => {
  beforeAll(async () => {
    await handle().workspace.definitions.saveDraft(note);
    await handle().workspace.definitions.publish();
  });

  it("stores '' and [] (what a cleared form sends) as empty, and a required field stays required", async () => {
    const { records } = handle().workspace;
    const created = await records.create('note', { title: 'T', body: '', tags: [] }, SYSTEM_ACTOR);
    expect(created).toMatchObject({ body: null, tags: null });
    const withBody = await records.update('note', created.id, { body: 'text', tags: ['x'] }, SYSTEM_ACTOR);
    const cleared = await records.update('note', created.id, { body: '', tags: [] }, SYSTEM_ACTOR);
    expect(cleared).toMatchObject({ body: null, tags: null, version: withBody.version + 1 });
    const empty = await records.list('note', SYSTEM_ACTOR, { filter: { field: 'body', op: 'empty' } });
    expect(empty.data.map((r) => r.id)).toContain(created.id);
    const error = await engineError(records.create('note', { title: '' }, SYSTEM_ACTOR));
    expect(error.problems).toMatchObject([{ pointer: '/title', code: 'required' }]);
  });

  it('refuses NUL characters and __proto__ keys, naming where, and writes nothing', async () => {
    const { records } = handle().workspace;
    const before = await records.list('note', SYSTEM_ACTOR, { count: true });
    const nul = await engineError(records.create('note', { title: 'a\u0000b' }, SYSTEM_ACTOR));
    expect(nul.problems).toMatchObject([{ pointer: '/title', code: 'characters' }]);
    const proto = await engineError(
      records.create('note', JSON.parse('{"title":"x","__proto__":{"a":1}}'), SYSTEM_ACTOR),
    );
    expect(proto.problems).toMatchObject([{ pointer: '/__proto__', code: 'additionalProperties' }]);
    const draft = await engineError(
      handle().workspace.definitions.saveDraft({ ...note, label: { en: 'N\u0000' } }),
    );
    expect(draft.problems).toMatchObject([{ pointer: '/label/en', code: 'characters' }]);
    expect((await records.list('note', SYSTEM_ACTOR, { count: true })).total).toBe(before.total);
  });
});
