// Soft delete: the recycle bin, restore from it, revert to an earlier version, purge for admins,
// and what deleting does to the records pointing at the deleted one.
import { type StoredRecord, SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { type FixtureUser, organisation } from '../../support/org.ts';
import { rawRows } from '../../support/sql.ts';

const companyModule = {
  id: 'mod_bin_company',
  name: 'company',
  label: { en: 'Company', 'zh-CN': '公司' },
  fields: [
    { id: 'c_name', name: 'name', type: 'text', label: { en: 'Name' }, required: true },
    { id: 'c_code', name: 'code', type: 'text', label: { en: 'Code' }, unique: true },
    { id: 'c_size', name: 'size', type: 'integer', label: { en: 'Size' } },
    {
      id: 'c_label',
      name: 'label',
      type: 'formula',
      label: { en: 'Label' },
      expression: 'name + " (" + string(size) + ")"',
      resultType: 'text',
    },
  ],
};

const deal = {
  id: 'mod_bin_deal',
  name: 'deal',
  label: { en: 'Deal' },
  fields: [
    { id: 'd_title', name: 'title', type: 'text', label: { en: 'Title' } },
    {
      id: 'd_company',
      name: 'company',
      type: 'relation',
      label: { en: 'Company' },
      target: 'mod_bin_company',
      inverse: { name: 'deals', label: { en: 'Deals' } },
    },
    {
      id: 'd_partner',
      name: 'partner',
      type: 'relation',
      label: { en: 'Partner' },
      target: 'mod_bin_company',
      onDelete: 'setNull',
    },
  ],
};

forEachDatabase('recycle bin', (handle) => {
  let workspace: Workspace;
  let admin: FixtureUser;
  let rep: FixtureUser;
  let other: FixtureUser;
  const as = (user: FixtureUser) => ({ userId: user.id });
  const company = (values: Record<string, unknown>, owner = rep) =>
    workspace.records.create('company', { owner: owner.id, ...values }, SYSTEM_ACTOR);

  beforeAll(async () => {
    workspace = handle().workspace;
    for (const definition of [companyModule, deal]) await workspace.definitions.saveDraft(definition);
    await workspace.definitions.publish();
    const org = organisation(handle());
    admin = await org.user('admin', { admin: true });
    rep = await org.user('rep');
    other = await org.user('other');
    await org.role({
      id: 'rep',
      label: { en: 'Rep' },
      modules: {
        [companyModule.id]: { read: 'all', create: 'own', update: 'own', delete: 'own' },
        [deal.id]: { read: 'all', create: 'own', update: 'own', delete: 'own' },
      },
    });
    await org.grant(rep, 'rep');
    await org.grant(other, 'rep');
  });

  it('moves a deleted record to the bin: gone from reads, lists and filters, kept in its row', async () => {
    const acme = await company({ name: 'Acme', code: 'A1', size: 10 });
    await workspace.records.create('deal', { title: 'Big', partner: acme.id }, SYSTEM_ACTOR);
    await workspace.records.delete('company', acme.id, as(rep));

    expect((await engineError(workspace.records.get('company', acme.id, as(rep)))).kind).toBe('not-found');
    const live = await workspace.records.list('company', SYSTEM_ACTOR, { count: true });
    expect(live.data.map((r) => r.id)).not.toContain(acme.id);
    const through = await workspace.records.list('deal', SYSTEM_ACTOR, {
      filter: { field: 'partner.name', op: 'eq', value: 'Acme' },
    });
    expect(through.data).toEqual([]);
    // updating or deleting it again: it does not exist for the live API
    expect((await engineError(workspace.records.update('company', acme.id, { size: 1 }, as(rep)))).kind).toBe(
      'not-found',
    );
    expect((await engineError(workspace.records.delete('company', acme.id, as(rep)))).kind).toBe('not-found');

    const bin = await workspace.records.listDeleted('company', as(rep));
    expect(bin.data).toMatchObject([{ id: acme.id, name: 'Acme', deleted_by: rep.id, version: 2 }]);
    expect(Date.parse(bin.data[0].deleted_at)).not.toBeNaN();
    const [row] = await rawRows(
      handle().engine,
      `SELECT name, deleted_by FROM "${workspace.schema}".company WHERE id = '${acme.id}'`,
    );
    expect(row).toEqual({ name: 'Acme', deleted_by: rep.id });
    const history = await workspace.records.history('company', acme.id, as(admin));
    expect(history.map((h) => [h.version, h.op])).toEqual([
      [2, 'delete'],
      [1, 'create'],
    ]);
  });

  it('clears setNull references with a history entry, and refuses while a restrict relation points at it', async () => {
    const globex = await company({ name: 'Globex', size: 5 });
    const partnered = await workspace.records.create(
      'deal',
      { title: 'P', partner: globex.id },
      SYSTEM_ACTOR,
    );
    const owned = await workspace.records.create('deal', { title: 'O', company: globex.id }, SYSTEM_ACTOR);

    const refused = await engineError(workspace.records.delete('company', globex.id, as(rep)));
    expect(refused.kind).toBe('conflict');
    expect(refused.problems).toMatchObject([{ code: 'referenced' }]);
    expect(refused.message).toContain('deal.company');
    // nothing happened: the setNull reference is still there
    expect((await workspace.records.get('deal', partnered.id, SYSTEM_ACTOR)).partner).toBe(globex.id);

    // a deal in the bin does not hold the company back
    await workspace.records.delete('deal', owned.id, SYSTEM_ACTOR);
    await workspace.records.delete('company', globex.id, as(rep));
    const cleared = await workspace.records.get('deal', partnered.id, SYSTEM_ACTOR);
    expect(cleared).toMatchObject({ partner: null, version: 2 });
    const [entry] = await workspace.records.history('deal', partnered.id, SYSTEM_ACTOR);
    expect(entry).toMatchObject({ op: 'update', changes: { partner: { from: globex.id, to: null } } });
  });

  it('restores a record from the bin, refusing while its related record is in the bin', async () => {
    const initech = await company({ name: 'Initech', code: 'I1', size: 3 });
    const deal1 = await workspace.records.create('deal', { title: 'D', company: initech.id }, SYSTEM_ACTOR);
    await workspace.records.delete('deal', deal1.id, SYSTEM_ACTOR);
    await workspace.records.delete('company', initech.id, as(rep));

    const blocked = await engineError(workspace.records.restore('deal', deal1.id, SYSTEM_ACTOR));
    expect(blocked.kind).toBe('conflict');
    expect(blocked.problems).toMatchObject([{ pointer: '/company', code: 'relation-deleted' }]);
    expect((await workspace.records.listDeleted('deal', SYSTEM_ACTOR)).data.map((r) => r.id)).toContain(
      deal1.id,
    );

    const restored = await workspace.records.restore('company', initech.id, as(rep));
    expect(restored).toMatchObject({ id: initech.id, name: 'Initech', version: 3 });
    expect(restored).not.toHaveProperty('deleted_at');
    await workspace.records.restore('deal', deal1.id, SYSTEM_ACTOR);
    const deals = await workspace.records.related('company', initech.id, 'deals', SYSTEM_ACTOR);
    expect(deals.data.map((r) => r.id)).toEqual([deal1.id]);
    expect((await workspace.records.history('company', initech.id, SYSTEM_ACTOR)).map((h) => h.op)).toEqual([
      'restore',
      'delete',
      'create',
    ]);
    const missing = await engineError(workspace.records.restore('company', initech.id, as(rep)));
    expect(missing.kind).toBe('not-found');
  });

  it('lets a unique value be taken while its holder is in the bin; restoring it then names the field', async () => {
    const first = await company({ name: 'First', code: 'DUP' });
    await workspace.records.delete('company', first.id, as(rep));
    const second = await company({ name: 'Second', code: 'DUP' });
    const clash = await engineError(workspace.records.restore('company', first.id, as(rep)));
    expect(clash.kind).toBe('conflict');
    expect(clash.problems).toMatchObject([{ pointer: '/code', code: 'unique' }]);
    expect((await workspace.records.listDeleted('company', SYSTEM_ACTOR)).data.map((r) => r.id)).toContain(
      first.id,
    );
    await workspace.records.update('company', second.id, { code: 'DUP2' }, SYSTEM_ACTOR);
    await workspace.records.restore('company', first.id, as(rep));
  });

  it('shows each user the bin of what they could delete, and lets only them restore it', async () => {
    const mine = await company({ name: 'Mine' });
    const theirs = await company({ name: 'Theirs' }, other);
    await workspace.records.delete('company', mine.id, as(rep));
    await workspace.records.delete('company', theirs.id, as(other));
    const repBin = (await workspace.records.listDeleted('company', as(rep))).data.map((r) => r.id);
    expect(repBin).toContain(mine.id);
    expect(repBin).not.toContain(theirs.id);
    expect((await engineError(workspace.records.restore('company', theirs.id, as(rep)))).kind).toBe(
      'not-found',
    );
    expect((await engineError(workspace.records.delete('company', theirs.id, as(rep)))).kind).toBe(
      'not-found',
    );
    await workspace.records.restore('company', theirs.id, as(other));
  });

  it('purges for admins only, with the history, keeping the fact in the operation log', async () => {
    const gone = await company({ name: 'Gone' });
    const stays = await company({ name: 'Stays' });
    await workspace.records.delete('company', gone.id, as(rep));
    const refused = await engineError(workspace.records.purge('company', as(rep), { id: gone.id }));
    expect(refused.kind).toBe('forbidden');
    // a live record cannot be purged
    const live = await engineError(workspace.records.purge('company', as(admin), { id: stays.id }));
    expect(live.kind).toBe('not-found');

    expect(await workspace.records.purge('company', as(admin), { id: gone.id })).toBe(1);
    const rows = await rawRows(
      handle().engine,
      `SELECT id FROM "${workspace.schema}".company WHERE id = '${gone.id}'`,
    );
    expect(rows).toEqual([]);
    const history = await rawRows(
      handle().engine,
      `SELECT id FROM "${workspace.schema}"._history WHERE record_id = '${gone.id}'`,
    );
    expect(history).toEqual([]);
    const log = await workspace.access.operationLog.search({ action: 'purge' });
    expect(log.data[0]).toMatchObject({ action: 'purge', recordId: gone.id });
  });

  it('empties the bin of records deleted before a time, and refuses while a binned record still points at one', async () => {
    const a = await company({ name: 'Old A' });
    const b = await company({ name: 'Old B' });
    const deal1 = await workspace.records.create('deal', { title: 'x', company: b.id }, SYSTEM_ACTOR);
    await workspace.records.delete('deal', deal1.id, SYSTEM_ACTOR);
    await workspace.records.delete('company', a.id, as(rep));
    await workspace.records.delete('company', b.id, as(rep));
    // the deal in the bin still points at b: purging b alone is refused
    const held = await engineError(workspace.records.purge('company', as(admin), { id: b.id }));
    expect(held.kind).toBe('conflict');
    expect(held.problems).toMatchObject([{ code: 'referenced' }]);

    expect(
      await workspace.records.purge('deal', as(admin), { deletedBefore: new Date(0).toISOString() }),
    ).toBe(0);
    expect(await workspace.records.purge('deal', as(admin))).toBeGreaterThanOrEqual(1);
    const purged = await workspace.records.purge('company', as(admin));
    expect(purged).toBeGreaterThanOrEqual(2);
    expect((await workspace.records.listDeleted('company', SYSTEM_ACTOR)).data).toEqual([]);
  });

  describe('revert to an earlier version', () => {
    let record: StoredRecord;

    it('sets the fields back as they were, as a new version, with computed fields following', async () => {
      record = await company({ name: 'Umbrella', code: 'U1', size: 1 });
      await workspace.records.update('company', record.id, { size: 2 }, as(rep));
      await workspace.records.update('company', record.id, { name: 'Umbrella Corp', code: null }, as(rep));
      const reverted = await workspace.records.revert('company', record.id, 1, as(rep));
      expect(reverted).toMatchObject({
        version: 4,
        name: 'Umbrella',
        code: 'U1',
        size: 1,
        label: 'Umbrella (1)',
      });
      const [entry] = await workspace.records.history('company', record.id, as(rep));
      expect(entry).toMatchObject({
        version: 4,
        op: 'revert',
        revertedTo: 1,
        changes: {
          name: { from: 'Umbrella Corp', to: 'Umbrella' },
          code: { from: null, to: 'U1' },
          size: { from: 2, to: 1 },
        },
      });
      // reverting to the version just reverted from
      const again = await workspace.records.revert('company', record.id, 3, as(rep));
      expect(again).toMatchObject({ version: 5, name: 'Umbrella Corp', code: null, size: 2 });
    });

    it('refuses a version that is not an earlier one, a stale expected version, and others’ records', async () => {
      for (const version of [0, 5, 99, 1.5]) {
        const error = await engineError(workspace.records.revert('company', record.id, version, as(rep)));
        expect(error.problems).toMatchObject([{ pointer: '/version', code: 'version' }]);
      }
      const stale = await engineError(
        workspace.records.revert('company', record.id, 1, as(rep), { expectedVersion: 4 }),
      );
      expect(stale.kind).toBe('conflict');
      const denied = await engineError(workspace.records.revert('company', record.id, 1, as(other)));
      expect(denied.kind).toBe('forbidden');
      expect((await workspace.records.get('company', record.id, SYSTEM_ACTOR)).version).toBe(5);
    });

    it('refuses a revert whose old values break today’s rules, naming the field', async () => {
      const clash = await company({ name: 'Clash', code: 'C1' });
      await workspace.records.update('company', clash.id, { code: 'C2' }, SYSTEM_ACTOR);
      await company({ name: 'Taker', code: 'C1' });
      const error = await engineError(workspace.records.revert('company', clash.id, 1, SYSTEM_ACTOR));
      expect(error.problems).toMatchObject([{ pointer: '/code', code: 'unique' }]);
      expect((await workspace.records.get('company', clash.id, SYSTEM_ACTOR)).code).toBe('C2');
    });
  });
});
