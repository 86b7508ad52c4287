// Every operation × scope through the engine: users in a five-level department tree, each holding a
// role that grants one operation within one scope (and reading everything, so what is refused is
// the operation, not the visibility), acting on records owned across the tree.
import { OPERATIONS, SCOPES, SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  actorOf,
  buildTree,
  customerDefinition,
  inScope,
  type Operation,
  role,
  type Scope,
  type Tree,
} from '../../support/access-fixtures.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { type FixtureDepartment, type FixtureUser, organisation } from '../../support/org.ts';

const MODULE = customerDefinition.id;

forEachDatabase('access matrix', (handle) => {
  let workspace: Workspace;
  let tree: Tree;
  const departments = new Map<string, FixtureDepartment>();
  /** Owners of the records each actor works on: across the tree, and nobody. */
  let owners: (FixtureUser | null)[];
  const actors = new Map<string, FixtureUser>();
  let batchNumber = 0;

  beforeAll(async () => {
    workspace = handle().workspace;
    await workspace.definitions.saveDraft(customerDefinition);
    await workspace.definitions.publish();
    tree = await buildTree(handle());
    for (const d of Object.values(tree)) departments.set(d.id, d);
    const org = organisation(handle());
    owners = [
      await org.user('colleague', { department: tree.shanghai }),
      await org.user('below', { department: tree.team }),
      await org.user('above', { department: tree.east }),
      await org.user('beside', { department: tree.west }),
      await org.user('top', { department: tree.root }),
      null,
    ];
    for (const operation of OPERATIONS) {
      for (const scope of SCOPES) {
        const id = `${operation}_${scope}`;
        // reading everything (but for the read rows), so a refusal is about the operation itself
        await org.role(role(id, MODULE, { read: operation === 'read' ? scope : 'all', [operation]: scope }));
        const user = await org.user(`u_${id}`, { department: tree.shanghai });
        await org.grant(user, id);
        actors.set(id, user);
      }
    }
  });

  /** Fresh records owned by the actor and by each of `owners`, tagged with a batch of their own. */
  async function targets(actor: FixtureUser) {
    const batch = `b${++batchNumber}`;
    const list: { owner: FixtureUser | null; id: string }[] = [];
    for (const owner of [actor, ...owners]) {
      const record = await workspace.records.create(
        'customer',
        { name: `${batch} ${owner?.username ?? 'nobody'}`, batch, ...(owner ? { owner: owner.id } : {}) },
        SYSTEM_ACTOR,
      );
      list.push({ owner, id: record.id });
    }
    return { batch, list };
  }

  const expectation = (scope: Scope, actor: FixtureUser, owner: FixtureUser | null) =>
    inScope(scope, actor, owner, departments);

  /** What the engine answers: 'ok', or the error kind. */
  async function outcome(work: () => Promise<unknown>): Promise<string> {
    try {
      await work();
      return 'ok';
    } catch (error) {
      return (await engineError(Promise.reject(error))).kind;
    }
  }

  describe.each(SCOPES)('scope %s', (scope) => {
    it('read: lists, gets, histories and counts exactly the records in scope; others are 404', async () => {
      const actor = actors.get(`read_${scope}`) as FixtureUser;
      const { batch, list } = await targets(actor);
      const expected = list.filter((t) => expectation(scope, actor, t.owner)).map((t) => t.id);
      const page = await workspace.records.list('customer', actorOf(actor), {
        filter: { field: 'batch', op: 'eq', value: batch },
        count: true,
        limit: 500,
      });
      expect(page.data.map((r) => r.id).sort()).toEqual([...expected].sort());
      expect(page.total).toBe(expected.length);
      for (const target of list) {
        const visible = expected.includes(target.id);
        const want = visible ? 'ok' : 'not-found';
        expect(await outcome(() => workspace.records.get('customer', target.id, actorOf(actor)))).toBe(want);
        expect(await outcome(() => workspace.records.history('customer', target.id, actorOf(actor)))).toBe(
          want,
        );
        // no update right: a visible record is refused, an invisible one does not exist
        expect(
          await outcome(() => workspace.records.update('customer', target.id, { credit: 1 }, actorOf(actor))),
        ).toBe(visible ? 'forbidden' : 'not-found');
        expect(await outcome(() => workspace.records.delete('customer', target.id, actorOf(actor)))).toBe(
          visible ? 'forbidden' : 'not-found',
        );
      }
    });

    it.each(['update', 'delete', 'share', 'assign'] as const)(
      '%s: allowed on records in scope, refused (403) on the others the actor sees',
      async (operation: Operation) => {
        const actor = actors.get(`${operation}_${scope}`) as FixtureUser;
        const colleague = owners[0] as FixtureUser;
        const { list } = await targets(actor);
        for (const target of list) {
          const act = {
            update: () => workspace.records.update('customer', target.id, { credit: 7 }, actorOf(actor)),
            delete: () => workspace.records.delete('customer', target.id, actorOf(actor)),
            share: () =>
              workspace.access.shares.grant(
                'customer',
                target.id,
                { principalType: 'user', principalId: colleague.id, access: 'read' },
                actorOf(actor),
              ),
            // to the actor themselves: within every assign scope
            assign: () => workspace.records.assign('customer', target.id, actor.id, actorOf(actor)),
          }[operation as 'update' | 'delete' | 'share' | 'assign'];
          const allowed = expectation(scope, actor, target.owner);
          expect(await outcome(act), `${operation} on ${target.owner?.username ?? 'nobody'}'s`).toBe(
            allowed ? 'ok' : 'forbidden',
          );
          const after = await outcome(() => workspace.records.get('customer', target.id, SYSTEM_ACTOR));
          expect(after).toBe(operation === 'delete' && allowed ? 'not-found' : 'ok');
          if (operation === 'update' || operation === 'assign') {
            const record = await workspace.records.get('customer', target.id, SYSTEM_ACTOR);
            if (operation === 'update') expect(record.credit).toBe(allowed ? 7 : null);
            else expect(record.owner).toBe(allowed ? actor.id : (target.owner?.id ?? null));
          }
        }
      },
    );

    it('create: granted in any scope; the owner is the actor, another owner needs assign within scope', async () => {
      const creator = actors.get(`create_${scope}`) as FixtureUser;
      const record = await workspace.records.create('customer', { name: 'mine' }, actorOf(creator));
      expect(record.owner).toBe(creator.id);
      // no assign right: giving the new record to someone else is refused
      const other = owners[0] as FixtureUser;
      expect(
        await outcome(() =>
          workspace.records.create('customer', { name: 'theirs', owner: other.id }, actorOf(creator)),
        ),
      ).toBe('forbidden');
      // with assign in this scope: only to owners within it
      const assigner = actors.get(`assign_${scope}`) as FixtureUser;
      await organisation(handle())
        .grant(assigner, `create_${scope}`)
        .catch(() => {});
      for (const owner of owners) {
        if (!owner) continue;
        const result = await outcome(() =>
          workspace.records.create('customer', { name: 'given', owner: owner.id }, actorOf(assigner)),
        );
        expect(result, owner.username).toBe(expectation(scope, assigner, owner) ? 'ok' : 'invalid-record');
      }
    });
  });

  it('create is refused (403) without the create permission, and nothing is written', async () => {
    const reader = actors.get('read_all') as FixtureUser;
    const before = (await workspace.records.list('customer', SYSTEM_ACTOR, { count: true, limit: 1 })).total;
    expect(await outcome(() => workspace.records.create('customer', { name: 'x' }, actorOf(reader)))).toBe(
      'forbidden',
    );
    expect((await workspace.records.list('customer', SYSTEM_ACTOR, { count: true, limit: 1 })).total).toBe(
      before,
    );
  });
});
