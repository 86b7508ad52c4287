// Access control beyond the matrix: roles as configuration, how roles combine, field-level rights
// everywhere a field shows, relation lookups, shares, exports and the operation log.
import { dbErrorInfo, type EngineError, type StoredRecord, SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  actorOf,
  buildTree,
  customerDefinition,
  dealDefinition,
  role,
  type Tree,
} from '../../support/access-fixtures.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { type FixtureUser, organisation } from '../../support/org.ts';
import { rawRows } from '../../support/sql.ts';

const CUSTOMER = customerDefinition.id;
const DEAL = dealDefinition.id;

forEachDatabase('access rules', (handle) => {
  let workspace: Workspace;
  let tree: Tree;
  let org: ReturnType<typeof organisation>;
  let admin: FixtureUser;
  let finance: FixtureUser;
  let rep: FixtureUser;
  let colleague: FixtureUser;
  let manager: FixtureUser;
  let outsider: FixtureUser;
  let acme: StoredRecord;
  let globex: StoredRecord;

  beforeAll(async () => {
    workspace = handle().workspace;
    await workspace.definitions.saveDraft(customerDefinition);
    await workspace.definitions.saveDraft(dealDefinition);
    await workspace.definitions.publish();
    tree = await buildTree(handle());
    org = organisation(handle());
    admin = await org.user('admin', { admin: true });
    finance = await org.user('finance', { department: tree.finance });
    rep = await org.user('rep', { department: tree.team });
    colleague = await org.user('colleague', { department: tree.team });
    manager = await org.user('manager', { department: tree.east });
    outsider = await org.user('outsider', { department: tree.west });
    // finance reads everything but phone numbers, and sees the credit without changing it
    await org.role({
      id: 'finance',
      label: { en: 'Finance', 'zh-CN': '财务' },
      modules: {
        [CUSTOMER]: { read: 'all', export: true, fields: { phone: 'none', credit: 'read' } },
        [DEAL]: { read: 'all', export: true },
      },
    });
    await org.grant(finance, 'finance');
    // reps: their own customers and deals, every field but the credit, which they only read
    await org.role({
      id: 'rep',
      label: { en: 'Sales rep', 'zh-CN': '销售' },
      modules: {
        [CUSTOMER]: {
          read: 'own',
          create: 'own',
          update: 'own',
          delete: 'own',
          share: 'own',
          assign: 'own',
          fields: { ac_credit: 'read' },
        },
        [DEAL]: { read: 'own', create: 'own', update: 'own' },
      },
    });
    // given to the whole sales department and below
    await org.grantDepartment(tree.sales, 'rep', true);
    // managers: their department and below, given to the east department only (not below)
    await org.role(
      role('manager', CUSTOMER, {
        read: 'department_tree',
        update: 'department_tree',
        assign: 'department_tree',
      }),
    );
    await org.grantDepartment(tree.east, 'manager', false);
    acme = await workspace.records.create(
      'customer',
      { name: 'Acme', phone: '+86 21 5555', credit: 100, batch: 'x', owner: rep.id },
      SYSTEM_ACTOR,
    );
    globex = await workspace.records.create(
      'customer',
      { name: 'Globex', phone: '+86 10 6666', credit: 200, batch: 'x', owner: colleague.id },
      SYSTEM_ACTOR,
    );
  });

  const names = (page: { data: StoredRecord[] }) => page.data.map((r) => r.name).sort();
  const list = (user: FixtureUser, query = {}) => workspace.records.list('customer', actorOf(user), query);

  describe('roles', () => {
    it('are checked by a meta-schema: each problem with a pointer and a reason', async () => {
      const error = await engineError(
        workspace.access.roles.create(
          {
            id: 'bad role',
            label: {},
            modules: {
              [CUSTOMER]: { read: 'everyone', update: 'own', fields: { phone: 'hidden' }, extra: 1 },
            },
          },
          SYSTEM_ACTOR,
        ),
      );
      expect(error.kind).toBe('invalid-definition');
      const pointers = error.problems.map((p) => p.pointer);
      expect(pointers).toEqual(
        expect.arrayContaining([
          '/id',
          '/label',
          `/modules/${CUSTOMER}/read`,
          `/modules/${CUSTOMER}/fields/phone`,
          `/modules/${CUSTOMER}/extra`,
        ]),
      );
      expect(error.problems.every((p) => p.message.length > 0)).toBe(true);
    });

    it('may not name modules or fields that do not exist', async () => {
      const error = await engineError(
        workspace.access.roles.create(
          {
            id: 'typo',
            label: { en: 'Typo' },
            modules: { mod_nowhere: { read: 'all' }, [CUSTOMER]: { read: 'all', fields: { phon: 'none' } } },
          },
          SYSTEM_ACTOR,
        ),
      );
      expect(error.problems.map((p) => [p.pointer, p.code])).toEqual([
        ['/modules/mod_nowhere', 'unknown-module'],
        [`/modules/${CUSTOMER}/fields/phon`, 'unknown-field'],
      ]);
    });

    it('are created, listed, replaced and deleted, each change logged', async () => {
      const roles = workspace.access.roles;
      await roles.create(role('temp', CUSTOMER, { read: 'own' }), actorOf(admin));
      expect((await engineError(roles.create(role('temp', CUSTOMER, {}), actorOf(admin)))).kind).toBe(
        'conflict',
      );
      expect((await roles.list()).map((r) => r.definition.id)).toContain('temp');
      const updated = await roles.update('temp', { label: { en: 'Temp' }, modules: {} }, actorOf(admin));
      expect(updated.definition).toEqual({ id: 'temp', label: { en: 'Temp' }, modules: {} });
      const mismatch = await engineError(roles.update('temp', role('other', CUSTOMER, {}), actorOf(admin)));
      expect(mismatch.problems[0].pointer).toBe('/id');
      await roles.delete('temp', actorOf(admin));
      expect((await engineError(roles.get('temp'))).kind).toBe('not-found');
      expect((await engineError(roles.delete('temp', actorOf(admin)))).kind).toBe('not-found');
      const log = await workspace.access.operationLog.search({ actor: admin.id });
      expect(log.data.map((e) => e.action).slice(0, 3)).toEqual([
        'role.delete',
        'role.update',
        'role.create',
      ]);
      expect(log.data[0].details).toEqual({ role: 'temp' });
    });
  });

  describe('effective policy', () => {
    it('unites direct roles and department roles, those of departments above only when given with children', async () => {
      // rep: 'rep' through sales (with children): own records only
      expect(names(await list(rep))).toEqual(['Acme']);
      // manager sits in east: 'rep' from sales and 'manager' given to east itself
      expect(names(await list(manager))).toEqual(['Acme', 'Globex']);
      // a user in shanghai (below east) does not get 'manager', given without children
      const below = await org.user('shanghai_user', { department: tree.shanghai });
      expect(names(await list(below))).toEqual([]);
      // outsider (west, under sales) has 'rep' only
      expect(names(await list(outsider))).toEqual([]);
    });

    it('scopes a department of thousands of people through the path prefix', async () => {
      const big = await org.department('Call centre', tree.root);
      const floor = await org.department('Floor', big);
      const schema = `"${workspace.schema}"`;
      await rawRows(
        handle().engine,
        `INSERT INTO ${schema}._users (id, username, display_name, department_id)
         SELECT gen_random_uuid(), 'agent' || g, 'Agent ' || g, '${floor.id}' FROM generate_series(1, 2001) g`,
      );
      const [agent] = await rawRows(
        handle().engine,
        `SELECT id FROM ${schema}._users WHERE username = 'agent7'`,
      );
      const head = await org.user('centre_head', { department: big });
      await org.role(role('centre', CUSTOMER, { read: 'department_tree' }));
      await org.grant(head, 'centre');
      const theirs = await workspace.records.create(
        'customer',
        { name: 'Called', owner: String(agent.id) },
        SYSTEM_ACTOR,
      );
      expect((await list(head)).data.map((r) => r.id)).toEqual([theirs.id]);
      await workspace.records.delete('customer', theirs.id, SYSTEM_ACTOR);
    });

    it('follows the organisation: people changing department, departments moving, people added later', async () => {
      const { identity } = workspace;
      const branch = await org.department('Branch', tree.root);
      const desk = await org.department('Desk', branch);
      const head = await org.user('branch_head', { department: branch });
      await org.role(role('branch', CUSTOMER, { read: 'department_tree' }));
      await org.grant(head, 'branch');
      const mover = await org.user('mover', { department: tree.finance });
      const record = await workspace.records.create(
        'customer',
        { name: 'Moves', owner: mover.id },
        SYSTEM_ACTOR,
      );
      const sees = async () => (await list(head)).data.some((r) => r.id === record.id);
      expect(await sees()).toBe(false);
      // the owner joins the desk, below the branch: the head sees their records
      await identity.users.update(mover.id, { departmentId: desk.id });
      expect(await sees()).toBe(true);
      // the desk moves out from under the branch (its path is rewritten): the head no longer does
      await identity.departments.move(desk.id, tree.finance.id);
      expect(await sees()).toBe(false);
      await identity.departments.move(desk.id, branch.id);
      expect(await sees()).toBe(true);
      // a record given to someone who is not a user yet counts once they are
      const later = '0192f000-0000-7000-8000-00000000abcd';
      const early = await workspace.records.create('customer', { name: 'Early', owner: later }, SYSTEM_ACTOR);
      expect((await list(head)).data.some((r) => r.id === early.id)).toBe(false);
      await rawRows(
        handle().engine,
        `INSERT INTO "${workspace.schema}"._users (id, username, display_name, department_id)
         VALUES ('${later}', 'late', 'Late', '${desk.id}')`,
      );
      expect((await list(head)).data.some((r) => r.id === early.id)).toBe(true);
      for (const id of [record.id, early.id]) await workspace.records.delete('customer', id, SYSTEM_ACTOR);
    });

    it('lets admins and the system see and do everything', async () => {
      expect(names(await list(admin, { filter: { field: 'batch', op: 'eq', value: 'x' } }))).toEqual([
        'Acme',
        'Globex',
      ]);
      expect((await workspace.records.get('customer', acme.id, actorOf(admin))).phone).toBe('+86 21 5555');
      expect(await workspace.access.control.isAdmin(SYSTEM_ACTOR)).toBe(true);
      expect(await workspace.access.control.isAdmin(actorOf(rep))).toBe(false);
    });

    it('gives users who left, and unknown users, nothing at all, not even shares', async () => {
      const leaver = await org.user('leaver', { department: tree.team });
      await org.grant(leaver, 'finance');
      await workspace.access.shares.grant(
        'customer',
        acme.id,
        { principalType: 'user', principalId: leaver.id, access: 'edit' },
        SYSTEM_ACTOR,
      );
      expect(names(await list(leaver))).toEqual(['Acme', 'Globex']);
      await org.setStatus(leaver, 'left');
      expect(names(await list(leaver))).toEqual([]);
      expect((await engineError(workspace.records.get('customer', acme.id, actorOf(leaver)))).kind).toBe(
        'not-found',
      );
      expect(
        (await engineError(workspace.records.create('customer', { name: 'z' }, actorOf(leaver)))).kind,
      ).toBe('forbidden');
      const ghost = { userId: '00000000-0000-4000-8000-000000000000' };
      expect((await workspace.records.list('customer', ghost)).data).toEqual([]);
    });

    it('follows role and assignment changes at once (the cache is dropped on every change)', async () => {
      const newcomer = await org.user('newcomer', { department: tree.finance });
      expect(names(await list(newcomer))).toEqual([]);
      await org.grant(newcomer, 'finance');
      expect(names(await list(newcomer))).toEqual(['Acme', 'Globex']);
      await workspace.access.roles.update(
        'finance',
        { label: { en: 'Finance' }, modules: { [CUSTOMER]: { read: 'own' } } },
        SYSTEM_ACTOR,
      );
      expect(names(await list(newcomer))).toEqual([]);
      await workspace.access.roles.update(
        'finance',
        {
          label: { en: 'Finance', 'zh-CN': '财务' },
          modules: {
            [CUSTOMER]: { read: 'all', export: true, fields: { phone: 'none', credit: 'read' } },
            [DEAL]: { read: 'all', export: true },
          },
        },
        SYSTEM_ACTOR,
      );
      await org.revoke(newcomer, 'finance');
      expect(names(await list(newcomer))).toEqual([]);
    });
  });

  describe('field-level rights', () => {
    const unknownFieldError = async (query: object) => {
      const error = await engineError(list(finance, query));
      return error;
    };
    const same = (a: EngineError, b: EngineError, hidden: string, unknown: string) => {
      expect(a.kind).toBe(b.kind);
      expect(JSON.stringify(a.problems).replaceAll(hidden, unknown)).toBe(JSON.stringify(b.problems));
      expect(a.message.replaceAll(hidden, unknown)).toBe(b.message);
    };

    it('leave a hidden field out of lists, gets, creates and history entries', async () => {
      const page = await list(finance, { filter: { field: 'batch', op: 'eq', value: 'x' } });
      expect(page.data).toHaveLength(2);
      for (const record of page.data) {
        expect(record).not.toHaveProperty('phone');
        expect(record).toHaveProperty('credit');
      }
      const one = await workspace.records.get('customer', acme.id, actorOf(finance));
      expect(one).not.toHaveProperty('phone');
      expect(one.name).toBe('Acme');
      await workspace.records.update(
        'customer',
        acme.id,
        { phone: '+86 21 7777', name: 'Acme Ltd' },
        actorOf(rep),
      );
      const history = await workspace.records.history('customer', acme.id, actorOf(finance));
      expect(history.map((h) => Object.keys(h.changes).sort())).toEqual([
        ['name'],
        ['batch', 'credit', 'name'],
      ]);
      const repHistory = await workspace.records.history('customer', acme.id, actorOf(rep));
      expect(Object.keys(repHistory[0].changes).sort()).toEqual(['name', 'phone']);
    });

    it('answer a filter, sort or selection by a hidden field exactly as for an unknown field', async () => {
      same(
        await unknownFieldError({ filter: { field: 'phone', op: 'eq', value: '+86 21 5555' } }),
        await unknownFieldError({ filter: { field: 'nosuch', op: 'eq', value: '+86 21 5555' } }),
        'phone',
        'nosuch',
      );
      same(
        await unknownFieldError({ sort: '-phone' }),
        await unknownFieldError({ sort: '-nosuch' }),
        'phone',
        'nosuch',
      );
      same(
        await unknownFieldError({ fields: ['name', 'phone'] }),
        await unknownFieldError({ fields: ['name', 'nosuch'] }),
        'phone',
        'nosuch',
      );
      // through a relation, the target module's field rights apply
      const viaRelation = await engineError(
        workspace.records.list('deal', actorOf(finance), {
          filter: { field: 'customer.phone', op: 'notEmpty' },
        }),
      );
      const viaUnknown = await engineError(
        workspace.records.list('deal', actorOf(finance), {
          filter: { field: 'customer.nosuch', op: 'notEmpty' },
        }),
      );
      same(viaRelation, viaUnknown, 'phone', 'nosuch');
      // the rep may read the phone: the same filter works for them
      expect(names(await list(rep, { filter: { field: 'phone', op: 'startsWith', value: '+86' } }))).toEqual([
        'Acme Ltd',
      ]);
    });

    it('refuse writing a field the actor may not write (422 naming it), changing nothing', async () => {
      const readOnly = await engineError(
        workspace.records.update('customer', acme.id, { credit: 5 }, actorOf(rep)),
      );
      expect(readOnly.kind).toBe('invalid-record');
      expect(readOnly.problems).toMatchObject([{ pointer: '/credit', code: 'read-only' }]);
      // sending the stored value back (as a form does) is no change
      const same = await workspace.records.update(
        'customer',
        acme.id,
        { credit: 100, name: 'Acme' },
        actorOf(rep),
      );
      expect(same.name).toBe('Acme');
      const onCreate = await engineError(
        workspace.records.create('customer', { name: 'New', credit: 9 }, actorOf(rep)),
      );
      expect(onCreate.problems).toMatchObject([{ pointer: '/credit', code: 'read-only' }]);
      // a hidden field is not even known; its stored value does not show through a type error
      await org.role(role('phoneless', CUSTOMER, { read: 'own', update: 'own', fields: { phone: 'none' } }));
      // in finance: no role through the department (in sales, 'rep' would let them write it)
      const phoneless = await org.user('phoneless', { department: tree.finance });
      await org.grant(phoneless, 'phoneless');
      const mine = await workspace.records.create('customer', { name: 'Mine', phone: '1' }, SYSTEM_ACTOR);
      await workspace.records.assign('customer', mine.id, phoneless.id, SYSTEM_ACTOR);
      for (const value of ['1', 42]) {
        const hidden = await engineError(
          workspace.records.update('customer', mine.id, { phone: value }, actorOf(phoneless)),
        );
        expect(hidden.problems).toEqual([
          expect.objectContaining({
            pointer: '/phone',
            code: 'additionalProperties',
            message: 'is not a known field',
          }),
        ]);
      }
      expect((await workspace.records.get('customer', mine.id, SYSTEM_ACTOR)).phone).toBe('1');
    });
  });

  describe('relations', () => {
    it('look up related records only among those the actor may read', async () => {
      const own = await workspace.records.create(
        'deal',
        { title: 'Own deal', customer: acme.id },
        actorOf(rep),
      );
      await workspace.records.create('deal', { title: 'Other deal', customer: globex.id }, actorOf(rep));
      // the rep owns both deals but only Acme: a lookup through Globex finds nothing
      const byName = (value: string) =>
        workspace.records.list('deal', actorOf(rep), { filter: { field: 'customer.name', op: 'eq', value } });
      expect((await byName('Acme')).data.map((d) => d.id)).toEqual([own.id]);
      expect((await byName('Globex')).data).toEqual([]);
      // admins find both
      expect(
        (
          await workspace.records.list('deal', actorOf(admin), {
            filter: { field: 'customer.name', op: 'in', value: ['Acme', 'Globex'] },
          })
        ).data,
      ).toHaveLength(2);
    });

    it('list related records the actor may read, of a parent they may read', async () => {
      await workspace.records.create(
        'deal',
        { title: 'Colleague deal', customer: acme.id },
        actorOf(colleague),
      );
      const related = await workspace.records.related('customer', acme.id, 'deals', actorOf(rep));
      expect(related.data.map((d) => d.title)).toEqual(['Own deal']);
      const all = await workspace.records.related('customer', acme.id, 'deals', actorOf(finance));
      expect(all.data.map((d) => d.title).sort()).toEqual(['Colleague deal', 'Own deal']);
      expect(
        (await engineError(workspace.records.related('customer', globex.id, 'deals', actorOf(rep)))).kind,
      ).toBe('not-found');
    });
  });

  describe('shares', () => {
    it('let a user read, or edit, a record outside their scope; revoking takes it back', async () => {
      const shares = workspace.access.shares;
      expect((await engineError(workspace.records.get('customer', globex.id, actorOf(outsider)))).kind).toBe(
        'not-found',
      );
      // only someone who may share it: the rep cannot even see Globex
      const refused = await engineError(
        shares.grant(
          'customer',
          globex.id,
          { principalType: 'user', principalId: outsider.id, access: 'read' },
          actorOf(rep),
        ),
      );
      expect(refused.kind).toBe('not-found');
      await shares.grant(
        'customer',
        globex.id,
        { principalType: 'user', principalId: outsider.id, access: 'read' },
        actorOf(colleague),
      );
      expect((await workspace.records.get('customer', globex.id, actorOf(outsider))).name).toBe('Globex');
      expect(
        (await engineError(workspace.records.update('customer', globex.id, { name: 'G' }, actorOf(outsider))))
          .kind,
      ).toBe('forbidden');
      await shares.grant(
        'customer',
        globex.id,
        { principalType: 'user', principalId: outsider.id, access: 'edit' },
        actorOf(colleague),
      );
      expect(
        (await workspace.records.update('customer', globex.id, { name: 'Globex Co' }, actorOf(outsider)))
          .name,
      ).toBe('Globex Co');
      expect(await shares.list('customer', globex.id, actorOf(outsider))).toMatchObject([
        { principalType: 'user', principalId: outsider.id, access: 'edit', grantedBy: colleague.id },
      ]);
      await shares.revoke('customer', globex.id, 'user', outsider.id, actorOf(colleague));
      expect((await engineError(workspace.records.get('customer', globex.id, actorOf(outsider)))).kind).toBe(
        'not-found',
      );
    });

    it('with a department reach everyone in it and below', async () => {
      const atTop = await org.user('at_top', { department: tree.root });
      const inTeam = await org.user('in_team_share', { department: tree.team });
      const inWest = await org.user('in_west', { department: tree.west });
      await workspace.access.shares.grant(
        'customer',
        acme.id,
        { principalType: 'department', principalId: tree.shanghai.id, access: 'read' },
        actorOf(rep),
      );
      expect(await workspace.records.get('customer', acme.id, actorOf(inTeam))).toMatchObject({
        id: acme.id,
      });
      for (const user of [atTop, inWest]) {
        expect((await engineError(workspace.records.get('customer', acme.id, actorOf(user)))).kind).toBe(
          'not-found',
        );
      }
    });

    it('refuse principals that are not ids of active users or departments', async () => {
      for (const principalId of ["' OR 1=1 --", '00000000-0000-4000-8000-000000000000']) {
        const error = await engineError(
          workspace.access.shares.grant(
            'customer',
            acme.id,
            { principalType: 'user', principalId, access: 'read' },
            actorOf(rep),
          ),
        );
        expect(error.kind).toBe('invalid-input');
        expect(error.problems[0].pointer).toBe('/principalId');
      }
    });
  });

  describe('assign', () => {
    it('gives a record to an active user within the assign scope, not beyond', async () => {
      const record = await workspace.records.create('customer', { name: 'Moving' }, actorOf(colleague));
      // the manager's assign scope is east and below: team users yes, west no
      const moved = await workspace.records.assign('customer', record.id, rep.id, actorOf(manager));
      expect(moved.owner).toBe(rep.id);
      const beyond = await engineError(
        workspace.records.assign('customer', record.id, outsider.id, actorOf(manager)),
      );
      expect(beyond.problems).toMatchObject([{ pointer: '/owner' }]);
      // the rep's assign scope is own: the record is theirs now, but only they can be given it
      const notMine = await engineError(
        workspace.records.assign('customer', record.id, colleague.id, actorOf(rep)),
      );
      expect(notMine.problems).toMatchObject([{ pointer: '/owner' }]);
      // finance reads it but may not assign it
      expect(
        (await engineError(workspace.records.assign('customer', record.id, rep.id, actorOf(finance)))).kind,
      ).toBe('forbidden');
    });
  });

  describe('export', () => {
    it('needs the export permission and leaves hidden fields out', async () => {
      const rows: StoredRecord[] = [];
      for await (const page of workspace.records.export('customer', actorOf(finance), {
        filter: { field: 'batch', op: 'eq', value: 'x' },
      })) {
        rows.push(...page);
      }
      expect(rows).toHaveLength(2);
      expect(rows.every((r) => !('phone' in r) && 'credit' in r)).toBe(true);
      const refused = await engineError(async () => {
        for await (const _ of workspace.records.export('customer', actorOf(rep))) {
          // nothing
        }
      });
      expect(refused.kind).toBe('forbidden');
    });
  });

  describe('operation log', () => {
    it('records every write with who, when and from where, in the statement of the change', async () => {
      const actor = { userId: rep.id, ip: '203.0.113.9', userAgent: 'crm-test/1.0' };
      const record = await workspace.records.create('customer', { name: 'Logged' }, actor);
      await workspace.records.update('customer', record.id, { name: 'Logged 2' }, actor);
      await workspace.access.shares.grant(
        'customer',
        record.id,
        { principalType: 'user', principalId: colleague.id, access: 'read' },
        actor,
      );
      await workspace.access.shares.revoke('customer', record.id, 'user', colleague.id, actor);
      await workspace.records.assign('customer', record.id, rep.id, actor);
      await workspace.records.delete('customer', record.id, actor);
      const entries = await workspace.access.operationLog.search({ record: record.id });
      expect(entries.data.map((e) => e.action)).toEqual(['delete', 'unshare', 'share', 'update', 'create']);
      for (const entry of entries.data) {
        expect(entry).toMatchObject({
          actor: rep.id,
          ip: '203.0.113.9',
          userAgent: 'crm-test/1.0',
          module: 'customer',
          moduleId: CUSTOMER,
          recordId: record.id,
        });
      }
      expect(entries.data.find((e) => e.action === 'update')?.details).toEqual({ fields: ['name'] });
    });

    it('logs publishes and assignments, and is searched by actor, module, action and time, a page at a time', async () => {
      const start = new Date(Date.now() - 1000).toISOString();
      const record = await workspace.records.create('customer', { name: 'Paged' }, actorOf(admin));
      await workspace.records.assign('customer', record.id, rep.id, actorOf(admin));
      await workspace.definitions.saveDraft({
        ...customerDefinition,
        fields: [
          ...customerDefinition.fields,
          { id: 'ac_note', name: 'note', type: 'text', label: { en: 'Note' } },
        ],
      });
      await workspace.definitions.publish(undefined, { userId: admin.id, ip: '198.51.100.1' });
      const log = workspace.access.operationLog;
      const assigned = await log.search({ action: 'assign', actor: admin.id });
      expect(assigned.data[0]).toMatchObject({
        recordId: record.id,
        details: { from: admin.id, to: rep.id },
      });
      const published = await log.search({ action: 'publish', from: start });
      expect(published.data[0]).toMatchObject({ actor: admin.id, ip: '198.51.100.1' });
      expect(published.data[0].details).toMatchObject({ modules: [{ name: 'customer' }] });
      const first = await log.search({ module: 'customer', limit: 2 });
      expect(first.data).toHaveLength(2);
      const second = await log.search({ module: 'customer', limit: 2, cursor: first.nextCursor ?? '' });
      expect(Number(second.data[0].id)).toBeLessThan(Number(first.data[1].id));
      expect((await log.search({ from: new Date(Date.now() + 60_000).toISOString() })).data).toEqual([]);
      for (const bad of [{ actor: 'x' }, { action: 'drop' }, { from: 'yesterday' }, { cursor: "1'" }]) {
        expect((await engineError(log.search(bad))).kind).toBe('invalid-query');
      }
    });

    it('is append-only: the database refuses to change or remove an entry', async () => {
      const table = `"${workspace.schema}"."_operation_log"`;
      for (const statement of [
        `UPDATE ${table} SET action = 'x'`,
        `DELETE FROM ${table}`,
        `TRUNCATE ${table}`,
      ]) {
        const refused = await rawRows(handle().engine, statement).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(dbErrorInfo(refused)?.code, statement).toBe('42501');
      }
      expect((await workspace.access.operationLog.search({ limit: 1 })).data).toHaveLength(1);
    });
  });
});
