// Plugins loaded into the real app: the example plugin's field type (form schema and server), hooks
// in order that change and refuse writes, a failing plugin contained, routes, lifecycle and jobs.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Engine, SYSTEM_ACTOR } from '@crm/engine';
import uscc from '@crm/plugin-uscc';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiClient } from '../../support/api.ts';
import { bpmn, flows, xmlEscape } from '../../support/bpmn.ts';
import { testClock } from '../../support/clock.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { rawRows } from '../../support/sql.ts';
import {
  auditPlugin,
  companyModule,
  events,
  jobControl,
  logged,
  stampPlugin,
  suppliersPlugin,
} from './fixtures.ts';

const VALID = '91350100M000100Y43';
const OTHER = '91110000600037341L';
const clock = testClock(Date.parse('2026-05-04T08:00:00Z'));

interface Problem {
  type: string;
  detail: string;
  errors: { pointer: string; code: string; messages?: Record<string, string> }[];
}

/** A chat robot on loopback: answers each post with the next of `answers` (errcode 0 once they run out). */
const robot = {
  server: undefined as Server | undefined,
  url: '',
  posts: [] as { url: string; headers: IncomingMessage['headers']; body: Record<string, unknown> }[],
  answers: [] as { status: number; body: Record<string, unknown> }[],
};

