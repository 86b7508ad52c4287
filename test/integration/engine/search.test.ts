// Keyword search: Chinese substrings, words, phone digits and email parts; combined with filters,
// paging, counts and access rights; kept current by writes and by publishes that change which fields
// are searchable; hostile queries are plain text.
import {
  type Actor,
  Engine,
  FEW_MATCHES,
  MAX_SEARCH_LENGTH,
  SEARCH_COLUMN,
  SYSTEM_ACTOR,
  type Workspace,
} from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { actorOf, role } from '../../support/access-fixtures.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { organisation } from '../../support/org.ts';
import { rawRows } from '../../support/sql.ts';

const firm = {
  id: 'mod_srch_firm',
  name: 'firm',
  label: { en: 'Firm', 'zh-CN': '公司' },
  fields: [
    { id: 'f_name', name: 'name', type: 'text', label: { en: 'Name' }, required: true },
    { id: 'f_note', name: 'note', type: 'longText', label: { en: 'Note' } },
    { id: 'f_email', name: 'email', type: 'email', label: { en: 'Email' } },
    { id: 'f_phone', name: 'phone', type: 'phone', label: { en: 'Phone' } },
    { id: 'f_site', name: 'site', type: 'url', label: { en: 'Site' } },
    {
      id: 'f_source',
      name: 'source',
      type: 'select',
      label: { en: 'Source' },
      options: [
        { value: 'web', label: { en: 'Website', 'zh-CN': '官网' } },
        { value: 'fair', label: { en: 'Trade fair', 'zh-CN': '展会' } },
      ],
    },
    {
      id: 'f_tags',
      name: 'tags',
      type: 'multiSelect',
      label: { en: 'Tags' },
      options: [
        { value: 'vip', label: { en: 'Key account', 'zh-CN': '大客户' } },
        { value: 'new', label: { en: 'Newcomer', 'zh-CN': '新客户' } },
      ],
    },
    { id: 'f_secret', name: 'secret', type: 'text', label: { en: 'Secret' } },
    { id: 'f_code', name: 'code', type: 'text', label: { en: 'Code' }, searchable: false },
    { id: 'f_size', name: 'size', type: 'integer', label: { en: 'Size' } },
  ],
};

const RECORDS: Record<string, Record<string, unknown>> = {
  star: {
    name: '北京星辰科技有限公司',
    note: 'Headquartered in Beijing, 海淀区',
    email: 'zhang.wei@star-tech.example.com',
    phone: '+86 138-0013-8000',
    source: 'fair',
    tags: ['vip'],
    size: 120,
  },
  moon: {
    name: '上海明月贸易有限公司',
    note: 'Shanghai trading house',
    email: 'li.na@moon.example.cn',
    phone: '021-6688 1234',
    source: 'web',
    size: 30,
  },
  acme: {
    name: 'ACME Robotics Ltd.',
    note: 'Robots for 科研 labs in Beijing',
    site: 'https://acme.example.org/about',
    tags: ['new', 'vip'],
    secret: 'codename 银河',
    code: 'ZX-ALPHA',
    size: 500,
  },
  fullwidth: { name: 'ＳＵＮ　Ｌｉｇｈｔ 光明科技', size: 5 },
};

