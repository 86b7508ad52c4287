// What the record form needs of the API: pickers for people and departments that every user may
// search, lookup targets in the form schema, and field conditions answered as field errors.
import { compileFormFormulas, createFieldTypeRegistry, type FormFormulas } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { apiClient, tokenFor } from '../../support/api.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { organisation } from '../../support/org.ts';

const company = {
  id: 'mod_fcompany',
  name: 'fcompany',
  label: { en: 'Company' },
  titleField: 'company_name',
  fields: [
    { id: 'fc_code', name: 'code', type: 'text', label: { en: 'Code' } },
    { id: 'fc_name', name: 'company_name', type: 'text', label: { en: 'Name' } },
  ],
};

const ticket = {
  id: 'mod_fticket',
  name: 'fticket',
  label: { en: 'Ticket', 'zh-CN': '工单' },
  fields: [
    { id: 'ft_title', name: 'title', type: 'text', label: { en: 'Title' }, required: true },
    {
      id: 'ft_company',
      name: 'company',
      type: 'relation',
      label: { en: 'Company' },
      target: 'mod_fcompany',
      inverse: { name: 'tickets', label: { en: 'Tickets', 'zh-CN': '工单' } },
    },
    { id: 'ft_urgent', name: 'urgent', type: 'boolean', label: { en: 'Urgent' } },
    {
      id: 'ft_reason',
      name: 'reason',
      type: 'text',
      label: { en: 'Reason', 'zh-CN': '原因' },
      requiredWhen: 'urgent = true',
    },
    {
      id: 'ft_lines',
      name: 'lines',
      type: 'subtable',
      label: { en: 'Lines' },
      fields: [
        {
          id: 'fl_company',
          name: 'supplier',
          type: 'relation',
          label: { en: 'Supplier' },
          target: 'mod_fcompany',
        },
        { id: 'fl_qty', name: 'qty', type: 'integer', label: { en: 'Qty' } },
      ],
    },
  ],
};

const order = {
  id: 'mod_forder',
  name: 'forder',
  label: { en: 'Order' },
  fields: [
    { id: 'fo_handler', name: 'handler', type: 'user', label: { en: 'Handler' }, defaultValue: 'owner' },
    { id: 'fo_priority', name: 'priority', type: 'integer', label: { en: 'Priority' }, defaultValue: '3' },
    { id: 'fo_note', name: 'note', type: 'text', label: { en: 'Note' }, defaultValue: '"n/a"' },
    {
      id: 'fo_lines',
      name: 'lines',
      type: 'subtable',
      label: { en: 'Lines' },
      fields: [
        { id: 'fol_qty', name: 'qty', type: 'integer', label: { en: 'Qty' }, defaultValue: '1' },
        { id: 'fol_price', name: 'price', type: 'money', label: { en: 'Price' }, currency: 'CNY' },
        {
          id: 'fol_amount',
          name: 'amount',
          type: 'formula',
          label: { en: 'Amount' },
          expression: 'qty * price',
          resultType: 'decimal',
        },
      ],
    },
    {
      id: 'fo_total',
      name: 'total',
      type: 'formula',
      label: { en: 'Total' },
      expression: 'sum(for l in lines return l.amount)',
      resultType: 'decimal',
    },
    {
      id: 'fo_count',
      name: 'count',
      type: 'formula',
      label: { en: 'By' },
      expression: 'owner',
      resultType: 'text',
    },
  ],
};

