// A module's list view (`listView`: columns, default sort, kanban field): what a publish refuses,
// and the defaults a module without one gets.
import { listViewOf, type ModuleDefinition, type Problem, type Workspace } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';

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
});
