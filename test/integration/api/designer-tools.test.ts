// The designer's server tooling through the REST API: the publish plan in words, version diffs and
// roll back through the normal publish, module archive, FEEL check / completions / try-it, the
// workflow action palette and the lint that runs the deploy checks without deploying.
import type { ModuleDefinition } from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectProblem, tokenFor } from '../../support/api.ts';
import { bpmn, flows } from '../../support/bpmn.ts';
import { forEachDatabase } from '../../support/engines.ts';

interface Sentence {
  module: string;
  kind: string;
  field?: string;
  text: { en: string; 'zh-CN': string };
  warning?: boolean;
}
interface PreviewBody {
  summary: Sentence[];
  problems: { code: string }[];
}

const label = (en: string, zh: string) => ({ en, 'zh-CN': zh });

const client: ModuleDefinition = {
  id: 'mod_dt_client',
  name: 'client',
  label: label('Client', '客户'),
  fields: [
    { id: 'c_name', name: 'cust_name', type: 'text', label: label('Customer name', '客户名') },
    { id: 'c_amount', name: 'amount', type: 'text', label: label('Amount', '金额') },
    { id: 'c_old', name: 'legacy', type: 'text', label: label('Legacy code', '旧编码') },
    { id: 'c_score', name: 'score', type: 'integer', label: label('Score', '评分') },
  ],
};

