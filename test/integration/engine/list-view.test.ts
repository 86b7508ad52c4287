// A module's list view (`listView`: columns, default sort, kanban field): what a publish refuses,
// and the defaults a module without one gets.
import { listViewOf, type ModuleDefinition, type Problem, type Workspace } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { actorOf, role } from '../../support/access-fixtures.ts';
import { apiClient, expectProblem, tokenFor } from '../../support/api.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { organisation } from '../../support/org.ts';

function deal(listView?: Record<string, unknown>): ModuleDefinition {
  return {
    id: 'mod_lv_deal',
    name: 'lv_deal',
    label: { en: 'Deal', 'zh-CN': '交易' },
    titleField: 'title',
    fields: [
      { id: 'lv_notes', name: 'notes', type: 'longText', label: { en: 'Notes' } },
      { id: 'lv_title', name: 'title', type: 'text', label: { en: 'Title' } },
      { id: 'lv_amount', name: 'amount', type: 'money', label: { en: 'Amount' } },
      {
        id: 'lv_tags',
        name: 'tags',
        type: 'multiSelect',
        label: { en: 'Tags' },
        options: [{ value: 'a', label: { en: 'A' } }],
      },
      {
        id: 'lv_stage',
        name: 'stage',
        type: 'select',
        label: { en: 'Stage' },
        options: [
          { value: 'open', label: { en: 'Open' } },
          { value: 'won', label: { en: 'Won' } },
        ],
      },
    ],
    ...(listView ? { listView } : {}),
  } as ModuleDefinition;
}

forEachDatabase('list view settings', (handle) => {
  let workspace: Workspace;
  beforeAll(() => {
    ({ workspace } = handle());
  });

  async function publishProblems(definition: ModuleDefinition): Promise<Problem[]> {
    await workspace.definitions.saveDraft(definition);
    try {
      const error = await engineError(workspace.definitions.publish([definition.id]));
      expect(error.kind).toBe('invalid-definition');
      expect(workspace.catalog.has(definition.name)).toBe(false);
      return error.problems.map((p) => ({
        ...p,
        pointer: p.pointer.replace(`/modules/${definition.name}`, ''),
      }));
    } finally {
      await workspace.definitions.discardDraft(definition.id);
    }
  }

  it('refuses an unknown setting in the shape', async () => {
    const error = await engineError(workspace.definitions.saveDraft(deal({ colour: 'red' })));
    expect(error.problems).toMatchObject([{ pointer: '/listView/colour', code: 'additionalProperties' }]);
  });

  it('names each column, sort key and kanban field it cannot use, and publishes nothing', async () => {
    const problems = await publishProblems(
      deal({ columns: ['title', 'nope', 'notes', 'title'], sort: '-amount,tags,ghost', kanbanField: 'tags' }),
    );
    expect(problems.map((p) => [p.pointer, p.message])).toEqual([
      ['/listView/columns/1', "no field named 'nope'"],
      ['/listView/columns/2', 'a longText field cannot be a list column'],
      ['/listView/columns/3', "column 'title' is listed twice"],
      ['/listView/sort', 'sort key 2: a multiSelect field cannot be sorted'],
      ['/listView/sort', "sort key 3: no field named 'ghost'"],
      ['/listView/kanbanField', 'the board is grouped by a single-select field, not a multiSelect field'],
    ]);
  });

  it('publishes a valid list view and fills in what a definition leaves out', async () => {
    const chosen = deal({ columns: ['stage', 'title'], sort: '-amount,created_at', kanbanField: 'stage' });
    await workspace.definitions.saveDraft(chosen);
    await workspace.definitions.publish([chosen.id]);
    const published = (await workspace.definitions.get(chosen.id)).published;
    expect(published?.listView).toEqual(chosen.listView);
    expect(listViewOf(published as ModuleDefinition)).toEqual({
      columns: ['stage', 'title'],
      sort: '-amount,created_at',
      kanbanField: 'stage',
    });
    // the sort works as the list's own
    await workspace.records.list(
      chosen.name,
      { userId: null, via: 'system' },
      { sort: published?.listView?.sort },
    );
    // defaults: the title field first, no long text or sub-table, newest first, the first single select
    expect(listViewOf(deal())).toEqual({
      columns: ['title', 'amount', 'tags', 'stage'],
      sort: '-created_at',
      kanbanField: 'stage',
    });
  });

  it("lists records in the module's list view (view=default): its sort and fields, those the reader may read", async () => {
    const view = deal({ columns: ['stage', 'amount'], sort: 'title', kanbanField: 'stage' });
    await workspace.definitions.saveDraft({ ...view, id: 'mod_lv_view', name: 'lv_view' });
    await workspace.definitions.publish(['mod_lv_view']);
    for (const title of ['b', 'c', 'a']) {
      await workspace.records.create(
        'lv_view',
        { title, stage: 'open', notes: 'long', amount: { amount: 5, currency: 'CNY' } },
        { userId: null, via: 'system' },
      );
    }
    const api = apiClient(handle());
    const page = await api.get<{ data: Record<string, unknown>[] }>(
      '/api/modules/lv_view/records?view=default',
    );
    expect(page.status).toBe(200);
    expect(page.body.data.map((r) => r.title)).toEqual(['a', 'b', 'c']);
    // the columns, the title and kanban fields (and the system fields); not the notes nor the tags
    const moduleFields = ['notes', 'title', 'amount', 'tags', 'stage'];
    expect(Object.keys(page.body.data[0] ?? {}).filter((key) => moduleFields.includes(key))).toEqual([
      'title',
      'amount',
      'stage',
    ]);
    // what the query names itself wins
    const named = await api.get<{ data: Record<string, unknown>[] }>(
      '/api/modules/lv_view/records?view=default&sort=-title&fields=notes',
    );
    expect(named.body.data.map((r) => [r.title, r.notes])).toEqual([
      [undefined, 'long'],
      [undefined, 'long'],
      [undefined, 'long'],
    ]);
    expectProblem(await api.get('/api/modules/lv_view/records?view=mine'), 400, ['/view']);

    // a reader who may not see the amount gets the rest of the view, not an error
    const org = organisation(handle());
    const reader = await org.user('lv_reader');
    await org.role(role('lv_readers', 'mod_lv_view', { read: 'all', fields: { amount: 'none' } }));
    await org.grant(reader, 'lv_readers');
    const own = await workspace.records.list('lv_view', actorOf(reader), { view: 'default' });
    expect(own.data.map((r) => [r.title, r.stage, r.amount])).toEqual([
      ['a', 'open', undefined],
      ['b', 'open', undefined],
      ['c', 'open', undefined],
    ]);
    const http = apiClient(handle(), { auth: { token: await tokenFor(handle(), reader.id) } });
    expect((await http.get('/api/modules/lv_view/records?view=default')).status).toBe(200);
  });
});
