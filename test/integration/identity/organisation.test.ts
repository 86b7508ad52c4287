import type { Department } from '@crm/engine';
import { describe, expect, it } from 'vitest';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { rawRows } from '../../support/sql.ts';

const name = (en: string, zh?: string): Record<string, string> => (zh ? { en, 'zh-CN': zh } : { en });

forEachDatabase('organisation', (handle) => {
  const identity = () => handle().workspace.identity;
  const person = (username: string, extra: Record<string, unknown> = {}) =>
    identity().users.create({ username, displayName: username, ...extra });

  describe('the department tree', () => {
    it('nests departments without limit, each path listing the ids from the root down', async () => {
      const { departments } = identity();
      const company = await departments.create({ name: name('Company', '公司') });
      expect(company.path).toBe(`/${company.id}/`);
      let parent: Department = company;
      const chain = [company];
      for (let depth = 1; depth < 12; depth++) {
        parent = await departments.create({ name: name(`Level ${depth}`), parentId: parent.id });
        chain.push(parent);
      }
      expect(parent.path).toBe(`/${chain.map((d) => d.id).join('/')}/`);
      expect(parent.parentId).toBe(chain[10].id);
      const subtree = await departments.subtree(chain[9].id);
      expect(subtree.map((d) => d.id)).toEqual(chain.slice(9).map((d) => d.id));
    });

    it('moves a subtree by rewriting every path under it in one go', async () => {
      const { departments } = identity();
      const root = await departments.create({ name: name('Group') });
      const sales = await departments.create({ name: name('Sales', '销售部'), parentId: root.id });
      const east = await departments.create({ name: name('East', '华东'), parentId: sales.id });
      const shanghai = await departments.create({ name: name('Shanghai', '上海'), parentId: east.id });
      const marketing = await departments.create({ name: name('Marketing', '市场部'), parentId: root.id });

      const moved = await departments.move(east.id, marketing.id);
      expect(moved.parentId).toBe(marketing.id);
      expect(moved.path).toBe(`/${root.id}/${marketing.id}/${east.id}/`);
      expect((await departments.get(shanghai.id)).path).toBe(
        `/${root.id}/${marketing.id}/${east.id}/${shanghai.id}/`,
      );
      expect((await departments.get(shanghai.id)).parentId).toBe(east.id);
      expect((await departments.get(sales.id)).path).toBe(`/${root.id}/${sales.id}/`);

      const top = await departments.move(east.id, null);
      expect(top.path).toBe(`/${east.id}/`);
      expect((await departments.get(shanghai.id)).path).toBe(`/${east.id}/${shanghai.id}/`);
      // every stored path agrees with the parent links
      const { schema } = handle().workspace;
      const broken = await rawRows(
        handle().engine,
        `SELECT c.id FROM "${schema}"._departments c LEFT JOIN "${schema}"._departments p ON p.id = c.parent_id
         WHERE c.path <> coalesce(p.path, '/') || c.id || '/'`,
      );
      expect(broken).toEqual([]);
    });

    it('refuses a move under the department itself or one of its descendants', async () => {
      const { departments } = identity();
      const a = await departments.create({ name: name('A') });
      const b = await departments.create({ name: name('B'), parentId: a.id });
      const c = await departments.create({ name: name('C'), parentId: b.id });
      for (const target of [a, b, c]) {
        const error = await engineError(departments.move(a.id, target.id));
        expect(error.kind).toBe('invalid-input');
        expect(error.problems).toMatchObject([{ pointer: '/parentId', code: 'cycle' }]);
        expect(error.problems[0].messages?.['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      }
      expect((await departments.get(c.id)).path).toBe(`/${a.id}/${b.id}/${c.id}/`);
      expect(
        (await engineError(departments.move(a.id, '01890000-0000-7000-8000-00000000dead'))).problems,
      ).toMatchObject([{ pointer: '/parentId', code: 'not-found' }]);
    });

    it('lets only one of two crossing concurrent moves through, so no cycle can form', async () => {
      const { departments } = identity();
      const left = await departments.create({ name: name('Left') });
      const right = await departments.create({ name: name('Right') });
      const results = await Promise.allSettled([
        departments.move(left.id, right.id),
        departments.move(right.id, left.id),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const [l, r] = [await departments.get(left.id), await departments.get(right.id)];
      expect(l.parentId === right.id && r.parentId === left.id).toBe(false);
      expect([l.path, r.path].sort((a, b) => a.length - b.length)[1]).toMatch(/^\/[^/]+\/[^/]+\/$/);
    });

    it('renames with a locale map, sets a head, and archives only empty departments', async () => {
      const { departments } = identity();
      const dept = await departments.create({ name: name('Support') });
      const child = await departments.create({ name: name('Tier 1'), parentId: dept.id });
      const renamed = await departments.rename(dept.id, name('Service', '客服部'));
      expect(renamed.name).toEqual({ en: 'Service', 'zh-CN': '客服部' });
      const head = await person('head.of.service', { departmentId: dept.id });
      expect((await departments.setHead(dept.id, head.id)).headId).toBe(head.id);

      expect((await engineError(departments.archive(dept.id))).kind).toBe('conflict');
      await departments.archive(child.id);
      await identity().users.update(head.id, { departmentId: null });
      const archived = await departments.archive(dept.id);
      expect(archived.archived).toBe(true);
      expect((await departments.list()).map((d) => d.id)).not.toContain(dept.id);
      expect((await departments.list({ includeArchived: true })).map((d) => d.id)).toContain(dept.id);
      expect(
        (await engineError(departments.create({ name: name('X'), parentId: dept.id }))).problems,
      ).toMatchObject([{ pointer: '/parentId', code: 'archived' }]);
      expect((await engineError(departments.restore(child.id))).kind).toBe('conflict');
      await departments.restore(dept.id);
      await departments.restore(child.id);
      expect((await departments.get(child.id)).archived).toBe(false);
    });

    it('checks names as locale maps and answers unknown ids with not-found', async () => {
      const { departments } = identity();
      expect((await engineError(departments.create({ name: {} }))).problems[0].pointer).toBe('/name');
      expect((await engineError(departments.get('not-a-uuid'))).kind).toBe('not-found');
      expect(
        (await engineError(departments.rename('01890000-0000-7000-8000-00000000beef', name('x')))).kind,
      ).toBe('not-found');
    });
  });

  describe('people and their managers', () => {
    it('creates users with lowercased unique usernames and no password hash in sight', async () => {
      const user = await person('Li.Lei', { email: 'li.lei@example.com', locale: 'zh-CN' });
      expect(user).toMatchObject({
        username: 'li.lei',
        status: 'active',
        isAdmin: false,
        hasPassword: false,
      });
      expect(user).not.toHaveProperty('passwordHash');
      const taken = await engineError(person('LI.LEI'));
      expect(taken.kind).toBe('conflict');
      expect(taken.problems[0].pointer).toBe('/username');
      expect((await engineError(person('bad name'))).problems[0].pointer).toBe('/username');
      expect((await engineError(person('x', { locale: 'fr' }))).problems[0].pointer).toBe('/locale');
      expect(
        (await engineError(person('y', { departmentId: '01890000-0000-7000-8000-00000000dead' }))).problems,
      ).toMatchObject([{ pointer: '/departmentId', code: 'not-found' }]);
    });

    it('gives the manager chain nearest first, stepping over managers who left', async () => {
      const ceo = await person('chain.ceo');
      const vp = await person('chain.vp', { managerId: ceo.id });
      const director = await person('chain.director', { managerId: vp.id });
      const manager = await person('chain.manager', { managerId: director.id });
      const rep = await person('chain.rep', { managerId: manager.id });

      const names = async (levels: number) =>
        (await identity().managerChain(rep.id, levels)).map((u) => u.username);
      expect(await names(2)).toEqual(['chain.manager', 'chain.director']);
      expect(await names(10)).toEqual(['chain.manager', 'chain.director', 'chain.vp', 'chain.ceo']);
      await identity().users.leave(director.id);
      expect(await names(2)).toEqual(['chain.manager', 'chain.vp']);
      expect(await identity().managerChain(ceo.id, 3)).toEqual([]);
    });

    it('refuses a manager that would close a reporting cycle', async () => {
      const { users } = identity();
      const a = await person('cycle.a');
      const b = await person('cycle.b', { managerId: a.id });
      const c = await person('cycle.c', { managerId: b.id });
      for (const managerId of [a.id, b.id, c.id].filter((id) => id !== a.id)) {
        const error = await engineError(users.update(a.id, { managerId }));
        expect(error.problems).toMatchObject([{ pointer: '/managerId', code: 'cycle' }]);
      }
      expect((await engineError(users.update(a.id, { managerId: a.id }))).problems[0].code).toBe('cycle');
      const outsider = await person('cycle.outsider');
      expect((await users.update(a.id, { managerId: outsider.id })).managerId).toBe(outsider.id);
    });

    it('finds the department head, or with inherit the nearest one above', async () => {
      const { departments } = identity();
      const boss = await person('head.boss');
      const top = await departments.create({ name: name('HQ'), headId: boss.id });
      const middle = await departments.create({ name: name('Middle'), parentId: top.id });
      const bottom = await departments.create({ name: name('Bottom'), parentId: middle.id });
      expect(await identity().departmentHead(bottom.id)).toBeNull();
      expect((await identity().departmentHead(bottom.id, { inherit: true }))?.id).toBe(boss.id);
      const lead = await person('head.lead');
      await departments.setHead(middle.id, lead.id);
      expect((await identity().departmentHead(bottom.id, { inherit: true }))?.id).toBe(lead.id);
      expect((await identity().departmentHead(top.id))?.id).toBe(boss.id);
    });

    it('lists people by department (and below), status and search, a page at a time', async () => {
      const { departments, users } = identity();
      const branch = await departments.create({ name: name('Branch') });
      const team = await departments.create({ name: name('Team'), parentId: branch.id });
      for (let i = 0; i < 5; i++) await person(`list.${i}`, { departmentId: i < 2 ? branch.id : team.id });
      expect((await users.list({ departmentId: branch.id })).data).toHaveLength(2);
      const all = await users.list({ departmentId: branch.id, includeSubDepartments: true, count: true });
      expect(all.total).toBe(5);
      const first = await users.list({ search: 'list.', limit: 3 });
      expect(first.data.map((u) => u.username)).toEqual(['list.0', 'list.1', 'list.2']);
      const second = await users.list({ search: 'list.', limit: 3, cursor: first.nextCursor ?? undefined });
      expect(second.data.map((u) => u.username)).toEqual(['list.3', 'list.4']);
      expect(second.nextCursor).toBeNull();
      expect((await users.list({ search: '100%_' })).data).toEqual([]);
    });
  });

  describe('roles', () => {
    it('resolves a user roles: direct, their department, and departments above that pass them on', async () => {
      const { departments, roles } = identity();
      for (const id of ['sales_rep', 'sales_manager', 'all_staff', 'hq_only', 'auditor']) {
        await roles.ensureRole({ id, label: name(id) });
      }
      const hq = await departments.create({ name: name('Roles HQ') });
      const sales = await departments.create({ name: name('Roles Sales'), parentId: hq.id });
      const east = await departments.create({ name: name('Roles East'), parentId: sales.id });
      await roles.assign({ roleId: 'all_staff', departmentId: hq.id, includeChildren: true });
      await roles.assign({ roleId: 'hq_only', departmentId: hq.id, includeChildren: false });
      await roles.assign({ roleId: 'sales_rep', departmentId: sales.id });
      const rep = await person('roles.rep', { departmentId: east.id });
      await roles.assign({ roleId: 'auditor', userId: rep.id });
      expect(await roles.rolesOf(rep.id)).toEqual(['all_staff', 'auditor', 'sales_rep']);
      const hqPerson = await person('roles.hq', { departmentId: hq.id });
      expect(await roles.rolesOf(hqPerson.id)).toEqual(['all_staff', 'hq_only']);

      // moving the department moves the inherited roles with it
      await departments.move(east.id, hq.id);
      expect(await roles.rolesOf(rep.id)).toEqual(['all_staff', 'auditor']);
      await roles.assign({ roleId: 'all_staff', departmentId: hq.id, includeChildren: false });
      expect(await roles.rolesOf(rep.id)).toEqual(['auditor']);
      await roles.unassign({ roleId: 'auditor', userId: rep.id });
      expect(await roles.rolesOf(rep.id)).toEqual([]);
      expect((await engineError(roles.unassign({ roleId: 'auditor', userId: rep.id }))).kind).toBe(
        'not-found',
      );
      expect((await engineError(roles.assign({ roleId: 'nope', userId: rep.id }))).problems[0].pointer).toBe(
        '/roleId',
      );
      expect(await roles.list({ departmentId: hq.id })).toEqual([
        { roleId: 'all_staff', departmentId: hq.id, includeChildren: false },
        { roleId: 'hq_only', departmentId: hq.id, includeChildren: false },
      ]);
    });
  });
});