forEachDatabase('form support API', (handle) => {
  let userToken: string;
  let workerId: string;
  beforeAll(async () => {
    const { definitions } = handle().workspace;
    await definitions.saveDraft(company);
    await definitions.saveDraft(ticket);
    await definitions.saveDraft(order);
    await definitions.publish();
    const org = organisation(handle());
    const sales = await org.department('Sales East');
    await org.department('Finance');
    const worker = await org.user('li.na', { department: sales });
    workerId = worker.id;
    await org.role({
      id: 'forder_clerk',
      label: { en: 'Order clerk' },
      modules: { mod_forder: { read: 'own', create: 'all', fields: { note: 'none' } } },
    });
    await org.user('wang.left', { status: 'left' });
    userToken = await tokenFor(handle(), worker.id, ['records:read']);
  });

  it('lets any user with a records token search people and departments, leavers found only by id', async () => {
    const api = apiClient(handle(), { auth: { token: userToken } });
    const found = await api.get<{ data: { username: string; active: boolean }[] }>(
      '/api/org/directory/users?q=li.',
    );
    expect(found.status).toBe(200);
    expect(found.body.data.map((u) => u.username)).toEqual(['li.na']);
    const searchLeft = await api.get<{ data: unknown[] }>('/api/org/directory/users?q=wang');
    expect(searchLeft.body.data).toEqual([]);
    const all = await apiClient(handle()).get<{ data: { id: string; username: string }[] }>(
      '/api/org/directory/users?q=wang',
    );
    expect(all.body.data).toEqual([]);
    const leaver = (await handle().workspace.identity.users.findByUsername('wang.left'))?.id ?? '';
    const byId = await api.get<{ data: { username: string; active: boolean }[] }>(
      `/api/org/directory/users?ids=${leaver},not-a-uuid`,
    );
    expect(byId.body.data).toEqual([expect.objectContaining({ username: 'wang.left', active: false })]);
    const departments = await api.get<{ data: { name: { en: string } }[] }>(
      '/api/org/directory/departments?q=east',
    );
    expect(departments.body.data.map((d) => d.name.en)).toEqual(['Sales East']);
    // the rest of /api/org stays for admins
    expect((await api.get('/api/org/users')).status).toBe(403);
    const tooMany = await api.get(`/api/org/directory/users?ids=${Array(201).fill(leaver).join(',')}`);
    expect(tooMany.status).toBe(400);
  });

  it('names each relation target and its title field in the form schema, rows included', async () => {
    const form = await apiClient(handle()).get<{ uiSchema: Record<string, Record<string, unknown>> }>(
      '/api/meta/modules/fticket/schema?locale=en',
    );
    expect(form.body.uiSchema.company['ui:options']).toEqual({
      target: 'mod_fcompany',
      targetModule: 'fcompany',
      titleField: 'company_name',
    });
    const items = form.body.uiSchema.lines.items as Record<string, Record<string, unknown>>;
    expect(items['ui:order']).toEqual(['supplier', 'qty']);
    expect(items.supplier['ui:options']).toMatchObject({ targetModule: 'fcompany' });
    expect(form.body.uiSchema['ui:conditions']).toMatchObject({
      fields: { reason: { requiredWhen: 'urgent = true' } },
    });
  });

  it('lists the related lists of a module with the module and title field of their records', async () => {
    const form = await apiClient(handle()).get<{ related: unknown[]; titleField: string }>(
      '/api/meta/modules/fcompany/schema',
    );
    expect(form.body.titleField).toBe('company_name');
    expect(form.body.related).toEqual([
      {
        name: 'tickets',
        label: { en: 'Tickets', 'zh-CN': '工单' },
        module: 'fticket',
        titleField: 'title',
        field: 'company',
      },
    ]);
  });

  it('answers a condition-required field left empty with a problem at its pointer, in both languages', async () => {
    const api = apiClient(handle());
    const response = await api.post<{ errors: { pointer: string; messages: Record<string, string> }[] }>(
      '/api/modules/fticket/records',
      { title: 'Down', urgent: true },
    );
    expect(response.status).toBe(422);
    expect(response.body.errors).toMatchObject([
      { pointer: '/reason', messages: { en: 'is required', 'zh-CN': '必填' } },
    ]);
    const ok = await api.post('/api/modules/fticket/records', {
      title: 'Down',
      urgent: true,
      reason: 'outage',
    });
    expect(ok.status).toBe(201);
  });

  it('serves what a new record starts with for the caller: defaults (the caller as owner) and new rows', async () => {
    const admin = apiClient(handle());
    const adminId = (await admin.get<{ user: { id: string } }>('/api/auth/me')).body.user.id;
    const asAdmin = await admin.get<{ values: Record<string, unknown>; rows: Record<string, unknown> }>(
      '/api/modules/forder/defaults',
    );
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body).toEqual({
      values: { handler: adminId, priority: 3, note: 'n/a' },
      rows: { lines: { qty: 1 } },
    });
    // another user: they are the handler; a field they may not read is left out; no right to create, no defaults
    expect(
      (await apiClient(handle(), { auth: { token: userToken } }).get('/api/modules/forder/defaults')).status,
    ).toBe(403);
    await organisation(handle()).grant(
      { id: workerId, username: 'li.na', departmentId: null },
      'forder_clerk',
    );
    const asClerk = await apiClient(handle(), { auth: { token: userToken } }).get<{ values: unknown }>(
      '/api/modules/forder/defaults',
    );
    expect(asClerk.body.values).toEqual({ handler: workerId, priority: 3 });
  });

  it('carries what the form needs to compute formulas live, without what needs the server', async () => {
    const form = await apiClient(handle()).get<{ uiSchema: Record<string, unknown> }>(
      '/api/meta/modules/forder/schema?locale=en',
    );
    const formulas = form.body.uiSchema['ui:formulas'] as { fields: { name: string; fields?: unknown[] }[] };
    expect(formulas.fields.map((f) => f.name)).toEqual([
      'handler',
      'priority',
      'note',
      'lines',
      'total',
      'count',
    ]);
    const registry = createFieldTypeRegistry();
    const { names, compute } = compileFormFormulas(formulas as FormFormulas, registry);
    // `count` reads the owner, which only the server knows for a new record
    expect([...names].sort()).toEqual(['lines/amount', 'total']);
    const lines = [
      { qty: 3, price: { amount: 19.99, currency: 'CNY' } },
      { qty: 7, price: { amount: 0.1, currency: 'CNY' } },
    ];
    const values = compute({ lines });
    expect(values).toEqual({
      lines: [
        { ...lines[0], amount: 59.97 },
        { ...lines[1], amount: 0.7 },
      ],
      total: 60.67,
    });
    // a price being typed (no amount yet) counts as empty: no amount, and so no total
    expect(compute({ lines: [{ qty: 2, price: { currency: 'CNY' } }] })).toEqual({
      lines: [{ qty: 2, price: { currency: 'CNY' }, amount: undefined }],
      total: undefined,
    });
    const saved = await apiClient(handle()).post<{ total: number; lines: { amount: number }[] }>(
      '/api/modules/forder/records',
      { lines },
    );
    expect(saved.status).toBe(201);
    expect(saved.body.lines.map((l) => l.amount)).toEqual([59.97, 0.7]);
    expect(saved.body.total).toBe(values.total);
  });
});
