import { describe, expect, it } from 'vitest';
import { createFieldTypeRegistry } from '../fields/index.ts';
import { checkPool } from './check-pool.ts';
import { checkListView } from './list-view.ts';
import type { ModuleDefinition } from './types.ts';

const label = (en: string, zh: string) => ({ en, 'zh-CN': zh });

const lead: ModuleDefinition = {
  id: 'mod_lead',
  name: 'lead',
  label: label('Lead', '线索'),
  fields: [
    { id: 'f_name', name: 'name', type: 'text', label: label('Name', '名称') },
    { id: 'f_at', name: 'claimed_at', type: 'datetime', label: label('Claimed at', '领取时间') },
    {
      id: 'f_reason',
      name: 'reason',
      type: 'select',
      label: label('Reason', '原因'),
      options: [{ value: 'released', label: label('Released', '放弃') }],
    },
    { id: 'f_notes', name: 'notes', type: 'longText', label: label('Notes', '备注') },
  ],
};

// the designer shows these on the pool's and the list view's inputs, in the admin's language
describe('publish checks of the pool and the list view, in both languages', () => {
  it('names the pool setting whose field is missing, of the wrong type, or whose reason is not an option', () => {
    const problems = checkPool({
      ...lead,
      pool: { claimedAtField: 'name', returnedAtField: 'gone', reasonField: 'reason', releaseReason: 'lost' },
    });
    expect(problems.map((p) => [p.pointer, p.messages?.['zh-CN']])).toEqual([
      ['/pool/claimedAtField', '“name”是 text 字段，公海在此写入 datetime'],
      ['/pool/returnedAtField', '没有名为“gone”的字段'],
      ['/pool/releaseReason', '“lost”不是“reason”的选项'],
    ]);
    expect(problems[0]?.message).toBe("'name' is a text field; the pool writes a datetime there");
    expect(checkPool({ ...lead, pool: { claimLimit: 3, claimedAtField: 'claimed_at' } })).toEqual([]);
  });

  it('names the list view column, sort or board field that cannot be', () => {
    const problems = checkListView(
      { ...lead, listView: { columns: ['name', 'notes'], sort: '-nope', kanbanField: 'name' } },
      createFieldTypeRegistry(),
    );
    expect(problems.map((p) => [p.pointer, p.message, p.messages['zh-CN']])).toEqual([
      ['/listView/columns/1', 'a longText field cannot be a list column', 'longText 字段不能作为列表列'],
      ['/listView/sort', "sort key 1: no field named 'nope'", '第 1 个排序键：没有名为“nope”的字段'],
      [
        '/listView/kanbanField',
        'the board is grouped by a single-select field, not a text field',
        '看板按单选字段分组，不能用 text 字段',
      ],
    ]);
  });
});