forEachDatabase('REST API designer tooling', (handle) => {
  let api: ApiClient;
  let userApi: ApiClient;
  const ids: string[] = [];

  beforeAll(async () => {
    api = apiClient(handle());
    expect((await api.post('/api/meta/modules', client)).status).toBe(201);
    expect((await api.post('/api/meta/publish', { modules: ['client'] })).status).toBe(200);
    for (const [name, amount] of [
      ['华东精密', '1200'],
      ['Acme', 'abc'],
      ['Beta', 'n/a'],
      ['Gamma', '17.5'],
    ]) {
      const created = await api.post<{ id: string }>('/api/modules/client/records', {
        cust_name: name,
        amount,
        score: 3,
      });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    const user = await handle().workspace.identity.users.create({
      username: 'designer_user',
      password: 'Plain-passw0rd',
      displayName: 'Plain user',
    });
    userApi = apiClient(handle(), { auth: { token: await tokenFor(handle(), user.id) } });
  });

  describe('the publish plan in words', () => {
    it('tells adds, renames, archives and lossy conversions with labels and sample values', async () => {
      const draft = structuredClone(client);
      draft.fields = [
        { ...draft.fields[0], name: 'customer_name', label: label('Customer full name', '客户名称') },
        { ...draft.fields[1], type: 'money', currency: 'CNY' },
        draft.fields[3],
        { id: 'c_phone', name: 'phone', type: 'text', label: label('Phone', '电话') },
      ];
      expect((await api.put('/api/meta/modules/client/draft', draft)).status).toBe(200);
      const preview = await api.post<PreviewBody>('/api/meta/publish/preview', { modules: ['client'] });
      expect(preview.status).toBe(200);
      const byKind = (kind: string) => preview.body.summary.filter((s) => s.kind === kind);

      expect(byKind('addField')).toEqual([
        expect.objectContaining({
          field: 'phone',
          text: { en: 'Add column Phone (phone) (Text)', 'zh-CN': '新增字段 电话 (phone)（单行文本）' },
        }),
      ]);
      expect(byKind('renameField')[0]?.text['zh-CN']).toBe(
        '重命名 客户名 → 客户名称（列 cust_name → customer_name），数据保持不变',
      );
      expect(byKind('archiveField')[0]?.text.en).toContain('Archive column Legacy code (legacy)');
      const convert = byKind('convertField')[0];
      expect(convert?.warning).toBe(true);
      expect(convert?.text.en).toBe(
        "Convert Amount (amount) Text → Money: 2 values would not convert and would become empty, e.g. 'abc', 'n/a'. The old values are kept until purged",
      );
      expect(convert?.text['zh-CN']).toContain("2 个值无法转换，将变为空值，例如 'abc', 'n/a'");
      // a refused publish (loss not confirmed) still tells its plan
      expect(preview.body.problems.map((p) => p.code)).toContain('data-loss');
      // steps that only serve others are not told
      expect(preview.body.summary.map((s) => s.kind)).not.toContain('dropConstraint');
      expect((await api.delete('/api/meta/modules/client/draft')).status).toBe(204);
    });

    it('says a conversion loses nothing when every value converts', async () => {
      const draft = structuredClone(client);
      draft.fields[3] = { ...draft.fields[3], type: 'text' };
      await api.put('/api/meta/modules/client/draft', draft);
      const preview = await api.post<PreviewBody>('/api/meta/publish/preview', { modules: ['client'] });
      const change = preview.body.summary.find((s) => s.field === 'score');
      expect(change?.warning).toBeUndefined();
      expect(change?.text.en).toMatch(/^(Change|Convert) Score \(score\)/);
      await api.delete('/api/meta/modules/client/draft');
    });
  });

  describe('versions: diff and roll back', () => {
    it('diffs two versions and rolls back through the normal publish', async () => {
      const v2 = structuredClone(client);
      v2.fields = [
        ...v2.fields.filter((f) => f.id !== 'c_old'),
        { id: 'c_mail', name: 'mail', type: 'email', label: label('Mail', '邮箱') },
      ];
      v2.rules = [
        {
          id: 'r_score',
          expression: 'score = null or score >= 0',
          message: label('No negative', '不能为负'),
        },
      ];
      await api.put('/api/meta/modules/client/draft', v2);
      expect((await api.post('/api/meta/publish', { modules: ['client'] })).status).toBe(200);

      const diff = await api.get<{ changes: { part: string; change: string; name?: string }[] }>(
        '/api/meta/modules/client/diff?from=1&to=2',
      );
      expect(diff.status).toBe(200);
      expect(diff.body.changes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ part: 'field', change: 'added', name: 'mail' }),
          expect.objectContaining({ part: 'field', change: 'removed', name: 'legacy' }),
          expect.objectContaining({ part: 'rule', change: 'added', name: 'r_score' }),
        ]),
      );
      expectProblem(await api.get('/api/meta/modules/client/diff?from=1&to=draft'), 404);
      expectProblem(await api.get('/api/meta/modules/client/diff?from=one&to=2'), 400, ['/from']);
      expectProblem(await api.get('/api/meta/modules/client/diff?from=1&to=9'), 404);

      // roll back to version 1: its definition becomes the draft, the preview tells what happens
      const restored = await api.post<{ draft: ModuleDefinition }>(
        '/api/meta/modules/client/versions/1/restore',
      );
      expect(restored.status).toBe(200);
      expect(restored.body.draft.fields.map((f) => f.name)).toEqual([
        'cust_name',
        'amount',
        'legacy',
        'score',
      ]);
      const preview = await api.post<PreviewBody>('/api/meta/publish/preview', { modules: ['client'] });
      expect(preview.body.summary.map((s) => `${s.kind} ${s.field ?? ''}`)).toEqual(
        expect.arrayContaining(['addField legacy', 'archiveField mail']),
      );
      const published = await api.post<{ modules: { toVersion: number }[] }>('/api/meta/publish', {
        modules: ['client'],
      });
      expect(published.body.modules[0]?.toVersion).toBe(3);
      const back = await api.get<{ changes: unknown[] }>('/api/meta/modules/client/diff?from=1&to=3');
      expect(back.body.changes).toEqual([]);
      expectProblem(await userApi.post('/api/meta/modules/client/versions/1/restore'), 403);
    });
  });

  describe('module archive', () => {
    it('archives a module (its records leave the API) and brings it back; refused while referenced', async () => {
      await api.post('/api/meta/modules', {
        id: 'mod_dt_visit',
        name: 'visit',
        label: label('Visit', '拜访'),
        fields: [
          { name: 'client', type: 'relation', label: label('Client', '客户'), target: 'mod_dt_client' },
        ],
      });
      expect((await api.post('/api/meta/publish', { modules: ['visit'] })).status).toBe(200);
      const refused = expectProblem(
        await api.put('/api/meta/modules/client/archived', { archived: true }),
        409,
      );
      expect(refused.errors[0]?.messages?.['zh-CN']).toContain('visit');
      expect((await api.get('/api/modules/client/records')).status).toBe(200);

      const archived = await api.put<{ archived: boolean }>('/api/meta/modules/visit/archived', {
        archived: true,
      });
      expect(archived.body.archived).toBe(true);
      expectProblem(await api.get('/api/modules/visit/records'), 404);
      const back = await api.put<{ archived: boolean }>('/api/meta/modules/visit/archived', {
        archived: false,
      });
      expect(back.body.archived).toBe(false);
      expect((await api.get('/api/modules/visit/records')).status).toBe(200);
      expectProblem(await api.put('/api/meta/modules/visit/archived', { archived: 'yes' }), 422, [
        '/archived',
      ]);
      expectProblem(await userApi.put('/api/meta/modules/visit/archived', { archived: true }), 403);
    });
  });

  describe('FEEL tooling', () => {
    it('checks an expression: syntax errors with positions, unknown names, the result type', async () => {
      const ok = await api.post('/api/meta/feel/check', {
        module: 'client',
        expression: 'score > 2 and cust_name != null',
      });
      expect(ok.body).toEqual({ valid: true, problems: [], resultType: 'boolean' });
      const typed = await api.post('/api/meta/feel/check', { module: 'client', expression: 'score * 2' });
      expect(typed.body).toMatchObject({ valid: true, resultType: 'number' });
      const unknown = await api.post<{ problems: { kind: string; from: number; to: number }[] }>(
        '/api/meta/feel/check',
        { module: 'client', expression: 'scor + 1' },
      );
      expect(unknown.body.problems).toEqual([
        expect.objectContaining({ kind: 'unknown-variable', from: 0, to: 4 }),
      ]);
      const syntax = await api.post<{ valid: boolean; problems: { kind: string; from: number }[] }>(
        '/api/meta/feel/check',
        { module: 'client', expression: 'score > ' },
      );
      expect(syntax.body.valid).toBe(false);
      expect(syntax.body.problems[0]).toMatchObject({ kind: 'syntax', from: 8 });
      // against the designer's unsaved definition, and a formula cannot read itself
      const unsaved = structuredClone(client);
      unsaved.fields.push({
        id: 'c_total',
        name: 'total',
        type: 'formula',
        label: label('Total', '合计'),
        expression: 'score',
        resultType: 'number',
      });
      const own = await api.post<{ problems: { kind: string }[] }>('/api/meta/feel/check', {
        definition: unsaved,
        field: 'total',
        expression: 'total + score',
      });
      expect(own.status, JSON.stringify(own.body)).toBe(200);
      expect(own.body.problems.map((p) => p.kind)).toEqual(['unknown-variable']);
      expectProblem(await api.post('/api/meta/feel/check', { module: 'client', expression: 3 }), 422, [
        '/expression',
      ]);
      expectProblem(
        await api.post('/api/meta/feel/check', { definition: { name: 'x' }, expression: '1' }),
        422,
      );
      expectProblem(await api.post('/api/meta/feel/check', { module: 'nope', expression: '1' }), 404);
      expectProblem(await userApi.post('/api/meta/feel/check', { module: 'client', expression: '1' }), 403);
    });

    it('lists completions: fields with types and labels, system fields and functions', async () => {
      const list = await api.get<
        { name: string; kind: string; feelType?: string; label?: { 'zh-CN'?: string } }[]
      >('/api/meta/feel/completions?module=client');
      expect(list.status).toBe(200);
      expect(list.body).toContainEqual(
        expect.objectContaining({ name: 'score', kind: 'field', feelType: 'number', fieldType: 'integer' }),
      );
      expect(list.body.find((c) => c.name === 'cust_name')?.label?.['zh-CN']).toBe('客户名');
      expect(list.body).toContainEqual(expect.objectContaining({ name: 'created_at', kind: 'system' }));
      expect(list.body).toContainEqual({ name: 'string length', kind: 'function' });
    });

    it('tries an expression on sample values and on a record read with the caller’s access', async () => {
      const sample = await api.post('/api/meta/feel/evaluate', {
        module: 'client',
        expression: 'if score >= 3 then "A" else "B"',
        record: { score: 5 },
      });
      expect(sample.body).toEqual({ ok: true, value: 'A', type: 'string', warnings: [] });
      // money is its amount, as formulas and rules see it
      const unsaved = structuredClone(client);
      unsaved.fields.push({
        id: 'c_limit',
        name: 'limit',
        type: 'money',
        label: label('Limit', '额度'),
        currency: 'CNY',
      });
      const money = await api.post('/api/meta/feel/evaluate', {
        definition: unsaved,
        expression: 'limit * 2',
        record: { limit: { amount: 150.5, currency: 'CNY' } },
      });
      expect(money.body).toMatchObject({ ok: true, value: 301, type: 'number' });
      const dates = await api.post('/api/meta/feel/evaluate', {
        module: 'client',
        expression: 'date(created_at)',
        record: { created_at: '2026-03-04T10:00:00Z' },
      });
      expect(dates.body).toMatchObject({ ok: true, value: '2026-03-04', type: 'date' });
      const broken = await api.post<{ ok: boolean; problems: unknown[] }>('/api/meta/feel/evaluate', {
        module: 'client',
        expression: 'score +',
        record: {},
      });
      expect(broken.body.ok).toBe(false);
      expect(broken.body.problems.length).toBeGreaterThan(0);
      const fromRecord = await api.post('/api/meta/feel/evaluate', {
        module: 'client',
        expression: 'cust_name + " / " + string(score)',
        recordId: ids[0],
      });
      expect(fromRecord.body).toMatchObject({ ok: true, value: '华东精密 / 3', type: 'string' });
      expectProblem(
        await api.post('/api/meta/feel/evaluate', {
          module: 'client',
          expression: '1',
          recordId: '0190a1b2-0000-7000-8000-000000000000',
        }),
        404,
      );
      expectProblem(await api.post('/api/meta/feel/evaluate', { module: 'client', expression: '1' }), 422, [
        '/record',
      ]);
      expectProblem(
        await api.post('/api/meta/feel/evaluate', { module: 'client', expression: '1', record: [1] }),
        422,
        ['/record'],
      );
    });

    it('checks, completes and tries a row rule against the rows of a sub-table', async () => {
      const unsaved = structuredClone(client);
      unsaved.fields.push({
        id: 'c_lines',
        name: 'lines',
        type: 'subtable',
        label: label('Lines', '明细'),
        fields: [
          { id: 'l_qty', name: 'quantity', type: 'integer', label: label('Quantity', '数量') },
          { id: 'l_price', name: 'price', type: 'money', label: label('Price', '单价'), currency: 'CNY' },
        ],
      });
      const row = { definition: unsaved, subtable: 'lines' };
      const ok = await api.post('/api/meta/feel/check', { ...row, expression: 'quantity * price > 0' });
      expect(ok.body).toEqual({ valid: true, problems: [], resultType: 'boolean' });
      // a row reads its own fields, not the record's
      const outside = await api.post<{ problems: { kind: string; from: number }[] }>('/api/meta/feel/check', {
        ...row,
        expression: 'score > 1 or owner = null',
      });
      expect(outside.body.problems.map((p) => [p.kind, p.from])).toEqual([
        ['unknown-variable', 0],
        ['unknown-variable', 13],
      ]);
      const tried = await api.post('/api/meta/feel/evaluate', {
        ...row,
        expression: 'quantity * price',
        record: { quantity: 3, price: { amount: 2.5, currency: 'CNY' } },
      });
      expect(tried.body).toMatchObject({ ok: true, value: 7.5, type: 'number' });
      expectProblem(
        await api.post('/api/meta/feel/check', { definition: unsaved, subtable: 'score', expression: '1' }),
        422,
        ['/subtable'],
      );
      expectProblem(
        await api.post('/api/meta/feel/evaluate', { ...row, expression: '1', recordId: ids[0] }),
        422,
        ['/recordId'],
      );
      const names = await api.get<{ name: string; kind: string }[]>(
        '/api/meta/feel/completions?module=client&subtable=lines',
      );
      expectProblem(names, 422, ['/subtable']);
    });

    it('checks a rollup filter against one source row (and its record as parent)', async () => {
      const unsaved = structuredClone(client);
      unsaved.fields.push(
        {
          id: 'c_lines',
          name: 'lines',
          type: 'subtable',
          label: label('Lines', '明细'),
          fields: [{ id: 'l_qty', name: 'quantity', type: 'integer', label: label('Quantity', '数量') }],
        },
        {
          id: 'c_big',
          name: 'big_lines',
          type: 'rollup',
          label: label('Big lines', '大额行数'),
          over: 'lines',
          aggregate: 'count',
        },
      );
      const filter = { definition: unsaved, field: 'big_lines' };
      const ok = await api.post('/api/meta/feel/check', {
        ...filter,
        expression: 'quantity > 10 and parent.score > 1',
      });
      expect(ok.body).toEqual({ valid: true, problems: [], resultType: 'boolean' });
      const own = await api.post<{ problems: { kind: string; from: number }[] }>('/api/meta/feel/check', {
        ...filter,
        expression: 'score > 1',
      });
      expect(own.body.problems.map((p) => [p.kind, p.from])).toEqual([['unknown-variable', 0]]);
    });
  });

  describe('workflow tooling', () => {
    it('lists the registered actions with their inputs and outputs', async () => {
      const actions =
        await api.get<{ type: string; mode: string; inputs: { name: string; required?: boolean }[] }[]>(
          '/api/workflows/actions',
        );
      expect(actions.status).toBe(200);
      const update = actions.body.find((a) => a.type === 'update-record');
      expect(update).toMatchObject({ mode: 'job', label: { 'zh-CN': '更新记录' } });
      // the record defaults to the flow's own record; the values are required
      expect(update?.inputs).toContainEqual(expect.objectContaining({ name: 'recordId', required: false }));
      expect(update?.inputs).toContainEqual(expect.objectContaining({ name: 'values', required: true }));
      expect(actions.body.find((a) => a.type === 'set-variables')?.mode).toBe('inline');
      expectProblem(await userApi.get('/api/workflows/actions'), 403);
    });

    it('lints a diagram without deploying it: problems by element id', async () => {
      const xml = bpmn(
        'lint_me',
        `<bpmn:startEvent id="start"/>
         <bpmn:exclusiveGateway id="gw"/>
         <bpmn:serviceTask id="svc"><bpmn:extensionElements><zeebe:taskDefinition type="no-such-action"/></bpmn:extensionElements></bpmn:serviceTask>
         <bpmn:endEvent id="end"/>
         ${flows(['f1', 'start', 'gw'], ['f2', 'gw', 'svc', '= amount >'], ['f3', 'gw', 'end', '= amount <= 10'], ['f4', 'svc', 'end'])}`,
      );
      const lint = await api.send<{ problems: { elementId: string; code: string }[]; processes: unknown[] }>(
        'POST',
        '/api/workflows/lint',
        undefined,
        { raw: xml, headers: { 'content-type': 'application/xml' } },
      );
      expect(lint.status).toBe(200);
      const elements = lint.body.problems.map((p) => p.elementId);
      expect(elements).toContain('svc');
      expect(elements).toContain('f2');
      // nothing was deployed
      const deployed = await api.get<{ processId: string }[]>('/api/workflows/definitions');
      expect(deployed.body.map((d) => d.processId)).not.toContain('lint_me');

      const good = bpmn(
        'lint_ok',
        `<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>${flows(['f', 's', 'e'])}`,
      );
      const clean = await api.send('POST', '/api/workflows/lint', undefined, {
        raw: good,
        headers: { 'content-type': 'application/xml' },
      });
      expect(clean.body).toEqual({ processes: [{ processId: 'lint_ok', name: null }], problems: [] });
      const broken = await api.send<{ problems: unknown[] }>('POST', '/api/workflows/lint', undefined, {
        raw: '<bpmn:definitions',
        headers: { 'content-type': 'application/xml' },
      });
      expect(broken.status).toBe(200);
      expect(broken.body.problems.length).toBeGreaterThan(0);
    });
  });
});