beforeAll(async () => {
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      robot.posts.push({ url: req.url ?? '', headers: req.headers, body: JSON.parse(text) });
      const answer = robot.answers.shift() ?? { status: 200, body: { errcode: 0, errmsg: 'ok' } };
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  robot.server = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  robot.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/robot/send?access_token=t1`;
});
afterAll(() => new Promise<void>((resolve) => robot.server?.close(() => resolve())));

forEachDatabase(
  'plugins',
  (handle) => {
    const api = () => apiClient(handle());

    it('installs each plugin once, with its migrations recorded per version, and lists them', async () => {
      const { workspace } = handle();
      const migrations = await rawRows(
        handle().engine,
        `SELECT plugin, id, plugin_version FROM ${workspace.schema}._plugin_migrations`,
      );
      expect(migrations).toEqual([{ plugin: 'audit', id: '001-entries', plugin_version: '1.0.0' }]);
      const listed = await api().get<{ data: { name: string; state: string; contributes: unknown }[] }>(
        '/api/admin/plugins',
      );
      expect(listed.status).toBe(200);
      expect(listed.body.data.map((p) => [p.name, p.state])).toEqual([
        ['uscc', 'enabled'],
        ['audit', 'enabled'],
        ['stamp', 'enabled'],
        ['suppliers', 'enabled'],
      ]);
      expect(listed.body.data[0]?.contributes).toMatchObject({
        fieldTypes: ['uscc'],
        actions: ['chat-notify'],
        routes: true,
      });
      // the module the suppliers plugin ships was imported at install, with the uscc field type
      const supplier = await api().post<Problem>('/api/modules/supplier/records', {
        title: 'Bad',
        code: '91350100M000100Y44',
      });
      expect(supplier.status).toBe(422);
      expect(supplier.body.errors[0]?.pointer).toBe('/code');
      expect((await api().post('/api/modules/supplier/records', { title: 'Good', code: VALID })).status).toBe(
        201,
      );
      expect((await api().post('/api/meta/modules', companyModule)).status).toBe(201);
      expect((await api().post('/api/meta/publish', {})).status).toBe(200);
    });

    it('serves the plugin field type in the form schema and checks its check character on the server', async () => {
      const schema = await api().get<{
        jsonSchema: { properties: Record<string, Record<string, unknown>> };
        uiSchema: Record<string, Record<string, unknown>>;
      }>('/api/meta/modules/company/schema?locale=zh-CN');
      expect(schema.status).toBe(200);
      expect(schema.body.jsonSchema.properties.code).toMatchObject({
        type: 'string',
        minLength: 18,
        maxLength: 18,
      });
      expect(new RegExp(String(schema.body.jsonSchema.properties.code?.pattern)).test(VALID)).toBe(true);
      expect(schema.body.uiSchema.code?.['ui:widget']).toBe('uscc');
      const types =
        await api().get<{ type: string; widget: string; cell: string | null; label: unknown }[]>(
          '/api/meta/field-types',
        );
      expect(types.body.find((t) => t.type === 'uscc')).toMatchObject({
        widget: 'uscc',
        cell: 'uscc',
        label: { en: 'Unified social credit code', 'zh-CN': '统一社会信用代码' },
      });
      expect(types.body.find((t) => t.type === 'text')?.cell).toBeNull();

      const created = await api().post<{ id: string; code: string }>('/api/modules/company/records', {
        name: 'Fuzhou Lighting',
        code: VALID,
      });
      expect(created.status).toBe(201);
      expect(created.body.code).toBe(VALID);

      const wrongCheck = await api().post<Problem>('/api/modules/company/records', {
        name: 'Typo Ltd',
        code: '91350100M000100Y44',
      });
      expect(wrongCheck.status).toBe(422);
      expect(wrongCheck.body.errors).toEqual([
        expect.objectContaining({
          pointer: '/code',
          code: 'uscc-check',
          messages: expect.objectContaining({ 'zh-CN': '不是有效的统一社会信用代码（校验码不符）' }),
        }),
      ]);
      const wrongShape = await api().post<Problem>('/api/modules/company/records', {
        name: 'Shape Ltd',
        code: '91350100M000100YO3',
      });
      expect(wrongShape.status).toBe(422);
      expect(wrongShape.body.errors[0]?.pointer).toBe('/code');
      const count = await rawRows(
        handle().engine,
        `SELECT count(*)::int AS n FROM ${handle().workspace.schema}.company`,
      );
      expect(count).toEqual([{ n: 1 }]);
    });

    it('runs before hooks in configuration order, each seeing the last one’s values, then after hooks', async () => {
      events.length = 0;
      const created = await api().post<{ id: string; name: string; note: string }>(
        '/api/modules/company/records',
        { name: '  Xiamen Port  ', code: OTHER },
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'Xiamen Port', note: 'stamped' });
      expect(events).toEqual([
        'audit:beforeCreate:company:  Xiamen Port  ',
        'stamp:beforeCreate:company:Xiamen Port',
        'audit:afterCreate:company:Xiamen Port',
      ]);
      // the after hook wrote to the plugin's own table
      const entries = await rawRows(
        handle().engine,
        `SELECT event, record_id FROM ${handle().workspace.schema}.audit_entries WHERE record_id = '${created.body.id}'`,
      );
      expect(entries).toEqual([{ event: 'create', record_id: created.body.id }]);

      events.length = 0;
      const updated = await api().patch<{ note: string; version: number }>(
        `/api/modules/company/records/${created.body.id}`,
        { note: 'hello' },
      );
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ note: 'hello (checked)', version: 2 });
      expect(events).toEqual([
        'audit:beforeUpdate:company:Xiamen Port',
        'audit:afterUpdate:company:Xiamen Port',
      ]);

      events.length = 0;
      expect((await api().delete(`/api/modules/company/records/${created.body.id}`)).status).toBe(204);
      expect(events).toEqual([
        'audit:beforeDelete:company:Xiamen Port',
        'audit:afterDelete:company:Xiamen Port',
      ]);
    });

    it('refuses a write a before hook rejects, naming the field in both languages, and writes nothing', async () => {
      const schema = handle().workspace.schema;
      const before = await rawRows(handle().engine, `SELECT count(*)::int AS n FROM ${schema}.company`);
      const refused = await api().post<Problem>('/api/modules/company/records', { name: 'Forbidden Ltd' });
      expect(refused.status).toBe(422);
      expect(refused.body.errors).toEqual([
        {
          pointer: '/name',
          code: 'blocked',
          detail: 'this company is blocked',
          messages: { en: 'this company is blocked', 'zh-CN': '该公司已被禁止' },
        },
      ]);
      const kept = await api().post<{ id: string }>('/api/modules/company/records', {
        name: 'Kept Co',
        note: 'keep',
      });
      const deleting = await api().delete<Problem>(`/api/modules/company/records/${kept.body.id}`);
      expect(deleting.status).toBe(422);
      expect(deleting.body.errors[0]).toMatchObject({ pointer: '/note', code: 'kept' });
      expect((await api().get(`/api/modules/company/records/${kept.body.id}`)).status).toBe(200);
      const after = await rawRows(handle().engine, `SELECT count(*)::int AS n FROM ${schema}.company`);
      expect(after[0]?.n).toBe(Number(before[0]?.n) + 1);
    });

    it('contains a plugin that throws: a clear problem, a log line, its last error, nothing written, the server serving', async () => {
      const schema = handle().workspace.schema;
      const before = await rawRows(handle().engine, `SELECT count(*)::int AS n FROM ${schema}.company`);
      logged.length = 0;
      const failed = await api().post<Problem>('/api/modules/company/records', { name: 'boom' });
      expect(failed.status).toBe(500);
      expect(failed.body.type).toBe('urn:crm:problem:plugin-failed');
      expect(failed.body.detail).toBe(
        "plugin 'audit' failed in beforeCreate on company: the audit service is down",
      );
      expect(logged.some((line) => line.includes('[plugin audit] beforeCreate on company failed'))).toBe(
        true,
      );
      const shape = await api().post<Problem>('/api/modules/company/records', { name: 'bad shape' });
      expect(shape.status).toBe(500);
      expect(shape.body.detail).toContain('must return the values');
      expect(await rawRows(handle().engine, `SELECT count(*)::int AS n FROM ${schema}.company`)).toEqual(
        before,
      );

      // an after hook's failure does not undo the committed write; it is logged and kept
      const after = await api().post<{ id: string }>('/api/modules/company/records', { name: 'after-boom' });
      expect(after.status).toBe(201);
      expect((await api().get(`/api/modules/company/records/${after.body.id}`)).status).toBe(200);
      const status = await api().get<{ lastError: { message: string } }>('/api/admin/plugins/audit');
      expect(status.body.lastError?.message).toBe('afterCreate on company: could not write the audit entry');

      expect((await api().get('/api/health')).status).toBe(200);
      expect((await api().post('/api/modules/company/records', { name: 'Calm Co' })).status).toBe(201);
    });

    it('mounts routes under /api/plugins/{name} with the caller, and contains a route that throws', async () => {
      const checked = await api().get<{ valid: boolean; expectedCheckCharacter?: string }>(
        '/api/plugins/uscc/check/91350100m000100y44',
      );
      expect(checked.status).toBe(200);
      expect(checked.body).toEqual({ code: '91350100M000100Y44', valid: false, expectedCheckCharacter: '3' });
      const who = await api().get<{ userId: string; plugin: string }>('/api/plugins/audit/whoami');
      expect(who.body.plugin).toBe('audit');
      expect(who.body.userId).toMatch(/^[0-9a-f-]{36}$/);
      const companies = await api().get<{ names: string[] }>('/api/plugins/audit/companies');
      expect(companies.body.names).toContain('Calm Co');
      expect((await apiClient(handle(), { auth: 'none' }).get('/api/plugins/audit/whoami')).status).toBe(401);
      const boom = await api().get<Problem>('/api/plugins/audit/boom');
      expect(boom.status).toBe(500);
      expect(boom.body.detail).toBe(
        "plugin 'audit' failed in route GET /api/plugins/audit/boom: route exploded",
      );
      expect((await api().get('/api/plugins/audit/nothing-here')).status).toBe(404);
    });

    it('disables and enables a plugin: its hooks and routes stop and come back', async () => {
      const disabled = await api().post<{ state: string }>('/api/admin/plugins/stamp/disable');
      expect(disabled.body.state).toBe('disabled');
      events.length = 0;
      const plain = await api().post<{ note: string | null }>('/api/modules/company/records', {
        name: 'Plain Co',
      });
      expect(plain.body.note).toBeNull();
      expect(events.some((e) => e.startsWith('stamp:'))).toBe(false);
      // disabling twice changes nothing
      expect((await api().post<{ state: string }>('/api/admin/plugins/stamp/disable')).body.state).toBe(
        'disabled',
      );
      expect((await api().post('/api/admin/plugins/stamp/enable')).status).toBe(200);
      const stamped = await api().post<{ note: string }>('/api/modules/company/records', {
        name: 'Stamped Co',
      });
      expect(stamped.body.note).toBe('stamped');

      await api().post('/api/admin/plugins/uscc/disable');
      expect((await api().get('/api/plugins/uscc/check/x')).status).toBe(404);
      // the field type stays: records holding its values keep working
      expect(
        (await api().post('/api/modules/company/records', { name: 'Code Co', code: '911100007109310534' }))
          .status,
      ).toBe(201);
      await api().post('/api/admin/plugins/uscc/enable');
      expect((await api().get(`/api/plugins/uscc/check/${VALID}`)).status).toBe(200);
      expect((await apiClient(handle(), { auth: 'none' }).get('/api/admin/plugins')).status).toBe(401);
    });

    it('runs the chat action inside a workflow against a robot on loopback, retrying a refusal', async () => {
      const wf = handle().workspace.workflows;
      robot.posts.length = 0;
      robot.answers.push({ status: 200, body: { errcode: 310000, errmsg: 'keywords not in content' } });
      const headers = `<zeebe:taskHeaders><zeebe:header key="webhook" value="${xmlEscape(robot.url)}"/><zeebe:header key="secret" value="SEC123"/></zeebe:taskHeaders>`;
      const inputs = `<zeebe:ioMapping><zeebe:input source="=&quot;新客户：&quot; + name" target="text"/></zeebe:ioMapping>`;
      await wf.deploy(
        bpmn(
          'welcome',
          `<bpmn:startEvent id="s"/>
           <bpmn:serviceTask id="notify"><bpmn:extensionElements><zeebe:taskDefinition type="chat-notify" retries="3"/>${headers}${inputs}</bpmn:extensionElements></bpmn:serviceTask>
           <bpmn:endEvent id="e"/>
           ${flows(['a', 's', 'notify'], ['b', 'notify', 'e'])}`,
        ),
        SYSTEM_ACTOR,
      );
      // the modeler's palette shows the plugin's action with its inputs and outputs
      const palette =
        await api().get<{ type: string; label: unknown; inputs: { name: string }[] }[]>(
          '/api/workflows/actions',
        );
      expect(palette.body.find((a) => a.type === 'chat-notify')).toMatchObject({
        mode: 'job',
        label: { en: 'Notify a chat group', 'zh-CN': '发送群机器人消息' },
        inputs: [{ name: 'text', required: true }],
        headers: [{ name: 'webhook', required: true }, { name: 'flavor' }, { name: 'secret' }],
        outputs: [{ name: 'chatStatus' }],
      });
      const instance = await wf.start('welcome', { variables: { name: '厦门港务' } }, SYSTEM_ACTOR);
      await wf.runDueWork();
      expect(robot.posts).toHaveLength(1);
      expect((await wf.queries.instance(instance.id)).state).toBe('active');
      clock.advance(10_000);
      await wf.runDueWork();
      expect(robot.posts).toHaveLength(2);
      const done = await wf.queries.instance(instance.id);
      expect(done.state).toBe('completed');
      expect(done.variables).toMatchObject({ chatStatus: 200 });
      const [first, second] = robot.posts;
      expect(second?.body).toEqual({ msgtype: 'text', text: { content: '新客户：厦门港务' } });
      // DingTalk signing: timestamp and sign in the query; the same idempotency key on every attempt
      const query = new URL(second?.url ?? '', 'http://x').searchParams;
      expect(query.get('access_token')).toBe('t1');
      expect(query.get('timestamp')).toBe(String(clock.now().getTime()));
      expect(query.get('sign')).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(first?.headers['idempotency-key']).toBe(second?.headers['idempotency-key']);
    });

    it('runs a job once per due time, across two runners, and keeps its failure', async () => {
      const plugins = handle().workspace.plugins;
      events.length = 0;
      expect((await plugins.runDueJobs()).ran).toEqual([]);
      clock.advance(3_600_000);
      const [a, b] = await Promise.all([plugins.runDueJobs(), plugins.runDueJobs()]);
      expect([...a.ran, ...b.ran]).toEqual(['audit/count']);
      expect(events.filter((e) => e.startsWith('audit:job:'))).toHaveLength(1);
      jobControl.fail = true;
      clock.advance(3_600_000);
      expect((await plugins.runDueJobs()).failed).toEqual(['audit/count']);
      jobControl.fail = false;
      expect(plugins.status('audit').lastError?.message).toBe('job count: the count failed');
    });

    it('uninstalls keeping the data unless asked to purge, and installs again', async () => {
      const schema = handle().workspace.schema;
      const kept = await api().delete<{ state: string }>('/api/admin/plugins/audit');
      expect(kept.body.state).toBe('uninstalled');
      events.length = 0;
      await api().post('/api/modules/company/records', { name: 'After Uninstall' });
      expect(events.some((e) => e.startsWith('audit:'))).toBe(false);
      expect((await api().get('/api/plugins/audit/whoami')).status).toBe(404);
      const enabling = await api().post<Problem>('/api/admin/plugins/audit/enable');
      expect(enabling.status).toBe(409);
      expect(enabling.body.errors[0]?.messages?.['zh-CN']).toBe('插件“audit”当前状态不允许此操作');
      expect(
        await rawRows(
          handle().engine,
          `SELECT to_regclass('${schema}.audit_entries') IS NOT NULL AS present`,
        ),
      ).toEqual([{ present: true }]);
      expect((await api().post('/api/admin/plugins/audit/install')).status).toBe(200);
      expect((await api().delete('/api/admin/plugins/audit?purge=true')).status).toBe(200);
      expect(
        await rawRows(
          handle().engine,
          `SELECT to_regclass('${schema}.audit_entries') IS NOT NULL AS present`,
        ),
      ).toEqual([{ present: false }]);
      expect(
        await rawRows(handle().engine, `SELECT * FROM ${schema}._plugin_migrations WHERE plugin = 'audit'`),
      ).toEqual([]);
      // installing again runs the migrations again
      const again = await api().post<{ state: string }>('/api/admin/plugins/audit/install');
      expect(again.body.state).toBe('enabled');
      expect(
        await rawRows(
          handle().engine,
          `SELECT to_regclass('${schema}.audit_entries') IS NOT NULL AS present`,
        ),
      ).toEqual([{ present: true }]);
    });

    it('upgrades a plugin on a second server: new migrations only, state kept and followed across servers', async () => {
      const { engine, workspace } = handle();
      await api().post('/api/admin/plugins/stamp/disable');
      const auditV2 = {
        ...auditPlugin,
        version: '1.1.0',
        migrations: [
          ...auditPlugin.migrations,
          { id: '002-kind', statements: ['ALTER TABLE {{schema}}.audit_entries ADD COLUMN kind text'] },
        ],
      };
      // another server of the same database, running the new version
      const other = await Engine.open({
        db: engine.db,
        plugins: [uscc, auditV2, stampPlugin, suppliersPlugin],
      });
      const otherWorkspace = await other.workspace('default');
      expect(
        await rawRows(
          engine,
          `SELECT id, plugin_version FROM ${workspace.schema}._plugin_migrations WHERE plugin = 'audit' ORDER BY id`,
        ),
      ).toEqual([
        { id: '001-entries', plugin_version: '1.0.0' },
        { id: '002-kind', plugin_version: '1.1.0' },
      ]);
      expect(otherWorkspace.plugins.status('audit')).toMatchObject({
        installedVersion: '1.1.0',
        state: 'enabled',
      });
      expect(otherWorkspace.plugins.status('stamp').state).toBe('disabled');
      // enabling on the first server reaches the second through NOTIFY
      await api().post('/api/admin/plugins/stamp/enable');
      await expect.poll(() => otherWorkspace.plugins.isEnabled('stamp')).toBe(true);
    });
  },
  {
    plugins: [uscc, auditPlugin, stampPlugin, suppliersPlugin],
    pluginLog: (line) => logged.push(line),
    clock: clock.now,
    workflow: { clock: clock.now },
    // the chat robot listens on loopback, which the server refuses to call unless allowed
    outbound: { allowPrivate: true },
  },
);
