import { EngineError, SYSTEM_ACTOR } from '@crm/engine';
import { expect, it } from 'vitest';
import { forEachDatabase } from '../../support/engines.ts';
import { schemaSteps } from '../../support/plan.ts';

const customer = {
  id: 'mod_customer',
  name: 'customer',
  label: { en: 'Customer', 'zh-CN': '客户' },
  titleField: 'name',
  fields: [
    {
      id: 'f_name',
      name: 'name',
      type: 'text',
      label: { en: 'Name', 'zh-CN': '客户名称' },
      required: true,
      unique: true,
    },
    {
      id: 'f_level',
      name: 'level',
      type: 'select',
      label: { en: 'Level', 'zh-CN': '客户等级' },
      options: [
        { value: 'a', label: { en: 'Important', 'zh-CN': '重要' }, color: '#ff0000' },
        { value: 'b', label: { en: 'Ordinary', 'zh-CN': '普通' } },
      ],
    },
    { id: 'f_credit', name: 'credit', type: 'money', label: { en: 'Credit', 'zh-CN': '信用额度' }, min: 0 },
    { id: 'f_since', name: 'since', type: 'date', label: { en: 'Since', 'zh-CN': '合作开始' } },
  ],
};

const opportunity = {
  id: 'mod_opp',
  name: 'opportunity',
  label: { en: 'Opportunity', 'zh-CN': '商机' },
  fields: [
    { id: 'o_title', name: 'title', type: 'text', label: { en: 'Title' }, required: true },
    {
      id: 'o_customer',
      name: 'customer',
      type: 'relation',
      label: { en: 'Customer', 'zh-CN': '客户' },
      target: 'mod_customer',
      inverse: { name: 'opportunities', label: { en: 'Opportunities', 'zh-CN': '商机' } },
    },
    { id: 'o_amount', name: 'amount', type: 'decimal', label: { en: 'Amount' }, scale: 2 },
    { id: 'o_discount', name: 'discount', type: 'percent', label: { en: 'Discount' } },
    {
      id: 'o_net',
      name: 'net',
      type: 'formula',
      label: { en: 'Net' },
      expression: 'amount * (1 - discount / 100)',
      resultType: 'decimal',
      scale: 2,
    },
  ],
  rules: [
    {
      id: 'r_discount',
      expression: 'discount <= 30',
      message: { en: 'Discount above 30% needs approval', 'zh-CN': '折扣超过30%需要审批' },
      fields: ['discount'],
    },
  ],
};

forEachDatabase('module lifecycle', (handle) => {
  it('publishes modules, creates tables and runs the record API', async () => {
    const { workspace } = handle();
    await workspace.definitions.saveDraft(customer);
    await workspace.definitions.saveDraft(opportunity);
    const preview = await workspace.definitions.preview();
    expect(preview.problems).toEqual([]);
    expect(preview.steps.map((s) => s.kind)).toContain('createTable');
    await workspace.definitions.publish();

    const acme = await workspace.records.create(
      'customer',
      { name: 'Acme 上海', level: 'a', credit: { amount: 1000.5 }, since: '2026-01-02' },
      SYSTEM_ACTOR,
    );
    expect(acme).toMatchObject({
      name: 'Acme 上海',
      credit: { amount: 1000.5, currency: 'CNY' },
      version: 1,
    });
    const deal = await workspace.records.create(
      'opportunity',
      { title: 'Big deal', customer: acme.id, amount: 0.1 + 0.2, discount: 10 },
      SYSTEM_ACTOR,
    );
    expect(deal.net).toBe(0.27);

    await expect(
      workspace.records.create('opportunity', { title: 'x', discount: 50 }, SYSTEM_ACTOR),
    ).rejects.toMatchObject({ kind: 'invalid-record', problems: [{ pointer: '/discount', code: 'rule' }] });
    await expect(
      workspace.records.create('customer', { name: 'Acme 上海' }, SYSTEM_ACTOR),
    ).rejects.toMatchObject({
      kind: 'conflict',
      problems: [{ pointer: '/name', code: 'unique' }],
    });

    const updated = await workspace.records.update('opportunity', deal.id, { amount: 200 }, SYSTEM_ACTOR, {
      expectedVersion: 1,
    });
    expect(updated).toMatchObject({ amount: 200, net: 180, version: 2 });
    await expect(
      workspace.records.update('opportunity', deal.id, { amount: 300 }, SYSTEM_ACTOR, { expectedVersion: 1 }),
    ).rejects.toMatchObject({ kind: 'conflict' });

    const related = await workspace.records.related('customer', acme.id, 'opportunities', SYSTEM_ACTOR);
    expect(related.data.map((r) => r.id)).toEqual([deal.id]);
    const filtered = await workspace.records.list('opportunity', SYSTEM_ACTOR, {
      filter: {
        and: [
          { field: 'customer.level', op: 'eq', value: 'a' },
          { field: 'net', op: 'gt', value: 100 },
        ],
      },
      sort: '-amount',
    });
    expect(filtered.data.map((r) => r.id)).toEqual([deal.id]);

    const history = await workspace.records.history('opportunity', deal.id, SYSTEM_ACTOR);
    expect(history.map((h) => h.op)).toEqual(['update', 'create']);
    expect(history[0].changes.amount).toEqual({ from: 0.3, to: 200 });

    await expect(workspace.records.delete('customer', acme.id, SYSTEM_ACTOR)).rejects.toMatchObject({
      kind: 'conflict',
    });
  });

  it('renames, adds and archives fields with the plan shown first', async () => {
    const { workspace } = handle();
    const state = await workspace.definitions.get('customer');
    if (!state.published) throw new Error('customer is not published');
    const next = structuredClone(state.published);
    next.fields[0].name = 'company_name';
    next.titleField = 'company_name';
    next.fields = next.fields.filter((f) => f.name !== 'since');
    next.fields.push({
      id: 'f_phone',
      name: 'phone',
      type: 'phone',
      label: { en: 'Phone', 'zh-CN': '电话' },
    });
    await workspace.definitions.saveDraft(next);
    const preview = await workspace.definitions.preview(['customer']);
    expect(preview.problems).toEqual([]);
    expect(schemaSteps(preview.steps).map((s) => s.kind)).toEqual([
      'archiveColumn',
      'renameColumn',
      'addColumn',
    ]);
    await workspace.definitions.publish(['customer']);
    const list = await workspace.records.list('customer', SYSTEM_ACTOR);
    expect(list.data[0]).toMatchObject({ company_name: 'Acme 上海', phone: null });
    expect(list.data[0]).not.toHaveProperty('since');
  });

  it('refuses a definition with a typo in an expression, naming where', async () => {
    const { workspace } = handle();
    const bad = structuredClone(opportunity);
    bad.rules[0].expression = 'discont <= 30';
    await workspace.definitions.saveDraft(bad);
    const preview = await workspace.definitions.preview(['opportunity']);
    expect(preview.problems[0]).toMatchObject({ pointer: '/modules/opportunity/rules/0/expression' });
    await expect(workspace.definitions.publish(['opportunity'])).rejects.toBeInstanceOf(EngineError);
    await workspace.definitions.discardDraft('opportunity');
  });
});
