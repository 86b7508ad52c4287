// Many-to-many relations through the REST API: the field type, its form schema, links written and
// read as id lists, refused input naming the place, filters and related lists from both sides.
import type { HistoryEntry, JsonSchema, Page, StoredRecord } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { type ApiClient, apiClient, counts, expectProblem, tokenFor } from '../../support/api.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { organisation } from '../../support/org.ts';

const tag = {
  id: 'mod_api_m2m_tag',
  name: 'tag',
  label: { en: 'Tag', 'zh-CN': '标签' },
  fields: [{ id: 'atg_name', name: 'name', type: 'text', label: { en: 'Name', 'zh-CN': '名称' } }],
};

const article = {
  id: 'mod_api_m2m_article',
  name: 'article',
  label: { en: 'Article', 'zh-CN': '文章' },
  fields: [
    { id: 'aar_title', name: 'title', type: 'text', label: { en: 'Title', 'zh-CN': '标题' } },
    {
      id: 'aar_tags',
      name: 'tags',
      type: 'relations',
      label: { en: 'Tags', 'zh-CN': '标签' },
      target: 'mod_api_m2m_tag',
      inverse: { name: 'articles', label: { en: 'Articles', 'zh-CN': '文章' } },
      maxItems: 10,
    },
  ],
};

const MISSING = '0190aaaa-0000-7000-8000-000000000000';
const records = (module: string, rest = '') => `/api/modules/${module}/records${rest}`;
const filtered = (module: string, filter: unknown) =>
  records(module, `?filter=${encodeURIComponent(JSON.stringify(filter))}`);

