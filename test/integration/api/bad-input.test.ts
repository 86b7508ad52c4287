import type { HistoryEntry, ModuleDefinition, Page, StoredRecord } from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, counts, expectProblem } from '../../support/api.ts';
import { customerModule, opportunityModule } from '../../support/api-fixtures.ts';
import { type EngineHandle, forEachDatabase } from '../../support/engines.ts';
import { tableColumns } from '../../support/sql.ts';

const RECORDS = '/api/modules/customer/records';
const filterQuery = (filter: unknown) => `${RECORDS}?filter=${encodeURIComponent(JSON.stringify(filter))}`;

forEachDatabase('REST API bad input', (handle) => {
  let api: ApiClient;
  let acme: StoredRecord;

  /** Everything a refused request must leave as it was: row counts, the record and its history. */
  async function snapshot(h: EngineHandle = handle()) {
    return {
      counts: await counts(h, 'customer'),
      record: (await api.get<StoredRecord>(`${RECORDS}/${acme.id}`)).body,
      history: (await api.get<HistoryEntry[]>(`${RECORDS}/${acme.id}/history`)).body,
    };
  }

  beforeAll(async () => {
    api = apiClient(handle());
    for (const module of [customerModule, opportunityModule]) {
      expect((await api.post('/api/meta/modules', module)).status).toBe(201);
    }
    expect((await api.post('/api/meta/publish')).status).toBe(200);
    const created = await api.post<StoredRecord>(RECORDS, { name: 'Acme', level: 'a', employees: 10 });
    expect(created.status).toBe(201);
    acme = created.body;
  });

  describe('records', () => {
    // `createOnly`: as a patch the body is fine (a patch may leave out required fields).
    const cases: { title: string; body: unknown; pointer: string; status?: number; createOnly?: boolean }[] =
      [
        { title: 'an unknown field', body: { name: 'X', colour: 'red' }, pointer: '/colour' },
        {
          title: 'an unknown key inside a value',
          body: { name: 'X', credit: { amount: 1, bogus: 2 } },
          pointer: '/credit/bogus',
        },
        { title: 'a number for text', body: { name: 42 }, pointer: '/name' },
        { title: 'text for an integer', body: { name: 'X', employees: '12' }, pointer: '/employees' },
        { title: 'a fraction for an integer', body: { name: 'X', employees: 1.5 }, pointer: '/employees' },
        { title: 'text for a boolean', body: { name: 'X', vip: 'yes' }, pointer: '/vip' },
        { title: 'text for a multi-select', body: { name: 'X', tags: 'new' }, pointer: '/tags' },
        { title: 'a number for a date', body: { name: 'X', since: 20260101 }, pointer: '/since' },
        { title: 'a missing required field', body: { level: 'a' }, pointer: '/name', createOnly: true },
        { title: 'an emptied required field', body: { name: null }, pointer: '/name' },
        { title: 'a NUL character in text', body: { name: 'a\u0000b' }, pointer: '/name' },
        { title: 'an integer below its minimum', body: { name: 'X', employees: -1 }, pointer: '/employees' },
        {
          title: 'an integer above its maximum',
          body: { name: 'X', employees: 100001 },
          pointer: '/employees',
        },
        { title: 'negative money', body: { name: 'X', credit: { amount: -5 } }, pointer: '/credit/amount' },
        {
          title: 'money beyond the column',
          body: { name: 'X', credit: { amount: 1e20 } },
          pointer: '/credit/amount',
        },
        {
          title: 'too many decimals',
          body: { name: 'X', credit: { amount: 1.001 } },
          pointer: '/credit/amount',
        },
        {
          title: 'an unknown currency',
          body: { name: 'X', credit: { amount: 1, currency: 'XXX' } },
          pointer: '/credit/currency',
        },
        { title: 'too long text', body: { name: 'x'.repeat(81) }, pointer: '/name' },
        { title: 'an unknown option', body: { name: 'X', level: 'z' }, pointer: '/level' },
        {
          title: 'an unknown multi-select option',
          body: { name: 'X', tags: ['new', 'cold'] },
          pointer: '/tags/1',
        },
        { title: 'an impossible date', body: { name: 'X', since: '2026-02-30' }, pointer: '/since' },
        { title: 'a broken rule', body: { name: 'X', level: 'b', vip: true }, pointer: '/level' },
        { title: 'a body that is a list', body: [{ name: 'X' }], pointer: '' },
        { title: 'a body that is text', body: 'X', pointer: '' },
        { title: 'a bad owner', body: { name: 'X', owner: 'me' }, pointer: '/owner' },
        { title: 'a taken unique value', body: { name: 'Acme' }, pointer: '/name', status: 409 },
      ];
    for (const { title, body, pointer, status = 422, createOnly } of cases) {
      it(`refuses ${title} with ${status} naming '${pointer}', writing nothing`, async () => {
        const before = await snapshot();
        expectProblem(await api.post(RECORDS, body), status, [pointer]);
        if (status === 422 && pointer !== '' && !createOnly) {
          expectProblem(await api.patch(`${RECORDS}/${acme.id}`, body), 422, [pointer]);
        }
        expect(await snapshot()).toEqual(before);
      });
    }

    it('refuses malformed JSON with 400 at the whole body', async () => {
      const before = await snapshot();
      for (const raw of ['{"name": "x",', '{name: "x"}', '', 'nul', '{"name": "x"} trailing']) {
        const headers = { 'content-type': 'application/json' };
        const created = expectProblem(await api.send('POST', RECORDS, undefined, { raw, headers }), 400, [
          '',
        ]);
        expect(created.type).toBe('urn:crm:problem:malformed-json');
        expectProblem(await api.send('PATCH', `${RECORDS}/${acme.id}`, undefined, { raw, headers }), 400, [
          '',
        ]);
      }
      expect(await snapshot()).toEqual(before);
    });

    it('refuses a body that is not JSON with 415', async () => {
      const before = await snapshot();
      const plain = { raw: 'name=X', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
      expectProblem(await api.send('POST', RECORDS, undefined, plain), 415, ['']);
      expectProblem(await api.send('POST', RECORDS, undefined, { raw: '{"name":"X"}' }), 415);
      const latin1 = { raw: '{"name":"X"}', headers: { 'content-type': 'application/json; charset=latin1' } };
      expectProblem(await api.send('POST', RECORDS, undefined, latin1), 415);
      expect(await snapshot()).toEqual(before);
    });

    it('accepts JSON media types with a suffix and UTF-8', async () => {
      const merge = await api.patch<StoredRecord>(
        `${RECORDS}/${acme.id}`,
        { employees: 11 },
        { headers: { 'content-type': 'application/merge-patch+json; charset=UTF-8' } },
      );
      expect(merge.status).toBe(200);
      acme = merge.body;
    });

    it('refuses a payload over the limit with 413', async () => {
      const small = apiClient(handle(), { bodyLimitBytes: 64 });
      const fits = await small.post<StoredRecord>(RECORDS, { name: 'Small' });
      expect(fits.status).toBe(201);
      expect((await api.delete(`${RECORDS}/${fits.body.id}`)).status).toBe(204);

      const before = await snapshot();
      expectProblem(await api.post(RECORDS, { name: 'X', notes: 'x'.repeat(1024 * 1024) }), 413, ['']);
      expectProblem(await small.post(RECORDS, { name: 'y'.repeat(100) }), 413);
      expectProblem(await small.patch(`${RECORDS}/${acme.id}`, { name: 'y'.repeat(100) }), 413);
      expectProblem(await small.put('/api/meta/modules/customer/draft', customerModule), 413);
      expect(await snapshot()).toEqual(before);
      expect((await api.get<{ draft: unknown }>('/api/meta/modules/customer')).body.draft).toBeNull();
    });

    it("refuses a '__proto__' key anywhere in a body", async () => {
      const before = await snapshot();
      const raw = '{"name":"X","credit":{"__proto__":{"amount":1}}}';
      const headers = { 'content-type': 'application/json' };
      expectProblem(await api.send('POST', RECORDS, undefined, { raw, headers }), 422, ['/credit/__proto__']);
      expect(await snapshot()).toEqual(before);
    });

    it('refuses bad versions and If-Match headers', async () => {
      const before = await snapshot();
      const url = `${RECORDS}/${acme.id}`;
      expectProblem(await api.patch(url, { employees: 1, version: 'latest' }), 422, ['/version']);
      expectProblem(await api.patch(url, { employees: 1, version: 0 }), 422, ['/version']);
      expectProblem(await api.patch(url, { employees: 1 }, { headers: { 'if-match': 'W/"2"' } }), 400, ['']);
      expectProblem(await api.patch(url, { employees: 1 }, { headers: { 'if-match': '"1", "2"' } }), 400);
      expectProblem(await api.delete(url, { headers: { 'if-match': 'latest' } }), 400);
      const mismatch = { headers: { 'if-match': `"${acme.version}"` } };
      expectProblem(await api.patch(url, { employees: 1, version: acme.version + 1 }, mismatch), 422, [
        '/version',
      ]);
      expect(await snapshot()).toEqual(before);
    });

    it('answers 404 for unknown modules, records and ids that are not ids', async () => {
      const before = await snapshot();
      expectProblem(await api.get('/api/modules/nothing/records'), 404);
      expectProblem(await api.post('/api/modules/nothing/records', { name: 'X' }), 404);
      expectProblem(await api.get(`${RECORDS}/00000000-0000-0000-0000-000000000000`), 404);
      expectProblem(await api.patch(`${RECORDS}/not-an-id`, { name: 'Y' }), 404);
      expectProblem(await api.delete(`${RECORDS}/'; DROP TABLE customer; --`), 404);
      expectProblem(await api.get(`${RECORDS}/${acme.id}/related/nothing`), 404);
      expectProblem(await api.get(`${RECORDS}/not-an-id/history`), 404);
      expectProblem(await api.get('/api/meta/modules/a%00b'), 404);
      expectProblem(await api.get(`${RECORDS}/a%00b`), 404);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('queries', () => {
    const badFilters: { title: string; filter: unknown; pointer: string }[] = [
      { title: 'an unknown field', filter: { field: 'nope', op: 'eq', value: 1 }, pointer: '/filter/field' },
      {
        title: 'a hostile field name',
        filter: { field: 'name; DROP TABLE x', op: 'eq', value: 'a' },
        pointer: '/filter/field',
      },
      {
        title: 'a quote as field name',
        filter: { field: '"', op: 'eq', value: 'a' },
        pointer: '/filter/field',
      },
      {
        title: 'a NUL field name',
        filter: { field: '\u0000', op: 'eq', value: 'a' },
        pointer: '/filter/field',
      },
      {
        title: 'a path through a non-relation',
        filter: { field: 'name.x', op: 'eq', value: 'a' },
        pointer: '/filter/field',
      },
      {
        title: 'a nested unknown field',
        filter: {
          and: [{ field: 'name', op: 'eq', value: 'a' }, { or: [{ field: 'x"y', op: 'eq', value: 1 }] }],
        },
        pointer: '/filter/and/1/or/0/field',
      },
      {
        title: 'an unknown operator',
        filter: { field: 'name', op: 'like', value: 'a' },
        pointer: '/filter/op',
      },
      {
        title: 'an operator of another family',
        filter: { field: 'employees', op: 'contains', value: 'a' },
        pointer: '/filter/op',
      },
      {
        title: 'text for a number',
        filter: { and: [{ field: 'employees', op: 'gt', value: 'ten' }] },
        pointer: '/filter/and/0/value',
      },
      { title: 'a number for text', filter: { field: 'name', op: 'eq', value: 1 }, pointer: '/filter/value' },
      {
        title: 'a NUL character in a value',
        filter: { field: 'name', op: 'eq', value: 'a\u0000' },
        pointer: '/filter/value',
      },
      {
        title: 'a fraction for an integer',
        filter: { field: 'employees', op: 'eq', value: 0.5 },
        pointer: '/filter/value',
      },
      {
        title: 'a huge number for an integer',
        filter: { field: 'employees', op: 'lt', value: 1e300 },
        pointer: '/filter/value',
      },
      {
        title: 'an impossible date',
        filter: { field: 'since', op: 'eq', value: '2026-02-30' },
        pointer: '/filter/value',
      },
      {
        title: 'a date-time that is not ISO',
        filter: { field: 'created_at', op: 'gt', value: '1' },
        pointer: '/filter/value',
      },
      {
        title: 'a bad date',
        filter: { field: 'since', op: 'gt', value: 'yesterday' },
        pointer: '/filter/value',
      },
      {
        title: 'a bad id',
        filter: { field: 'id', op: 'eq', value: "1' OR '1'='1" },
        pointer: '/filter/value',
      },
      { title: 'an empty list', filter: { field: 'level', op: 'in', value: [] }, pointer: '/filter/value' },
      {
        title: 'an unknown key',
        filter: { field: 'name', op: 'eq', value: 'a', raw: 'x' },
        pointer: '/filter/raw',
      },
      { title: 'a list as filter', filter: [{ field: 'name', op: 'eq', value: 'a' }], pointer: '/filter' },
      { title: 'an empty group', filter: { and: [] }, pointer: '/filter/and' },
      {
        title: 'too deep nesting',
        filter: Array.from({ length: 10 }).reduce<unknown>((inner) => ({ not: inner }), {
          field: 'name',
          op: 'empty',
        }),
        pointer: '/filter/not/not/not/not/not/not/not',
      },
    ];
    for (const { title, filter, pointer } of badFilters) {
      it(`refuses a filter with ${title} (400 at ${pointer})`, async () => {
        const before = await snapshot();
        expectProblem(await api.get(filterQuery(filter)), 400, [pointer]);
        expect(await snapshot()).toEqual(before);
      });
    }

    const badParams: { title: string; query: string; pointer: string }[] = [
      { title: 'malformed filter JSON', query: 'filter={"field":', pointer: '/filter' },
      { title: 'a sort on an unknown field', query: 'sort=nope', pointer: '/sort/0' },
      {
        title: 'a hostile sort',
        query: `sort=${encodeURIComponent('name; DROP TABLE customer')}`,
        pointer: '/sort/0',
      },
      { title: 'a quote in the sort', query: `sort=${encodeURIComponent('name,"')}`, pointer: '/sort/1' },
      { title: 'a NUL in the sort', query: 'sort=-%00', pointer: '/sort/0' },
      { title: 'a sort on an unsortable field', query: 'sort=tags', pointer: '/sort/0' },
      { title: 'too many sort keys', query: 'sort=name,level,since,vip,employees,credit', pointer: '/sort' },
      { title: 'an unknown field in fields', query: 'fields=name,nope', pointer: '/fields/1' },
      { title: 'a zero limit', query: 'limit=0', pointer: '/limit' },
      { title: 'a text limit', query: 'limit=ten', pointer: '/limit' },
      { title: 'a huge limit', query: 'limit=100000', pointer: '/limit' },
      { title: 'a forged cursor', query: 'cursor=abc', pointer: '/cursor' },
      { title: 'count that is not a boolean', query: 'count=maybe', pointer: '/count' },
      { title: 'an unknown parameter', query: 'filters={}', pointer: '/filters' },
      { title: 'a repeated parameter', query: 'limit=1&limit=2', pointer: '/limit' },
    ];
    for (const { title, query, pointer } of badParams) {
      it(`refuses ${title} (400 at ${pointer})`, async () => {
        const before = await snapshot();
        expectProblem(await api.get(`${RECORDS}?${query}`), 400, [pointer]);
        expect(await snapshot()).toEqual(before);
      });
    }

    it('refuses a cursor forged to carry text the database cannot take', async () => {
      const page = await api.get<Page<StoredRecord>>(`${RECORDS}?sort=name&limit=1`);
      expect(page.status).toBe(200);
      const cursor = (after: unknown[]) =>
        Buffer.from(JSON.stringify({ sort: 'name,id', after })).toString('base64url');
      for (const forged of [cursor(['a\u0000', acme.id]), cursor(['a', 'not-an-id']), cursor([1, acme.id])]) {
        expectProblem(await api.get(`${RECORDS}?sort=name&limit=1&cursor=${forged}`), 400, ['/cursor']);
      }
    });

    it('refuses bad history parameters', async () => {
      expectProblem(await api.get(`${RECORDS}/${acme.id}/history?limit=-1`), 400, ['/limit']);
      expectProblem(await api.get(`${RECORDS}/${acme.id}/history?before=x`), 400, ['/before']);
    });

    it('treats hostile text in filter values as data', async () => {
      const before = await snapshot();
      for (const value of ["'; DROP TABLE customer; --", '%', '_', '\\', '"', 'Ac%']) {
        const page = await api.get<Page<StoredRecord>>(filterQuery({ field: 'name', op: 'contains', value }));
        expect(page.status).toBe(200);
        expect(page.body.data).toEqual([]);
      }
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('definitions', () => {
    const moduleNames = [
      'cust"omer',
      "o'brien",
      'my module',
      '客户',
      'Customer',
      'robert"); DROP TABLE x; --',
      'a\u0000b',
    ];
    for (const name of moduleNames) {
      it(`refuses the module name ${JSON.stringify(name)} with 422 at /name`, async () => {
        const before = await api.get('/api/meta/modules');
        expectProblem(await api.post('/api/meta/modules', { ...customerModule, id: undefined, name }), 422, [
          '/name',
        ]);
        expect(await api.get('/api/meta/modules')).toMatchObject({ body: before.body });
      });
    }
    for (const name of ['"from"', 'a b', '名称', "x'y", 'Name']) {
      it(`refuses the field name ${JSON.stringify(name)} with 422 at /fields/0/name`, async () => {
        const before = await api.get('/api/meta/modules');
        const module = {
          name: 'tmp',
          label: { en: 'Tmp' },
          fields: [{ name, type: 'text', label: { en: 'X' } }],
        };
        expectProblem(await api.post('/api/meta/modules', module), 422, ['/fields/0/name']);
        expect(await api.get('/api/meta/modules')).toMatchObject({ body: before.body });
      });
    }

    it('refuses a NUL character anywhere in a definition', async () => {
      const before = await api.get('/api/meta/modules');
      const module = { ...customerModule, id: 'mod_nul', name: 'nul', label: { en: 'a\u0000' } };
      expectProblem(await api.post('/api/meta/modules', module), 422, ['/label/en']);
      expect(await api.get('/api/meta/modules')).toMatchObject({ body: before.body });
    });

    it('refuses a taken id or name and bad publish bodies', async () => {
      const before = await api.get('/api/meta/modules');
      expectProblem(await api.post('/api/meta/modules', customerModule), 409, ['/id']);
      expectProblem(await api.post('/api/meta/modules', { ...customerModule, id: 'mod_other' }), 409, [
        '/name',
      ]);
      expectProblem(await api.post('/api/meta/modules', { ...customerModule, id: 'x y' }), 422, ['/id']);
      expectProblem(
        await api.put('/api/meta/modules/customer/draft', { ...customerModule, id: 'mod_opp' }),
        422,
        ['/id'],
      );
      expectProblem(
        await api.post('/api/meta/modules', { ...customerModule, id: 'mod_x', name: 'x', fields: 'none' }),
        422,
        ['/fields'],
      );
      expectProblem(await api.post('/api/meta/publish', { modules: 'customer' }), 422, ['/modules']);
      expectProblem(await api.post('/api/meta/publish', { modules: [] }), 422, ['/modules']);
      expectProblem(await api.post('/api/meta/publish', { modules: [7] }), 422, ['/modules/0']);
      expectProblem(await api.post('/api/meta/publish', { module: ['customer'] }), 422, ['/module']);
      expectProblem(await api.post('/api/meta/publish/preview', { modules: ['nothing'] }), 404);
      expectProblem(await api.get('/api/meta/modules/nothing'), 404);
      expect(await api.get('/api/meta/modules')).toMatchObject({ body: before.body });
    });

    it('shows definition problems in the preview and refuses the publish with 422, changing nothing', async () => {
      const broken = {
        ...opportunityModule,
        id: 'mod_broken',
        name: 'broken',
        fields: opportunityModule.fields.filter((f) => f.name !== 'customer'),
        rules: [{ ...opportunityModule.rules[0], expression: 'discont <= 30' }],
      };
      expect((await api.post('/api/meta/modules', broken)).status).toBe(201);
      const preview = await api.post<{ problems: { pointer: string }[] }>('/api/meta/publish/preview', {
        modules: ['broken'],
      });
      expect(preview.status).toBe(200);
      expect(preview.body.problems.map((p) => p.pointer)).toContain('/modules/broken/rules/0/expression');
      expectProblem(await api.post('/api/meta/publish', { modules: ['broken'] }), 422, [
        '/modules/broken/rules/0/expression',
      ]);
      const state = await api.get<{ publishedVersion: number | null }>('/api/meta/modules/broken');
      expect(state.body.publishedVersion).toBeNull();
      expect((await api.get('/api/modules/broken/records')).status).toBe(404);
      expect(await tableColumns(handle().engine, handle().workspace.schema, 'broken')).toEqual([]);
      expect((await api.delete('/api/meta/modules/broken/draft')).status).toBe(204);
      expectProblem(await api.get('/api/meta/modules/broken'), 404);
    });

    it('refuses with 409 a publish the stored data blocks, changing nothing', async () => {
      const twin = await api.post<StoredRecord>('/api/modules/opportunity/records', { title: 'Twin' });
      const twin2 = await api.post<StoredRecord>('/api/modules/opportunity/records', { title: 'Twin' });
      const state = await api.get<{ published: ModuleDefinition }>('/api/meta/modules/opportunity');
      const unique = structuredClone(state.body.published);
      unique.fields[0].unique = true;
      expect((await api.put('/api/meta/modules/opportunity/draft', unique)).status).toBe(200);
      const problem = expectProblem(await api.post('/api/meta/publish', { modules: ['opportunity'] }), 409);
      expect(problem.errors[0]).toMatchObject({ code: 'duplicates' });
      expect(
        (await api.get<{ publishedVersion: number }>('/api/meta/modules/opportunity')).body.publishedVersion,
      ).toBe(1);
      await api.delete('/api/meta/modules/opportunity/draft');
      await api.delete(`/api/modules/opportunity/records/${twin.body.id}`);
      await api.delete(`/api/modules/opportunity/records/${twin2.body.id}`);
    });
  });

  describe('routing', () => {
    it('answers unknown routes with a 404 problem and wrong methods with 405', async () => {
      const missing = expectProblem(await api.get('/api/nothing'), 404);
      expect(missing.type).toBe('urn:crm:problem:route-not-found');
      expectProblem(await api.get('/elsewhere'), 404);
      const wrong = await api.send('PUT', RECORDS, { name: 'X' });
      expectProblem(wrong, 405);
      expect(wrong.headers.get('allow')).toBe('GET, HEAD, POST');
      const wrongOne = await api.send('POST', `${RECORDS}/${acme.id}`, { name: 'X' });
      expectProblem(wrongOne, 405);
      expect(wrongOne.headers.get('allow')?.split(', ').sort()).toEqual(['DELETE', 'GET', 'HEAD', 'PATCH']);
      expectProblem(await api.send('DELETE', '/api/meta/publish'), 405);
    });
  });

  describe('concurrent writes', () => {
    it('lets exactly one of two PATCHes with the same If-Match win', async () => {
      const current = (await api.get<StoredRecord>(`${RECORDS}/${acme.id}`)).body;
      const historyBefore = (await api.get<HistoryEntry[]>(`${RECORDS}/${acme.id}/history`)).body.length;
      const ifMatch = { headers: { 'if-match': `"${current.version}"` } };
      const results = await Promise.all([
        api.patch<StoredRecord>(`${RECORDS}/${acme.id}`, { employees: 100 }, ifMatch),
        api.patch<StoredRecord>(`${RECORDS}/${acme.id}`, { employees: 200 }, ifMatch),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = results.find((r) => r.status === 200);
      const loser = expectProblem(results.find((r) => r.status === 409) ?? results[0], 409, ['/version']);
      expect(loser.current).toMatchObject({
        version: current.version + 1,
        employees: winner?.body.employees,
      });
      const after = await api.get<StoredRecord>(`${RECORDS}/${acme.id}`);
      expect(after.body).toEqual(winner?.body);
      const history = (await api.get<HistoryEntry[]>(`${RECORDS}/${acme.id}/history`)).body;
      expect(history.length).toBe(historyBefore + 1);
      acme = after.body;
    });

    it('lets exactly one of two creates with the same unique value win', async () => {
      const before = await counts(handle(), 'customer');
      const results = await Promise.all([
        api.post(RECORDS, { name: 'Twin' }),
        api.post(RECORDS, { name: 'Twin' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expectProblem(results.find((r) => r.status === 409) ?? results[0], 409, ['/name']);
      expect(await counts(handle(), 'customer')).toEqual({
        rows: before.rows + 1,
        history: before.history + 1,
      });
    });
  });
});
