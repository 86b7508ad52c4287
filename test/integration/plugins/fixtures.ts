// Plugins the plugin suites load besides the example (uscc): one that hooks records, keeps its own
// table, runs a job and serves routes, and one whose hooks run after it (to see the order).
import { definePlugin, fieldError, type StoredRecord } from '@crm/sdk';

/** What the hooks saw, in order: `plugin:hook:module:name`. */
export const events: string[] = [];
/** What plugin code logged (failures included). */
export const logged: string[] = [];
/** Set to make the next job run fail. */
export const jobControl = { fail: false };

export const companyModule = {
  id: 'mod_company',
  name: 'company',
  label: { en: 'Company', 'zh-CN': '公司' },
  fields: [
    { id: 'f_name', name: 'name', type: 'text', label: { en: 'Name', 'zh-CN': '名称' }, required: true },
    {
      id: 'f_code',
      name: 'code',
      type: 'uscc',
      label: { en: 'Credit code', 'zh-CN': '统一社会信用代码' },
      unique: true,
    },
    { id: 'f_note', name: 'note', type: 'text', label: { en: 'Note', 'zh-CN': '备注' } },
  ],
};

const name = (values: Record<string, unknown>) => String(values.name ?? '');

export const auditPlugin = definePlugin({
  name: 'audit',
  version: '1.0.0',
  label: { en: 'Audit', 'zh-CN': '审计' },
  migrations: [
    {
      id: '001-entries',
      statements: [
        'CREATE TABLE {{schema}}.audit_entries (id serial PRIMARY KEY, event text NOT NULL, record_id uuid NOT NULL)',
      ],
    },
  ],
  purge: ['DROP TABLE {{schema}}.audit_entries'],
  hooks: [
    {
      module: 'company',
      beforeCreate(values, ctx) {
        events.push(`audit:beforeCreate:${ctx.module.name}:${name(values)}`);
        if (values.name === 'boom') throw new Error('the audit service is down');
        if (values.name === 'Forbidden Ltd') {
          throw fieldError('name', 'blocked', { en: 'this company is blocked', 'zh-CN': '该公司已被禁止' });
        }
        if (values.name === 'bad shape') return 'not values' as unknown as Record<string, unknown>;
        // trims the name: what the next hook and the record get
        return { ...values, name: name(values).trim() };
      },
      async afterCreate(record, ctx) {
        events.push(`audit:afterCreate:${ctx.module.name}:${record.name}`);
        if (record.name === 'after-boom') throw new Error('could not write the audit entry');
        await ctx.query`INSERT INTO ${ctx.table('audit_entries')} (event, record_id) VALUES ('create', ${record.id})`;
      },
      beforeUpdate(patch, ctx) {
        events.push(`audit:beforeUpdate:${ctx.module.name}:${ctx.current.name}`);
        return 'note' in patch ? { ...patch, note: `${String(patch.note)} (checked)` } : undefined;
      },
      afterUpdate(record, ctx) {
        events.push(`audit:afterUpdate:${ctx.module.name}:${record.name}`);
      },
      beforeDelete(record: StoredRecord, ctx) {
        events.push(`audit:beforeDelete:${ctx.module.name}:${record.name}`);
        if (record.note === 'keep') {
          throw fieldError('note', 'kept', { en: 'this company must be kept', 'zh-CN': '该公司不可删除' });
        }
      },
      afterDelete(record, ctx) {
        events.push(`audit:afterDelete:${ctx.module.name}:${record.name}`);
      },
    },
  ],
  jobs: [
    {
      name: 'count',
      every: 'PT1H',
      async run(ctx) {
        if (jobControl.fail) throw new Error('the count failed');
        const [row] = await ctx.query<{
          n: number;
        }>`SELECT count(*)::int AS n FROM ${ctx.table('audit_entries')}`;
        events.push(`audit:job:${row?.n}`);
      },
    },
  ],
  routes(app) {
    app.get('/whoami', (c) => c.json({ userId: c.var.actor.userId, plugin: c.var.plugin.plugin }));
    app.get('/companies', async (c) => {
      const page = await c.var.plugin.workspace.records.list('company', c.var.actor);
      return c.json({ names: page.data.map((r) => r.name) });
    });
    app.get('/boom', () => {
      throw new Error('route exploded');
    });
  },
});

export const stampPlugin = definePlugin({
  name: 'stamp',
  version: '1.0.0',
  hooks: [
    {
      module: '*',
      beforeCreate(values, ctx) {
        events.push(`stamp:beforeCreate:${ctx.module.name}:${name(values)}`);
        const hasNote = ctx.module.fields.some((field) => field.name === 'note');
        return hasNote && values.note === undefined ? { ...values, note: 'stamped' } : undefined;
      },
    },
  ],
});

/** A plugin shipping a module (an app package) that uses the example plugin's field type. */
export const suppliersPlugin = definePlugin({
  name: 'suppliers',
  version: '1.0.0',
  definitions: {
    'crm-package.json': JSON.stringify({
      format: 1,
      name: 'suppliers',
      version: '1.0.0',
      label: { en: 'Suppliers', 'zh-CN': '供应商' },
    }),
    'modules/supplier.json': JSON.stringify({
      id: 'mod_supplier',
      name: 'supplier',
      label: { en: 'Supplier', 'zh-CN': '供应商' },
      fields: [
        {
          id: 'f_title',
          name: 'title',
          type: 'text',
          label: { en: 'Title', 'zh-CN': '名称' },
          required: true,
        },
        {
          id: 'f_code',
          name: 'code',
          type: 'uscc',
          label: { en: 'Credit code', 'zh-CN': '统一社会信用代码' },
        },
      ],
    }),
  },
});
