// Many-to-many relations: links kept in a join table in the user's order, written with the record,
// in the history, filterable and listed from both sides, within the actor's read scope, and kept
// across renames, removals (archived) and purges of linked records.
import { type Actor, type StoredRecord, SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { type EngineHandle, forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { organisation } from '../../support/org.ts';
import { schemaSteps } from '../../support/plan.ts';
import { rawRows } from '../../support/sql.ts';

const SCHEMA = 'ws_default';
const TAG = 'mod_m2m_tag';
const ARTICLE = 'mod_m2m_article';

const tag = {
  id: TAG,
  name: 'tag',
  label: { en: 'Tag', 'zh-CN': '标签' },
  fields: [{ id: 'tg_name', name: 'name', type: 'text', label: { en: 'Name' }, required: true }],
};

const article = {
  id: ARTICLE,
  name: 'article',
  label: { en: 'Article', 'zh-CN': '文章' },
  fields: [
    { id: 'ar_title', name: 'title', type: 'text', label: { en: 'Title' }, required: true },
    {
      id: 'ar_tags',
      name: 'tags',
      type: 'relations',
      label: { en: 'Tags', 'zh-CN': '标签' },
      target: TAG,
      inverse: { name: 'articles', label: { en: 'Articles', 'zh-CN': '文章' } },
    },
    {
      id: 'ar_cites',
      name: 'cites',
      type: 'relations',
      label: { en: 'Cites' },
      target: ARTICLE,
      inverse: { name: 'cited_by', label: { en: 'Cited by' } },
      maxItems: 3,
    },
  ],
};

const MISSING = '0190aaaa-0000-7000-8000-000000000000';

forEachDatabase('many-to-many relations', (handle) => {
  let workspace: Workspace;
  const tags: Record<string, string> = {};
  const create = (values: Record<string, unknown>, actor: Actor = SYSTEM_ACTOR) =>
    workspace.records.create('article', values, actor);
  const links = async (id: string) =>
    (
      await rawRows(
        handle().engine,
        `SELECT l.target_id::text AS t FROM ${SCHEMA}."${await linkTable(handle(), ARTICLE, 'ar_tags')}" l
         WHERE l.source_id = '${id}' ORDER BY l.position`,
      )
    ).map((r) => r.t);

  beforeAll(async () => {
    workspace = handle().workspace;
    await workspace.definitions.saveDraft(tag);
    await workspace.definitions.saveDraft(article);
    await workspace.definitions.publish();
    for (const name of ['red', 'green', 'blue', 'spare']) {
      tags[name] = (await workspace.records.create('tag', { name }, SYSTEM_ACTOR)).id;
    }
  });

  describe('writing links', () => {
    it('keeps the given order on create, read, list and update, with the history from and to', async () => {
      const created = await create({ title: 'Order', tags: [tags.blue, tags.red, tags.green] });
      expect(created.tags).toEqual([tags.blue, tags.red, tags.green]);
      expect((await workspace.records.get('article', created.id, SYSTEM_ACTOR)).tags).toEqual([
        tags.blue,
        tags.red,
        tags.green,
      ]);
      const listed = await workspace.records.list('article', SYSTEM_ACTOR, {
        filter: { field: 'title', op: 'eq', value: 'Order' },
      });
      expect(listed.data[0].tags).toEqual([tags.blue, tags.red, tags.green]);
      expect(await links(created.id)).toEqual([tags.blue, tags.red, tags.green]);

      const updated = await workspace.records.update(
        'article',
        created.id,
        { tags: [tags.green, tags.blue] },
        SYSTEM_ACTOR,
      );
      expect(updated.version).toBe(2);
      expect(updated.tags).toEqual([tags.green, tags.blue]);
      expect(await links(created.id)).toEqual([tags.green, tags.blue]);

      // a patch leaving the links alone keeps them, and the returned record shows them
      const renamed = await workspace.records.update(
        'article',
        created.id,
        { title: 'Order 2' },
        SYSTEM_ACTOR,
      );
      expect(renamed.tags).toEqual([tags.green, tags.blue]);

      const history = await workspace.records.history('article', created.id, SYSTEM_ACTOR);
      expect(history.map((h) => h.op)).toEqual(['update', 'update', 'create']);
      expect(history[2].changes.tags).toEqual({ to: [tags.blue, tags.red, tags.green] });
      expect(history[1].changes.tags).toEqual({
        from: [tags.blue, tags.red, tags.green],
        to: [tags.green, tags.blue],
      });
      expect(history[0].changes.tags).toBeUndefined();
    });

    it('reverts the links to an earlier version with the rest of the record', async () => {
      const record = await create({ title: 'V1', tags: [tags.red, tags.green] });
      await workspace.records.update('article', record.id, { title: 'V2', tags: [tags.blue] }, SYSTEM_ACTOR);
      const reverted = await workspace.records.revert('article', record.id, 1, SYSTEM_ACTOR);
      expect(reverted).toMatchObject({ version: 3, title: 'V1', tags: [tags.red, tags.green] });
      expect(await links(record.id)).toEqual([tags.red, tags.green]);
      const [entry] = await workspace.records.history('article', record.id, SYSTEM_ACTOR);
      expect(entry.changes.tags).toEqual({ from: [tags.blue], to: [tags.red, tags.green] });
    });

    it('clears the links with null or an empty list, and the same list again changes nothing', async () => {
      const record = await create({ title: 'Clear', tags: [tags.red] });
      const same = await workspace.records.update('article', record.id, { tags: [tags.red] }, SYSTEM_ACTOR);
      expect(same.version).toBe(1);
      const cleared = await workspace.records.update('article', record.id, { tags: [] }, SYSTEM_ACTOR);
      expect(cleared.tags).toBeNull();
      expect(await links(record.id)).toEqual([]);
      await workspace.records.update('article', record.id, { tags: [tags.blue] }, SYSTEM_ACTOR);
      const nulled = await workspace.records.update('article', record.id, { tags: null }, SYSTEM_ACTOR);
      expect(nulled.tags).toBeNull();
      expect(nulled.version).toBe(4);
      expect(await links(record.id)).toEqual([]);
      expect((await create({ title: 'None' })).tags).toBeNull();
    });

    it('refuses an id listed twice, also in another letter case', async () => {
      const twice = await engineError(create({ title: 'Twice', tags: [tags.red, tags.red] }));
      expect(twice.kind).toBe('invalid-record');
      expect(twice.problems[0]).toMatchObject({ pointer: '/tags', code: 'uniqueItems' });
      const cased = await engineError(create({ title: 'Cased', tags: [tags.red, tags.red.toUpperCase()] }));
      expect(cased.problems).toEqual([expect.objectContaining({ pointer: '/tags/1', code: 'uniqueItems' })]);
      expect(cased.problems[0].messages?.['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    });

    it('names each unknown target by its position and writes nothing', async () => {
      const before = await workspace.records.list('article', SYSTEM_ACTOR, { count: true });
      const error = await engineError(create({ title: 'Unknown', tags: [tags.red, MISSING, tags.blue] }));
      expect(error.kind).toBe('invalid-record');
      expect(error.problems).toEqual([
        expect.objectContaining({
          pointer: '/tags/1',
          code: 'relation',
          message: 'no tag record has this id',
        }),
      ]);
      expect(error.problems[0].messages?.['zh-CN']).toBe('关联的记录不存在');
      const after = await workspace.records.list('article', SYSTEM_ACTOR, { count: true });
      expect(after.total).toBe(before.total);

      const record = await create({ title: 'Kept', tags: [tags.green] });
      const update = await engineError(
        workspace.records.update('article', record.id, { title: 'Changed', tags: [MISSING] }, SYSTEM_ACTOR),
      );
      expect(update.problems.map((p) => p.pointer)).toEqual(['/tags/0']);
      const stored = await workspace.records.get('article', record.id, SYSTEM_ACTOR);
      expect(stored).toMatchObject({ version: 1, title: 'Kept', tags: [tags.green] });
      expect(await links(record.id)).toEqual([tags.green]);
    });

    it('refuses more links than maxItems and values that are no list of ids', async () => {
      const others = await Promise.all([1, 2, 3, 4].map((n) => create({ title: `Paper ${n}` })));
      const many = await engineError(create({ title: 'Many', cites: others.map((o) => o.id) }));
      expect(many.problems[0]).toMatchObject({ pointer: '/cites', code: 'maxItems' });
      const notIds = await engineError(create({ title: 'Bad', tags: ['red'] }));
      expect(notIds.problems[0]).toMatchObject({ pointer: '/tags/0', code: 'format' });
      const notList = await engineError(create({ title: 'Bad', tags: tags.red }));
      expect(notList.problems[0]).toMatchObject({ pointer: '/tags', code: 'type' });
    });

    it('serialises concurrent link changes of one record: each lands once, the history is a chain', async () => {
      const record = await create({ title: 'Busy' });
      const [r, g, b, s] = [tags.red, tags.green, tags.blue, tags.spare];
      const lists = [
        [r],
        [g],
        [b],
        [s],
        [r, g],
        [g, r],
        [b, s],
        [s, b],
        [r, g, b],
        [b, g, r],
        [s, r, g, b],
        [g],
      ];
      // [g] comes twice: when the two land one after the other, the second changes nothing
      await Promise.all(
        lists.map((list) => workspace.records.update('article', record.id, { tags: list }, SYSTEM_ACTOR)),
      );
      const stored = await workspace.records.get('article', record.id, SYSTEM_ACTOR);
      const history = (await workspace.records.history('article', record.id, SYSTEM_ACTOR)).reverse();
      const updates = history.filter((h) => h.op === 'update');
      expect(stored.version).toBe(1 + updates.length);
      expect(updates.length).toBeGreaterThanOrEqual(lists.length - 1);
      let previous: unknown = null;
      for (const entry of updates) {
        expect(entry.changes.tags.from).toEqual(previous);
        previous = entry.changes.tags.to;
      }
      expect(stored.tags).toEqual(previous);
      expect(await links(record.id)).toEqual(previous);
    });

    it('links a module to itself, listed from both sides', async () => {
      const a = await create({ title: 'Self A' });
      const b = await create({ title: 'Self B', cites: [a.id] });
      const c = await create({ title: 'Self C', cites: [a.id, b.id] });
      const self = await workspace.records.update('article', a.id, { cites: [a.id] }, SYSTEM_ACTOR);
      expect(self.cites).toEqual([a.id]);
      const citedBy = await workspace.records.related('article', a.id, 'cited_by', SYSTEM_ACTOR);
      expect(titles(citedBy.data)).toEqual(['Self A', 'Self B', 'Self C']);
      const cites = await workspace.records.related('article', c.id, 'cites', SYSTEM_ACTOR);
      expect(titles(cites.data)).toEqual(['Self A', 'Self B']);
      // deleting a record removes its links on both sides
      await workspace.records.delete('article', b.id, SYSTEM_ACTOR);
      expect((await workspace.records.get('article', c.id, SYSTEM_ACTOR)).cites).toEqual([a.id]);
    });
  });

  describe('filters and related lists', () => {
    const ids: Record<string, string> = {};
    const found = async (filter: unknown, module = 'article') =>
      (await workspace.records.list(module, SYSTEM_ACTOR, { filter, limit: 500 })).data
        .map((r) => String(r.title ?? r.name))
        .filter((t) => t.startsWith('F-') || module === 'tag')
        .sort();

    beforeAll(async () => {
      ids.rg = (await create({ title: 'F-rg', tags: [tags.red, tags.green] })).id;
      ids.g = (await create({ title: 'F-g', tags: [tags.green] })).id;
      ids.b = (await create({ title: 'F-b', tags: [tags.blue] })).id;
      ids.none = (await create({ title: 'F-none' })).id;
    });

    it('filters the source by its links: any, all, none, empty, not empty', async () => {
      expect(await found({ field: 'tags', op: 'hasAny', value: [tags.red, tags.blue] })).toEqual([
        'F-b',
        'F-rg',
      ]);
      expect(await found({ field: 'tags', op: 'hasAll', value: [tags.green, tags.red] })).toEqual(['F-rg']);
      expect(await found({ field: 'tags', op: 'hasAll', value: [tags.green, tags.green] })).toEqual([
        'F-g',
        'F-rg',
      ]);
      expect(await found({ field: 'tags', op: 'hasNone', value: [tags.green] })).toEqual(['F-b', 'F-none']);
      expect(await found({ field: 'tags', op: 'empty' })).toEqual(['F-none']);
      expect(await found({ field: 'tags', op: 'notEmpty' })).toEqual(['F-b', 'F-g', 'F-rg']);
      expect(await found({ not: { field: 'tags', op: 'hasAny', value: [tags.blue] } })).toEqual([
        'F-g',
        'F-none',
        'F-rg',
      ]);
    });

    it('filters the source by the linked records’ fields', async () => {
      expect(await found({ field: 'tags.name', op: 'eq', value: 'red' })).toEqual(['F-rg']);
      expect(await found({ field: 'tags.name', op: 'in', value: ['green', 'blue'] })).toEqual([
        'F-b',
        'F-g',
        'F-rg',
      ]);
      // through no link at all, the linked field counts as empty
      expect(await found({ field: 'tags.name', op: 'empty' })).toEqual(['F-none']);
    });

    it('filters the target by its inverse list: linked to given records, or to records matching', async () => {
      const tagNames = async (filter: unknown) =>
        (await workspace.records.list('tag', SYSTEM_ACTOR, { filter })).data.map((r) => r.name).sort();
      expect(await tagNames({ field: 'articles', op: 'hasAny', value: [ids.rg] })).toEqual(['green', 'red']);
      expect(await tagNames({ field: 'articles', op: 'hasAll', value: [ids.rg, ids.g] })).toEqual(['green']);
      expect(await tagNames({ field: 'articles.title', op: 'eq', value: 'F-b' })).toEqual(['blue']);
      await workspace.records.create('tag', { name: 'lonely' }, SYSTEM_ACTOR);
      const unlinked = await tagNames({ field: 'articles', op: 'empty' });
      expect(unlinked).toContain('lonely');
      expect(unlinked).not.toContain('green');
    });

    it('lists linked records from both sides', async () => {
      const onGreen = await workspace.records.related('tag', tags.green, 'articles', SYSTEM_ACTOR, {
        filter: { field: 'title', op: 'startsWith', value: 'F-' },
        count: true,
      });
      expect(titles(onGreen.data)).toEqual(['F-g', 'F-rg']);
      expect(onGreen.total).toBe(2);
      const ofRg = await workspace.records.related('article', ids.rg, 'tags', SYSTEM_ACTOR);
      expect(ofRg.data.map((r) => r.name).sort()).toEqual(['green', 'red']);
      expect(
        (await engineError(workspace.records.related('article', ids.rg, 'nosuch', SYSTEM_ACTOR))).kind,
      ).toBe('not-found');
    });

    it('refuses operators and values that do not fit a many relation', async () => {
      const eq = await engineError(found({ field: 'tags', op: 'eq', value: tags.red }));
      expect(eq.problems[0]).toMatchObject({ pointer: '/filter/op', code: 'invalid-filter' });
      const bad = await engineError(found({ field: 'tags', op: 'hasAny', value: [tags.red, 'red'] }));
      expect(bad.problems[0]).toMatchObject({ pointer: '/filter/value/1', code: 'invalid-value' });
      const sort = await engineError(workspace.records.list('article', SYSTEM_ACTOR, { sort: 'tags' }));
      expect(sort.kind).toBe('invalid-query');
    });
  });

  describe('access scope', () => {
    it('filters and related lists see only the records the actor may read, on both modules', async () => {
      const org = organisation(handle());
      const rep = await org.user('m2m_rep');
      const other = await org.user('m2m_other');
      await org.role({
        id: 'm2m_rep',
        label: { en: 'Rep', 'zh-CN': '销售' },
        modules: { [TAG]: { read: 'own' }, [ARTICLE]: { read: 'own', update: 'own' } },
      });
      await org.grant(rep, 'm2m_rep');
      const mine = await workspace.records.create('tag', { name: 'mine', owner: rep.id }, SYSTEM_ACTOR);
      const theirs = await workspace.records.create('tag', { name: 'theirs', owner: other.id }, SYSTEM_ACTOR);
      const own = await create({ title: 'S-own', tags: [mine.id, theirs.id], owner: rep.id });
      const foreign = await create({ title: 'S-foreign', tags: [mine.id], owner: other.id });
      const actor = { userId: rep.id };

      const through = (name: string) =>
        workspace.records.list('article', actor, { filter: { field: 'tags.name', op: 'eq', value: name } });
      expect(titles((await through('mine')).data)).toEqual(['S-own']);
      expect((await through('theirs')).data).toEqual([]);
      const back = await workspace.records.list('tag', actor, {
        filter: { field: 'articles.title', op: 'startsWith', value: 'S-' },
      });
      expect(back.data.map((r) => r.name)).toEqual(['mine']);
      const foreignTag = await workspace.records.list('tag', actor, {
        filter: { field: 'articles.title', op: 'eq', value: 'S-foreign' },
      });
      expect(foreignTag.data).toEqual([]);
      // an inverse list counts only the records linking here that the actor may read
      const linkedByForeign = await workspace.records.list('tag', actor, {
        filter: { field: 'articles', op: 'hasAny', value: [foreign.id] },
      });
      expect(linkedByForeign.data).toEqual([]);
      const linkedByOwn = await workspace.records.list('tag', actor, {
        filter: { field: 'articles', op: 'hasAny', value: [own.id, foreign.id] },
      });
      expect(linkedByOwn.data.map((r) => r.name)).toEqual(['mine']);
      // the ids an article holds count whoever may read them, as its value shows them
      const holding = await workspace.records.list('article', actor, {
        filter: { field: 'tags', op: 'hasAll', value: [mine.id, theirs.id] },
      });
      expect(titles(holding.data)).toEqual(['S-own']);
      expect((await workspace.records.get('article', own.id, actor)).tags).toEqual([mine.id, theirs.id]);

      expect(titles((await workspace.records.related('tag', mine.id, 'articles', actor)).data)).toEqual([
        'S-own',
      ]);
      const linked = await workspace.records.related('article', own.id, 'tags', actor);
      expect(linked.data.map((r) => r.name)).toEqual(['mine']);
      expect((await engineError(workspace.records.related('article', foreign.id, 'tags', actor))).kind).toBe(
        'not-found',
      );
    });
    it('hides the links, their filters and related lists from an actor who may not read the field', async () => {
      const org = organisation(handle());
      const blind = await org.user('m2m_blind');
      await org.role({
        id: 'm2m_blind',
        label: { en: 'Blind', 'zh-CN': '不可见' },
        modules: { [TAG]: { read: 'all' }, [ARTICLE]: { read: 'all', fields: { tags: 'none' } } },
      });
      await org.grant(blind, 'm2m_blind');
      const actor = { userId: blind.id };
      const record = await create({ title: 'Hidden', tags: [tags.red] });
      expect(await workspace.records.get('article', record.id, actor)).not.toHaveProperty('tags');
      for (const [module, field] of [
        ['article', 'tags'],
        ['article', 'tags.name'],
        ['tag', 'articles'],
        ['tag', 'articles.title'],
      ]) {
        const error = await engineError(
          workspace.records.list(module, actor, { filter: { field, op: 'notEmpty' } }),
        );
        expect(error.problems[0]).toMatchObject({ code: 'unknown-field' });
      }
      for (const [module, id, list] of [
        ['article', record.id, 'tags'],
        ['tag', tags.red, 'articles'],
      ]) {
        expect((await engineError(workspace.records.related(module, id, list, actor))).kind).toBe(
          'not-found',
        );
      }
      const write = await engineError(workspace.records.update('article', record.id, { tags: [] }, actor));
      // a field the actor cannot read is answered as unknown, as any other hidden field
      expect(write).toMatchObject({
        kind: 'invalid-record',
        problems: [expect.objectContaining({ pointer: '/tags' })],
      });
      expect(await links(record.id)).toEqual([tags.red]);
    });
  });

  describe('definition changes', () => {
    it('refuses a missing target, an inverse name taken on the target, and an index', async () => {
      const bad = {
        id: 'mod_m2m_bad',
        name: 'bad',
        label: { en: 'Bad' },
        fields: [
          { id: 'bd_nowhere', name: 'nowhere', type: 'relations', label: { en: 'N' }, target: 'mod_none' },
          {
            id: 'bd_field',
            name: 'clash_field',
            type: 'relations',
            label: { en: 'F' },
            target: TAG,
            inverse: { name: 'name', label: { en: 'Name' } },
          },
          {
            id: 'bd_inverse',
            name: 'clash_inverse',
            type: 'relation',
            label: { en: 'I' },
            target: TAG,
            inverse: { name: 'articles', label: { en: 'Articles' } },
          },
          {
            id: 'bd_unique',
            name: 'unique_links',
            type: 'relations',
            label: { en: 'U' },
            target: TAG,
            unique: true,
          },
        ],
      };
      await workspace.definitions.saveDraft(bad);
      const error = await engineError(workspace.definitions.publish(['bad']));
      expect(error.kind).toBe('invalid-definition');
      expect(error.problems.map((p) => p.pointer)).toEqual(['/modules/bad/fields/3/unique']);
      await workspace.definitions.saveDraft({ ...bad, fields: bad.fields.slice(0, 3) });
      const refused = await engineError(workspace.definitions.publish(['bad']));
      expect(refused.problems.map((p) => [p.pointer, p.message])).toEqual([
        ['/modules/bad/fields/0/target', "no module with id 'mod_none'"],
        ['/modules/bad/fields/1/inverse/name', "module 'tag' already has a field named 'name'"],
        [
          '/modules/bad/fields/2/inverse/name',
          "article.tags already lists its records on 'tag' as 'articles'",
        ],
      ]);
      await workspace.definitions.discardDraft('bad');
    });

    it('keeps the links when the modules and the field are renamed', async () => {
      const record = await create({ title: 'Rename', tags: [tags.red, tags.blue] });
      await workspace.definitions.saveDraft({ ...tag, name: 'label' });
      await workspace.definitions.saveDraft({
        ...article,
        name: 'post',
        fields: article.fields.map((f) => (f.id === 'ar_tags' ? { ...f, name: 'labels' } : f)),
      });
      const preview = await workspace.definitions.preview();
      expect(schemaSteps(preview.steps).map((s) => s.kind)).toEqual(['renameTable', 'renameTable']);
      await workspace.definitions.publish();
      const post = await workspace.records.get('post', record.id, SYSTEM_ACTOR);
      expect(post.labels).toEqual([tags.red, tags.blue]);
      const onRed = await workspace.records.list('post', SYSTEM_ACTOR, {
        filter: { field: 'labels.name', op: 'eq', value: 'red' },
      });
      expect(titles(onRed.data)).toContain('Rename');
      await workspace.definitions.saveDraft(tag);
      await workspace.definitions.saveDraft(article);
      await workspace.definitions.publish();
      expect((await workspace.records.get('article', record.id, SYSTEM_ACTOR)).tags).toEqual([
        tags.red,
        tags.blue,
      ]);
      // the target alone renamed: the article module's version stays, its statements follow the new name
      await workspace.definitions.saveDraft({ ...tag, name: 'keyword' });
      await workspace.definitions.publish();
      expect((await workspace.records.get('article', record.id, SYSTEM_ACTOR)).tags).toEqual([
        tags.red,
        tags.blue,
      ]);
      await workspace.definitions.saveDraft(tag);
      await workspace.definitions.publish();
    });

    it('hides links to records in the recycle bin, keeps them for a restore, and a purge removes them', async () => {
      const binned = (await workspace.records.create('tag', { name: 'binned' }, SYSTEM_ACTOR)).id;
      const record = await create({ title: 'Bin', tags: [binned, tags.red] });
      await workspace.records.delete('tag', binned, SYSTEM_ACTOR);
      expect((await workspace.records.get('article', record.id, SYSTEM_ACTOR)).tags).toEqual([tags.red]);
      const bySpare = await workspace.records.list('article', SYSTEM_ACTOR, {
        filter: { field: 'tags', op: 'hasAny', value: [binned] },
      });
      expect(bySpare.data).toEqual([]);
      // a binned record cannot be linked, and changing the list leaves its hidden link alone
      const refused = await engineError(
        workspace.records.update('article', record.id, { tags: [binned] }, SYSTEM_ACTOR),
      );
      expect(refused.problems.map((p) => p.pointer)).toEqual(['/tags/0']);
      await workspace.records.update('article', record.id, { tags: [tags.green] }, SYSTEM_ACTOR);
      expect(await links(record.id)).toEqual(expect.arrayContaining([binned, tags.green]));

      await workspace.records.restore('tag', binned, SYSTEM_ACTOR);
      const restored = await workspace.records.get('article', record.id, SYSTEM_ACTOR);
      expect([...(restored.tags as string[])].sort()).toEqual([binned, tags.green].sort());
      const onSpare = await workspace.records.related('tag', binned, 'articles', SYSTEM_ACTOR);
      expect(titles(onSpare.data)).toEqual(['Bin']);

      // the article in the bin leaves the tag's list, and comes back with its links
      await workspace.records.delete('article', record.id, SYSTEM_ACTOR);
      expect((await workspace.records.related('tag', binned, 'articles', SYSTEM_ACTOR)).data).toEqual([]);
      await workspace.records.restore('article', record.id, SYSTEM_ACTOR);
      expect(titles((await workspace.records.related('tag', binned, 'articles', SYSTEM_ACTOR)).data)).toEqual(
        ['Bin'],
      );

      await workspace.records.delete('tag', binned, SYSTEM_ACTOR);
      await workspace.records.purge('tag', SYSTEM_ACTOR, { id: binned });
      expect(await links(record.id)).toEqual([tags.green]);
      expect((await workspace.records.get('article', record.id, SYSTEM_ACTOR)).tags).toEqual([tags.green]);
    });

    it('archives the links of a removed field, data kept, and a field made many starts from its value', async () => {
      const record = await create({ title: 'Archive', tags: [tags.green, tags.red] });
      const table = await linkTable(handle(), ARTICLE, 'ar_tags');
      await workspace.definitions.saveDraft({
        ...article,
        fields: article.fields.filter((f) => f.id !== 'ar_tags'),
      });
      const result = await workspace.definitions.publish();
      const archive = result.steps.find((s) => s.kind === 'archiveLinkTable');
      expect(archive?.description['zh-CN']).toMatch(/归档/);
      const version = result.modules[0].toVersion;
      const archived = await rawRows(
        handle().engine,
        `SELECT target_id::text AS t FROM ${SCHEMA}."_arch_v${version}_${table}"
         WHERE source_id = '${record.id}' ORDER BY position`,
      );
      expect(archived.map((r) => r.t)).toEqual([tags.green, tags.red]);
      const meta = await rawRows(
        handle().engine,
        `SELECT table_name, columns FROM crm_meta.archived_columns WHERE module_id = '${ARTICLE}' AND field_id = 'ar_tags'`,
      );
      const archivedTable = `_arch_v${version}_${table}`;
      expect(meta.map((r) => r.table_name)).toEqual([archivedTable]);
      expect((await workspace.records.get('article', record.id, SYSTEM_ACTOR)).tags).toBeUndefined();
      const entry = (await workspace.definitions.archived.list('article')).find(
        (e) => e.columns[0] === archivedTable,
      );
      expect(entry).toMatchObject({ reason: 'removed', field: { id: 'ar_tags', name: 'tags' } });
      const linkCount = await rawRows(
        handle().engine,
        `SELECT count(*) AS n FROM ${SCHEMA}."${archivedTable}"`,
      );
      expect(entry?.values).toBe(Number(linkCount[0].n));
      expect(entry?.values).toBeGreaterThanOrEqual(2);

      // the field comes back as a single relation, then becomes many: the one value becomes one link
      await workspace.definitions.saveDraft({
        ...article,
        fields: [
          ...article.fields.filter((f) => f.id !== 'ar_tags'),
          { id: 'ar_main', name: 'main', type: 'relation', label: { en: 'Main' }, target: TAG },
        ],
      });
      await workspace.definitions.publish();
      await workspace.records.update('article', record.id, { main: tags.blue }, SYSTEM_ACTOR);
      await workspace.definitions.saveDraft({
        ...article,
        fields: [
          ...article.fields.filter((f) => f.id !== 'ar_tags'),
          { id: 'ar_main', name: 'main', type: 'relations', label: { en: 'Main' }, target: TAG },
        ],
      });
      await workspace.definitions.publish();
      expect((await workspace.records.get('article', record.id, SYSTEM_ACTOR)).main).toEqual([tags.blue]);
      // and it is written like any many relation
      await workspace.records.update('article', record.id, { main: [tags.green, tags.blue] }, SYSTEM_ACTOR);
      expect((await workspace.records.get('article', record.id, SYSTEM_ACTOR)).main).toEqual([
        tags.green,
        tags.blue,
      ]);

      // purging the archived links drops their table and nothing of the module's own
      const purged = await workspace.definitions.archived.purge('article', archivedTable, SYSTEM_ACTOR);
      expect(purged.map((p) => p.columns)).toEqual([[archivedTable]]);
      const left = await rawRows(
        handle().engine,
        `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = '${SCHEMA}' AND table_name = '${archivedTable}'`,
      );
      expect(Number(left[0].n)).toBe(0);
      expect(await workspace.records.get('article', record.id, SYSTEM_ACTOR)).toMatchObject({
        title: 'Archive',
        main: [tags.green, tags.blue],
      });
    });
  });
});

function titles(records: StoredRecord[]): string[] {
  return records.map((r) => String(r.title)).sort();
}

/** The join table of a many-relation field, as the engine names it (by stable ids). */
async function linkTable(handle: EngineHandle, moduleId: string, fieldId: string): Promise<string> {
  const module = handle.workspace.catalog.byId(moduleId);
  const table = module?.fields.find((f) => f.definition.id === fieldId)?.linkTable;
  if (table) return table;
  const rows = await rawRows(
    handle.engine,
    `SELECT table_name FROM information_schema.tables WHERE table_schema = '${SCHEMA}' AND table_name LIKE '_links_%'`,
  );
  throw new Error(
    `no link table for ${moduleId}/${fieldId} (have ${rows.map((r) => r.table_name).join(', ')})`,
  );
}