forEachDatabase('REST API many-to-many relations', (handle) => {
  let api: ApiClient;
  const tags: Record<string, string> = {};

  beforeAll(async () => {
    api = apiClient(handle());
    for (const definition of [tag, article]) {
      expect((await api.post('/api/meta/modules', definition)).status).toBe(201);
    }
    const preview = await api.post<{ steps: { kind: string; module: string }[] }>(
      '/api/meta/publish/preview',
    );
    expect(preview.body.steps.map((s) => s.kind)).toContain('createLinkTable');
    expect((await api.post('/api/meta/publish')).status).toBe(200);
    for (const name of ['red', 'green', 'blue']) {
      tags[name] = (await api.post<StoredRecord>(records('tag'), { name })).body.id;
    }
  });

  it('describes the field type and the field in the form schemas', async () => {
    const types =
      await api.get<{ type: string; widget: string; operators: string[] }[]>('/api/meta/field-types');
    expect(types.body.find((t) => t.type === 'relations')).toMatchObject({
      widget: 'multiLookup',
      operators: ['hasAny', 'hasAll', 'hasNone', 'empty', 'notEmpty'],
    });
    const schema = await api.get<{ jsonSchema: JsonSchema; uiSchema: JsonSchema }>(
      '/api/meta/modules/article/schema?locale=zh-CN',
    );
    expect((schema.body.jsonSchema.properties as Record<string, JsonSchema>).tags).toEqual({
      type: 'array',
      items: { type: 'string', format: 'uuid' },
      uniqueItems: true,
      maxItems: 10,
      title: '标签',
    });
    expect(schema.body.uiSchema.tags).toEqual({
      'ui:widget': 'multiLookup',
      'ui:options': { target: 'mod_api_m2m_tag', targetModule: 'tag', titleField: 'name' },
    });
  });

  it('creates, reads, changes and clears links, in order, with the history', async () => {
    const created = await api.post<StoredRecord>(records('article'), {
      title: 'One',
      tags: [tags.blue, tags.red],
    });
    expect(created.status).toBe(201);
    expect(created.body.tags).toEqual([tags.blue, tags.red]);
    const id = created.body.id;
    expect((await api.get<StoredRecord>(records('article', `/${id}`))).body.tags).toEqual([
      tags.blue,
      tags.red,
    ]);

    const changed = await api.patch<StoredRecord>(
      records('article', `/${id}`),
      { tags: [tags.red, tags.green, tags.blue] },
      { headers: { 'if-match': '"1"' } },
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ version: 2, tags: [tags.red, tags.green, tags.blue] });
    // a stale version writes no link
    const stale = await api.patch(
      records('article', `/${id}`),
      { tags: [tags.green] },
      { headers: { 'if-match': '"1"' } },
    );
    expect(stale.status).toBe(409);
    expect((await api.get<StoredRecord>(records('article', `/${id}`))).body.tags).toEqual([
      tags.red,
      tags.green,
      tags.blue,
    ]);

    const cleared = await api.patch<StoredRecord>(records('article', `/${id}`), { tags: null });
    expect(cleared.body.tags).toBeNull();
    const history = await api.get<HistoryEntry[]>(records('article', `/${id}/history`));
    expect(history.body.map((h) => h.changes.tags)).toEqual([
      { from: [tags.red, tags.green, tags.blue], to: null },
      { from: [tags.blue, tags.red], to: [tags.red, tags.green, tags.blue] },
      { to: [tags.blue, tags.red] },
    ]);
  });

  it('refuses unknown and repeated ids with the place named, writing nothing', async () => {
    const before = await counts(handle(), 'article');
    const unknown = await api.post(records('article'), {
      title: 'Bad',
      tags: [tags.red, tags.blue, MISSING],
    });
    const problem = expectProblem(unknown, 422, ['/tags/2']);
    expect(problem.errors[0].messages?.['zh-CN']).toBe('关联的记录不存在');
    expectProblem(await api.post(records('article'), { title: 'Bad', tags: [tags.red, tags.red] }), 422, [
      '/tags',
    ]);
    expectProblem(await api.post(records('article'), { title: 'Bad', tags: ['red'] }), 422, ['/tags/0']);
    expect(await counts(handle(), 'article')).toEqual(before);
  });

  it('filters and lists related records from both sides', async () => {
    const both = (
      await api.post<StoredRecord>(records('article'), { title: 'Both', tags: [tags.red, tags.green] })
    ).body;
    const green = (await api.post<StoredRecord>(records('article'), { title: 'Green', tags: [tags.green] }))
      .body;
    const titles = (page: Page<StoredRecord>) => page.data.map((r) => r.title).sort();

    const all = await api.get<Page<StoredRecord>>(
      filtered('article', { field: 'tags', op: 'hasAll', value: [tags.green, tags.red] }),
    );
    expect(titles(all.body)).toEqual(['Both']);
    const byName = await api.get<Page<StoredRecord>>(
      filtered('article', { field: 'tags.name', op: 'eq', value: 'green' }),
    );
    expect(titles(byName.body)).toEqual(['Both', 'Green']);
    const tagged = await api.get<Page<StoredRecord>>(
      filtered('tag', { field: 'articles', op: 'hasAny', value: [green.id] }),
    );
    expect(tagged.body.data.map((r) => r.name)).toEqual(['green']);
    const bad = await api.get(filtered('article', { field: 'tags', op: 'contains', value: 'x' }));
    expectProblem(bad, 400, ['/filter/op']);

    const onGreen = await api.get<Page<StoredRecord>>(
      records('tag', `/${tags.green}/related/articles?count=true`),
    );
    expect(onGreen.status).toBe(200);
    expect(titles(onGreen.body)).toEqual(['Both', 'Green']);
    const ofBoth = await api.get<Page<StoredRecord>>(
      records('article', `/${both.id}/related/tags?sort=name`),
    );
    expect(ofBoth.body.data.map((r) => r.name)).toEqual(['green', 'red']);

    // deleting a tag removes its links
    expect((await api.delete(records('tag', `/${tags.red}`))).status).toBe(204);
    expect((await api.get<StoredRecord>(records('article', `/${both.id}`))).body.tags).toEqual([tags.green]);
  });

  it('keeps to the caller’s read scope on both modules', async () => {
    const org = organisation(handle());
    const rep = await org.user('api_m2m_rep');
    await org.role({
      id: 'api_m2m_rep',
      label: { en: 'Rep', 'zh-CN': '销售' },
      modules: { [tag.id]: { read: 'own' }, [article.id]: { read: 'own', create: 'own', update: 'own' } },
    });
    await org.grant(rep, 'api_m2m_rep');
    const mine = (await api.post<StoredRecord>(records('tag'), { name: 'mine', owner: rep.id })).body.id;
    const asRep = apiClient(handle(), { auth: { token: await tokenFor(handle(), rep.id) } });
    // linking checks that the record exists, like a single relation; reading keeps to the scope
    const created = await asRep.post<StoredRecord>(records('article'), {
      title: 'Scoped',
      tags: [mine, tags.green],
    });
    expect(created.status).toBe(201);
    const related = await asRep.get<Page<StoredRecord>>(
      records('article', `/${created.body.id}/related/tags`),
    );
    expect(related.body.data.map((r) => r.name)).toEqual(['mine']);
    const through = await asRep.get<Page<StoredRecord>>(
      filtered('article', { field: 'tags.name', op: 'eq', value: 'green' }),
    );
    expect(through.body.data).toEqual([]);
    const back = await asRep.get<Page<StoredRecord>>(filtered('tag', { field: 'articles', op: 'notEmpty' }));
    expect(back.body.data.map((r) => r.name)).toEqual(['mine']);
    expect((await asRep.get(records('tag', `/${tags.green}/related/articles`))).status).toBe(404);
  });

  it('documents the field and the related lists in the OpenAPI document', async () => {
    const doc = await api.get<{
      paths: Record<string, unknown>;
      components: { schemas: Record<string, JsonSchema> };
    }>('/api/openapi.json');
    expect(doc.body.paths).toHaveProperty(['/api/modules/tag/records/{id}/related/articles']);
    expect(doc.body.paths).toHaveProperty(['/api/modules/article/records/{id}/related/tags']);
    const properties = doc.body.components.schemas.Article.properties as Record<string, JsonSchema>;
    expect(properties.tags).toMatchObject({
      type: ['array', 'null'],
      items: { type: 'string', format: 'uuid' },
    });
  });
});
