// What the record form needs of the API: pickers for people and departments that every user may
// search, lookup targets in the form schema, and field conditions answered as field errors.
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

forEachDatabase('form support API', (handle) => {
  let userToken: string;
  beforeAll(async () => {
    const { definitions } = handle().workspace;
    await definitions.saveDraft(company);
    await definitions.saveDraft(ticket);
    await definitions.publish();
    const org = organisation(handle());
    const sales = await org.department('Sales East');
    await org.department('Finance');
    const worker = await org.user('li.na', { department: sales });
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
});