forEachDatabase('keyword search', (handle) => {
  let workspace: Workspace;
  const ids: Record<string, string> = {};
  const keyOf = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0] ?? id;
  const search = async (q: string, actor: Actor = SYSTEM_ACTOR, extra: Record<string, unknown> = {}) =>
    (await workspace.records.list('firm', actor, { q, ...extra })).data.map((r) => keyOf(r.id)).sort();

  beforeAll(async () => {
    workspace = handle().workspace;
    await workspace.definitions.saveDraft(firm);
    await workspace.definitions.publish();
    for (const [key, values] of Object.entries(RECORDS)) {
      ids[key] = (await workspace.records.create('firm', values, SYSTEM_ACTOR)).id;
    }
  });

  it('finds Chinese text by any substring, one character included', async () => {
    expect(await search('科技')).toEqual(['fullwidth', 'star']);
    expect(await search('星辰科技有限')).toEqual(['star']);
    expect(await search('有限公司')).toEqual(['moon', 'star']);
    expect(await search('司')).toEqual(['moon', 'star']);
    expect(await search('星')).toEqual(['star']);
    expect(await search('海淀')).toEqual(['star']);
    expect(await search('科研')).toEqual(['acme']);
    expect(await search('星辰贸易')).toEqual([]);
    expect(await search('南京')).toEqual([]);
  });

  it('finds words case-insensitively, the last one by its start, full-width forms as half-width', async () => {
    expect(await search('BEIJING')).toEqual(['acme', 'star']);
    expect(await search('beij')).toEqual(['acme', 'star']);
    expect(await search('eijing')).toEqual([]);
    expect(await search('ｓｕｎ light')).toEqual(['fullwidth']);
    expect(await search('SUN')).toEqual(['fullwidth']);
    expect(await search('robotics ltd')).toEqual(['acme']);
    expect(await search('robot ltd')).toEqual([]);
  });

  it('combines Chinese and words: every part must be found, in any searchable field', async () => {
    expect(await search('星辰 beijing')).toEqual(['star']);
    expect(await search('科研 robots')).toEqual(['acme']);
    expect(await search('明月 beijing')).toEqual([]);
  });

  it('finds phone numbers by their digits however written, emails and urls by their parts', async () => {
    expect(await search('13800138000')).toEqual(['star']);
    expect(await search('138 0013 8000')).toEqual(['star']);
    expect(await search('0013')).toEqual(['star']);
    expect(await search('8000')).toEqual(['star']);
    expect(await search('66881234')).toEqual(['moon']);
    expect(await search('zhang.wei')).toEqual(['star']);
    expect(await search('star-tech')).toEqual(['star']);
    expect(await search('example.cn')).toEqual(['moon']);
    expect(await search('li.na@moon.example.cn')).toEqual(['moon']);
    expect(await search('acme.example.org/about')).toEqual(['acme']);
  });

  it('finds selects by their labels in either language, not by their stored values', async () => {
    expect(await search('展会')).toEqual(['star']);
    expect(await search('trade fair')).toEqual(['star']);
    expect(await search('大客户')).toEqual(['acme', 'star']);
    expect(await search('newcomer')).toEqual(['acme']);
    expect(await search('客户')).toEqual(['acme', 'star']);
    expect(await search('fair')).toEqual(['star']);
    expect(await search('vip')).toEqual([]);
  });

  it('leaves out fields that are not searchable', async () => {
    expect(await search('ZX-ALPHA')).toEqual([]);
    expect(await search('120')).toEqual([]);
  });

  it('works with filters, sorting, paging and counts', async () => {
    const filter = { field: 'size', op: 'gte', value: 100 };
    expect(await search('beijing', SYSTEM_ACTOR, { filter })).toEqual(['acme', 'star']);
    expect(await search('科技', SYSTEM_ACTOR, { filter })).toEqual(['star']);
    const first = await workspace.records.list('firm', SYSTEM_ACTOR, {
      q: '公司',
      sort: '-size',
      limit: 1,
      count: true,
    });
    expect(first.total).toBe(2);
    expect(first.data.map((r) => keyOf(r.id))).toEqual(['star']);
    const next = await workspace.records.list('firm', SYSTEM_ACTOR, {
      q: '公司',
      sort: '-size',
      limit: 1,
      cursor: first.nextCursor ?? undefined,
    });
    expect(next.data.map((r) => keyOf(r.id))).toEqual(['moon']);
    expect(next.nextCursor).toBeNull();
  });

  it('treats operators and punctuation as plain text and ignores a blank query', async () => {
    for (const q of ["'", "科技 & | ! <-> :* ( ) '", '\\', 'a:*b', '!!', '&', "beijing'|'", '(((']) {
      await workspace.records.list('firm', SYSTEM_ACTOR, { q });
    }
    expect(await search("beijing'&!")).toEqual(['acme', 'star']);
    expect(await search('!!!')).toEqual([]);
    expect(await search('   ')).toHaveLength(Object.keys(RECORDS).length);
  });

  it('refuses an over-long query, naming q, in both languages', async () => {
    const error = await engineError(
      workspace.records.list('firm', SYSTEM_ACTOR, { q: '科'.repeat(MAX_SEARCH_LENGTH + 1) }),
    );
    expect(error.kind).toBe('invalid-query');
    expect(error.problems[0]).toMatchObject({ pointer: '/q', code: 'too-long' });
    expect(error.problems[0].messages?.['zh-CN']).toMatch(/搜索内容最多/);
    expect(await search('科'.repeat(MAX_SEARCH_LENGTH))).toEqual([]);
  });

  it('keeps the index current on update, revert, delete and restore', async () => {
    await workspace.records.update('firm', ids.moon, { note: '杭州西湖 office' }, SYSTEM_ACTOR);
    expect(await search('西湖')).toEqual(['moon']);
    expect(await search('shanghai trading')).toEqual([]);
    const { version } = await workspace.records.update('firm', ids.moon, { note: '苏堤春晓' }, SYSTEM_ACTOR);
    expect(await search('苏堤')).toEqual(['moon']);
    await workspace.records.revert('firm', ids.moon, version - 1, SYSTEM_ACTOR);
    expect(await search('苏堤')).toEqual([]);
    expect(await search('西湖')).toEqual(['moon']);
    await workspace.records.delete('firm', ids.moon, SYSTEM_ACTOR);
    expect(await search('西湖')).toEqual([]);
    await workspace.records.restore('firm', ids.moon, SYSTEM_ACTOR);
    expect(await search('西湖')).toEqual(['moon']);
  });

  describe('access', () => {
    let reader: Actor;
    let owner: Actor;

    beforeAll(async () => {
      const org = organisation(handle());
      const a = await org.user('srch_reader');
      const b = await org.user('srch_owner');
      await org.role(role('srch_reader', 'mod_srch_firm', { read: 'all', fields: { secret: 'none' } }));
      await org.role(role('srch_owner', 'mod_srch_firm', { read: 'own', create: 'own' }));
      await org.grant(a, 'srch_reader');
      await org.grant(b, 'srch_owner');
      reader = actorOf(a);
      owner = actorOf(b);
      await workspace.records.create('firm', { name: '自有科技' }, owner);
    });

    it('a field the user may not read never makes a record match', async () => {
      expect(await search('银河', SYSTEM_ACTOR)).toEqual(['acme']);
      expect(await search('银河', reader)).toEqual([]);
      expect(await search('codename robots', reader)).toEqual([]);
      expect(await search('robots', reader)).toEqual(['acme']);
    });

    it('a user finds only records they may read', async () => {
      const found = await workspace.records.list('firm', owner, { q: '科技', count: true });
      expect(found.total).toBe(1);
      expect(found.data[0].name).toBe('自有科技');
    });
  });

  describe('many matches', () => {
    const MANY = FEW_MATCHES + 100;

    beforeAll(async () => {
      await workspace.definitions.saveDraft({
        id: 'mod_srch_bulk',
        name: 'bulk',
        label: { en: 'Bulk' },
        fields: [
          { id: 'bk_name', name: 'name', type: 'text', label: { en: 'Name' } },
          { id: 'bk_n', name: 'n', type: 'integer', label: { en: 'N' } },
        ],
      });
      await workspace.definitions.publish();
      const names = [
        ...Array.from({ length: MANY }, (_, i) => `华东科技 ${i}`),
        ...Array.from({ length: 30 }, (_, i) => `西北贸易 ${i}`),
      ];
      for (let i = 0; i < names.length; i += 200) {
        await Promise.all(
          names
            .slice(i, i + 200)
            .map((name, k) => workspace.records.create('bulk', { name, n: i + k }, SYSTEM_ACTOR)),
        );
      }
    }, 120_000);

    it('pages through more matches than are looked up by id, and through few', async () => {
      for (const [q, expected] of [
        ['华东科技', MANY],
        ['西北', 30],
      ] as const) {
        const seen = new Set<string>();
        let cursor: string | undefined;
        let total: number | undefined;
        do {
          const page = await workspace.records.list('bulk', SYSTEM_ACTOR, {
            q,
            limit: 500,
            cursor,
            count: true,
          });
          total ??= page.total;
          for (const record of page.data) {
            expect(String(record.name)).toContain(q);
            seen.add(record.id);
          }
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(seen.size).toBe(expected);
        expect(total).toBe(expected);
      }
      const filtered = await workspace.records.list('bulk', SYSTEM_ACTOR, {
        q: '科技',
        filter: { field: 'n', op: 'lt', value: 10 },
        count: true,
      });
      expect(filtered.total).toBe(10);
    });
  });

  describe('publishing changes which fields are searched', () => {
    it('a new searchable field needs no backfill; a field made searchable finds existing records, one made unsearchable no longer does', async () => {
      const draft = async (change: (fields: Record<string, unknown>[]) => Record<string, unknown>[]) => {
        const current = (await workspace.definitions.get('mod_srch_firm')).published;
        if (!current) throw new Error('not published');
        await workspace.definitions.saveDraft({ ...current, fields: change(current.fields) });
        return (await workspace.definitions.preview()).steps.filter((s) => s.kind.endsWith('Search'));
      };
      const added = await draft((fields) => [
        ...fields,
        { id: 'f_city', name: 'city', type: 'text', label: { en: 'City' } },
      ]);
      expect(added).toMatchObject([
        { kind: 'pauseSearch', rewritesTable: false },
        { kind: 'changeSearch', rewritesTable: false },
      ]);
      await workspace.definitions.publish();
      await workspace.records.update('firm', ids.moon, { city: '苏州' }, SYSTEM_ACTOR);
      expect(await search('苏州')).toEqual(['moon']);

      const changed = await draft((fields) =>
        fields.map((f) =>
          f.name === 'code'
            ? { ...f, searchable: true }
            : f.name === 'note'
              ? { ...f, searchable: false }
              : f,
        ),
      );
      expect(changed).toMatchObject([
        { kind: 'pauseSearch', rewritesTable: false },
        { kind: 'changeSearch', rewritesTable: false },
        { kind: 'backfillSearch', rewritesTable: true },
      ]);
      await workspace.definitions.publish();
      expect(await search('ZX-ALPHA')).toEqual(['acme']);
      expect(await search('海淀')).toEqual([]);
      expect(await search('西湖')).toEqual([]);
      expect(await search('苏州')).toEqual(['moon']);
      expect(await search('北京星辰')).toEqual(['star']);
    });

    it('a rename does not rebuild the index and search keeps working', async () => {
      const current = (await workspace.definitions.get('mod_srch_firm')).published;
      if (!current) throw new Error('not published');
      const fields = current.fields.map((f) => (f.name === 'name' ? { ...f, name: 'title' } : f));
      await workspace.definitions.saveDraft({ ...current, fields });
      const preview = await workspace.definitions.preview();
      expect(preview.steps.filter((s) => s.kind.endsWith('Search'))).toMatchObject([
        { kind: 'pauseSearch', rewritesTable: false },
        { kind: 'changeSearch', rewritesTable: false },
      ]);
      await workspace.definitions.publish();
      const found = await workspace.records.list('firm', SYSTEM_ACTOR, { q: '北京星辰' });
      expect(found.data.map((r) => r.title)).toEqual(['北京星辰科技有限公司']);
    });
  });

  it('gives tables without an up-to-date search column one when the workspace opens', async () => {
    const { engine } = handle();
    const table = `"${workspace.schema}"."bulk"`;
    await rawRows(engine, `ALTER TABLE ${table} DROP COLUMN ${SEARCH_COLUMN}`);
    await rawRows(engine, `COMMENT ON COLUMN "${workspace.schema}"."firm".${SEARCH_COLUMN} IS 'stale'`);
    // another server opening the same database
    const other = await (await Engine.open({ db: engine.db })).workspace('default');
    const found = await other.records.list('bulk', SYSTEM_ACTOR, { q: '西北', count: true });
    expect(found.total).toBe(30);
    expect((await other.records.list('firm', SYSTEM_ACTOR, { q: '星辰' })).data).toHaveLength(1);
    const [comment] = await rawRows(
      engine,
      `SELECT col_description('${table}'::regclass, a.attnum) AS c FROM pg_attribute a
       WHERE a.attrelid = '${table}'::regclass AND a.attname = '${SEARCH_COLUMN}'`,
    );
    expect(String(comment.c)).toContain('crm_search_vector_v1');
  });
});
