import { compileConditions, type FormConditions, SYSTEM_ACTOR } from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';

const deal = {
  id: 'mod_cdeal',
  name: 'cdeal',
  label: { en: 'Deal', 'zh-CN': '交易' },
  fields: [
    { id: 'c_title', name: 'title', type: 'text', label: { en: 'Title' }, required: true },
    {
      id: 'c_stage',
      name: 'stage',
      type: 'select',
      label: { en: 'Stage' },
      options: [
        { value: 'open', label: { en: 'Open' } },
        { value: 'lost', label: { en: 'Lost' } },
        { value: 'closed', label: { en: 'Closed' } },
      ],
    },
    { id: 'c_amount', name: 'amount', type: 'money', label: { en: 'Amount' }, currency: 'CNY' },
    {
      id: 'c_reason',
      name: 'lost_reason',
      type: 'text',
      label: { en: 'Lost reason' },
      required: true,
      visibleWhen: 'stage = "lost"',
    },
    {
      id: 'c_approver',
      name: 'approver',
      type: 'text',
      label: { en: 'Approver' },
      requiredWhen: 'amount > 1000',
    },
    {
      id: 'c_notes',
      name: 'notes',
      type: 'text',
      label: { en: 'Notes' },
      readOnlyWhen: 'stage = "closed"',
    },
  ],
};

forEachDatabase('field conditions', (handle) => {
  beforeAll(async () => {
    await handle().workspace.definitions.saveDraft(deal);
    await handle().workspace.definitions.publish();
  });

  const count = async () =>
    (await handle().workspace.records.list('cdeal', SYSTEM_ACTOR, { count: true })).total;

  it('requires a field while its requiredWhen holds (money read as its amount), and writes nothing then', async () => {
    const { records } = handle().workspace;
    const before = await count();
    const error = await engineError(
      records.create('cdeal', { title: 'Big', amount: { amount: 5000, currency: 'CNY' } }, SYSTEM_ACTOR),
    );
    expect(error.problems).toEqual([
      {
        pointer: '/approver',
        code: 'required',
        message: 'is required',
        messages: { en: 'is required', 'zh-CN': '必填' },
      },
    ]);
    expect(await count()).toBe(before);
    const small = await records.create(
      'cdeal',
      { title: 'Small', amount: { amount: 10, currency: 'CNY' } },
      SYSTEM_ACTOR,
    );
    expect(small.approver).toBeNull();
    const big = await records.create(
      'cdeal',
      { title: 'Big', amount: { amount: 5000, currency: 'CNY' }, approver: 'Wang' },
      SYSTEM_ACTOR,
    );
    expect(big.approver).toBe('Wang');
    // raising the amount later makes the field required on that update too
    const raised = await engineError(
      records.update('cdeal', small.id, { amount: { amount: 2000, currency: 'CNY' } }, SYSTEM_ACTOR),
    );
    expect(raised.problems).toMatchObject([{ pointer: '/approver', code: 'required' }]);
  });

  it('a required field with visibleWhen is required only while visible; a hidden value is kept', async () => {
    const { records } = handle().workspace;
    const open = await records.create(
      'cdeal',
      { title: 'A', stage: 'open', lost_reason: 'kept' },
      SYSTEM_ACTOR,
    );
    expect(open.lost_reason).toBe('kept');
    const noReason = await records.create('cdeal', { title: 'B', stage: 'open' }, SYSTEM_ACTOR);
    const lost = await engineError(records.update('cdeal', noReason.id, { stage: 'lost' }, SYSTEM_ACTOR));
    expect(lost.problems).toMatchObject([{ pointer: '/lost_reason', code: 'required' }]);
    const fixed = await records.update(
      'cdeal',
      noReason.id,
      { stage: 'lost', lost_reason: 'price' },
      SYSTEM_ACTOR,
    );
    expect(fixed).toMatchObject({ stage: 'lost', lost_reason: 'price' });
  });

  it('refuses a change to a field read-only by its condition on the stored record, not the same value', async () => {
    const { records } = handle().workspace;
    const created = await records.create('cdeal', { title: 'C', stage: 'open', notes: 'n1' }, SYSTEM_ACTOR);
    // the change that closes the deal may still set the notes: the stored record was open
    const closed = await records.update('cdeal', created.id, { stage: 'closed', notes: 'n2' }, SYSTEM_ACTOR);
    const error = await engineError(records.update('cdeal', created.id, { notes: 'n3' }, SYSTEM_ACTOR));
    expect(error.problems).toMatchObject([{ pointer: '/notes', code: 'read-only' }]);
    expect(error.problems[0]?.messages?.['zh-CN']).toBe('当前条件下不可修改');
    const same = await records.update('cdeal', created.id, { notes: 'n2', title: 'C2' }, SYSTEM_ACTOR);
    expect(same).toMatchObject({ notes: 'n2', title: 'C2', version: closed.version + 1 });
  });

  it('serves the conditions in the uiSchema; the browser evaluator decides as the server does', () => {
    const module = handle().workspace.catalog.byName('cdeal');
    const schema = module.jsonSchema('en');
    expect(schema.required).toEqual(['title']);
    const conditions = module.uiSchema('en')['ui:conditions'] as FormConditions;
    expect(conditions.fields).toEqual({
      lost_reason: { visibleWhen: 'stage = "lost"', required: true },
      approver: { requiredWhen: 'amount > 1000' },
      notes: { readOnlyWhen: 'stage = "closed"' },
    });
    const decide = compileConditions(conditions);
    expect(decide({ stage: 'open', amount: { amount: 1, currency: 'CNY' } })).toEqual({
      hidden: ['lost_reason'],
      required: [],
      readOnly: [],
    });
    expect(decide({ stage: 'lost', amount: { amount: 1001, currency: 'CNY' } })).toEqual({
      hidden: [],
      required: ['lost_reason', 'approver'],
      readOnly: [],
    });
    expect(decide({ stage: 'closed' })).toMatchObject({ hidden: ['lost_reason'], readOnly: ['notes'] });
  });
});

describe('field conditions at publish', () => {
  forEachDatabase('condition checks', (handle) => {
    it('names the field and setting of a condition that reads an unknown field or is misplaced', async () => {
      const { definitions } = handle().workspace;
      await definitions.saveDraft({
        id: 'mod_cbad',
        name: 'cbad',
        label: { en: 'Bad' },
        fields: [
          { id: 'b_a', name: 'a', type: 'text', label: { en: 'A' }, visibleWhen: 'stagee = "x"' },
          {
            id: 'b_f',
            name: 'f',
            type: 'formula',
            label: { en: 'F' },
            expression: '1',
            resultType: 'number',
            requiredWhen: 'a = "y"',
          },
          {
            id: 'b_rows',
            name: 'rows',
            type: 'subtable',
            label: { en: 'Rows' },
            fields: [{ id: 'b_q', name: 'q', type: 'integer', label: { en: 'Q' }, visibleWhen: 'q > 1' }],
          },
        ],
      });
      const error = await engineError(definitions.publish());
      const pointers = error.problems.map((p) => p.pointer);
      expect(pointers).toEqual(
        expect.arrayContaining([
          '/modules/cbad/fields/0/visibleWhen',
          '/modules/cbad/fields/1/requiredWhen',
          '/modules/cbad/fields/2/fields/0/visibleWhen',
        ]),
      );
      const unknown = error.problems.find((p) => p.pointer.endsWith('/fields/0/visibleWhen'));
      expect(unknown?.message).toContain('stagee');
      await definitions.discardDraft('mod_cbad');
    });
  });
});
