// Derived values as the example packages need them: counts and sums start at 0, rollup filters read
// the record a sub-table row belongs to (and follow its changes), publish checks of such filters, and
// updated triggers that see a record change because its rollups did.
import { type Actor, SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { actorOf } from '../../support/access-fixtures.ts';
import { approvalTask, approvers, bpmn, flows, userTask, xmlEscape } from '../../support/bpmn.ts';
import { DERIVED_MODULES, item } from '../../support/derived-fixtures.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { organisation } from '../../support/org.ts';

type Row = Record<string, unknown>;

forEachDatabase('derived values', (handle) => {
  let workspace: Workspace;
  const create = (module: string, values: Row) => workspace.records.create(module, values, SYSTEM_ACTOR);
  const update = (module: string, id: string, values: Row) =>
    workspace.records.update(module, id, values, SYSTEM_ACTOR);
  const get = (module: string, id: string) => workspace.records.get(module, id, SYSTEM_ACTOR);

  beforeAll(async () => {
    workspace = handle().workspace;
    for (const definition of DERIVED_MODULES) await workspace.definitions.saveDraft(definition);
    await workspace.definitions.publish();
  });

  describe('counts and sums over nothing', () => {
    it('are 0 on a new record, for its rules and formulas too, and again when the last row goes', async () => {
      // the rule `lines_seen = 0 or safety != null` holds for a new item only if it sees 0 lines
      const bolt = await create('item', { name: 'Bolt' });
      expect(bolt).toMatchObject({ on_hand: 0, lines_seen: 0, last_quantity: null, low: false });
      expect(await get('item', bolt.id)).toMatchObject({ on_hand: 0, lines_seen: 0, last_quantity: null });

      const receipt = await create('batch', {
        ref: 'B1',
        status: 'approved',
        lines: [{ item: bolt.id, quantity: 4 }],
      });
      expect(await get('item', bolt.id)).toMatchObject({ on_hand: 4, lines_seen: 1, last_quantity: 4 });
      expect(receipt.approved_units).toBe(4);
      await update('batch', receipt.id, { lines: [] });
      expect(await get('item', bolt.id)).toMatchObject({ on_hand: 0, lines_seen: 0, last_quantity: null });
      expect((await get('batch', receipt.id)).approved_units).toBe(0);
    });
  });

  describe('filters reading the parent of a sub-table row', () => {
    it('count lines only while their record qualifies: draft, approved, back to draft, deleted', async () => {
      const nut = await create('item', { name: 'Nut', safety: 5 });
      const washer = await create('item', { name: 'Washer', safety: 1 });
      const batch = await create('batch', {
        ref: 'B2',
        lines: [
          { item: nut.id, quantity: 10 },
          { item: washer.id, quantity: 3 },
          { item: nut.id, quantity: -4 },
        ],
      });
      expect(batch).toMatchObject({ status: 'draft', approved_units: 0 });
      expect(await get('item', nut.id)).toMatchObject({ on_hand: 0, lines_seen: 2, low: true });

      const approved = await update('batch', batch.id, { status: 'approved' });
      expect(approved.approved_units).toBe(9);
      expect(await get('item', nut.id)).toMatchObject({ on_hand: 6, low: false, version: 1 });
      expect((await get('item', washer.id)).on_hand).toBe(3);

      // a line changed under an approved batch counts at once
      const rows = approved.lines as Row[];
      await update('batch', batch.id, { lines: [{ ...rows[0], quantity: 2 }, rows[1], rows[2]] });
      expect((await get('item', nut.id)).on_hand).toBe(-2);

      await update('batch', batch.id, { status: 'draft' });
      expect(await get('item', nut.id)).toMatchObject({ on_hand: 0, lines_seen: 2 });
      expect((await get('item', washer.id)).on_hand).toBe(0);
      expect((await get('batch', batch.id)).approved_units).toBe(0);

      await update('batch', batch.id, { status: 'approved' });
      await workspace.records.delete('batch', batch.id, SYSTEM_ACTOR);
      expect(await get('item', nut.id)).toMatchObject({ on_hand: 0, lines_seen: 0 });
      await workspace.records.restore('batch', batch.id, SYSTEM_ACTOR);
      expect(await get('item', nut.id)).toMatchObject({ on_hand: -2, lines_seen: 2 });
    });

    it('are checked at publish: unknown parent fields, derived ones, and parents of what has none', async () => {
      const problems = async (filter: string, over = 'batch_lines') => {
        const fields = item.fields.map((f) => (f.name === 'on_hand' ? { ...f, over, filter } : f));
        await workspace.definitions.saveDraft({ ...item, fields });
        try {
          const error = await engineError(workspace.definitions.publish(['item']));
          return error.problems.map((p) => `${p.pointer}: ${p.message}`);
        } finally {
          await workspace.definitions.discardDraft('item');
        }
      };
      expect(await problems('parent.state = "approved"')).toEqual([
        `/modules/item/fields/2/filter: filter 'parent.state = "approved"': 'parent.state' is not a field of the parent batch record`,
      ]);
      expect(await problems('parent.approved_units > 0')).toEqual([
        `/modules/item/fields/2/filter: filter 'parent.approved_units > 0': 'parent.approved_units' is a rollup of the parent: a filter reads the parent's entered fields only`,
      ]);
      expect(await problems('parent.status > 3')).toEqual([
        `/modules/item/fields/2/filter: filter 'parent.status > 3': 'parent.status > 3' compares a text with a number`,
      ]);
    });
  });

  describe('updated triggers on derived changes', () => {
    /** A flow started when an item's stock falls below its safety stock, waiting at a task. */
    const lowStockFlow = (id: string, user: string) =>
      bpmn(
        id,
        `<bpmn:extensionElements><crm:record module="item"/></bpmn:extensionElements>
         <bpmn:startEvent id="start"><bpmn:extensionElements><crm:trigger on="updated" condition="${xmlEscape(
           '=new.low and not(old.low)',
         )}"/></bpmn:extensionElements></bpmn:startEvent>
         ${userTask('reorder', `=["${user}"]`)}
         <bpmn:endEvent id="done"/>
         ${flows(['f1', 'start', 'reorder'], ['f2', 'reorder', 'done'])}`,
      );

    it('start flows once per write when a rollup change of a user write crosses the condition', async () => {
      const org = organisation(handle());
      const keeper = await org.user('keeper', { admin: true });
      const actor: Actor = actorOf(keeper);
      await workspace.workflows.deploy(lowStockFlow('dv_low_stock', keeper.id), SYSTEM_ACTOR);
      const instances = async (recordId: string) =>
        (await workspace.workflows.queries.instances({ processId: 'dv_low_stock' })).filter(
          (i) => i.record_id === recordId,
        );

      const cable = await create('item', { name: 'Cable', safety: 10 });
      const intake = await workspace.records.create(
        'batch',
        { ref: 'IN', status: 'approved', lines: [{ item: cable.id, quantity: 30 }] },
        actor,
      );
      expect(await get('item', cable.id)).toMatchObject({ on_hand: 30, low: false });
      expect(await instances(cable.id)).toEqual([]);

      // three lines of one item in one issue: one change of the item, one flow
      const issue = await workspace.records.create(
        'batch',
        {
          ref: 'OUT',
          lines: [
            { item: cable.id, quantity: -10 },
            { item: cable.id, quantity: -8 },
            { item: cable.id, quantity: -5 },
          ],
        },
        actor,
      );
      expect(await instances(cable.id)).toEqual([]);
      await workspace.records.update('batch', issue.id, { status: 'approved' }, actor);
      const [started, ...more] = await instances(cable.id);
      expect(more).toEqual([]);
      expect(started).toMatchObject({ module: 'item', record_id: cable.id, started_by: keeper.id });
      expect(started?.variables.record).toMatchObject({ id: cable.id, on_hand: 7, low: true, version: 1 });

      // still low: the condition (crossing the line) does not hold again
      await workspace.records.update(
        'batch',
        intake.id,
        { lines: [{ item: cable.id, quantity: 29 }] },
        actor,
      );
      expect(await instances(cable.id)).toHaveLength(1);

      // writes by the system start no flows, derived changes included
      await update('batch', issue.id, { status: 'draft' });
      await update('batch', issue.id, { status: 'approved' });
      expect(await instances(cable.id)).toHaveLength(1);
    });

    it("see an approval decision that counts a movement as the approver's change", async () => {
      const org = organisation(handle());
      const rep = await org.user('dv_rep', { admin: true });
      const boss = await org.user('dv_boss', { admin: true });
      await workspace.workflows.deploy(
        bpmn(
          'dv_issue_approval',
          `<bpmn:extensionElements><crm:record module="batch" lock="true" statusField="status"
             pending="draft" approved="approved" rejected="draft" recalled="draft"/></bpmn:extensionElements>
           <bpmn:startEvent id="start"/>
           ${approvalTask('keeper', 'mode="single"', approvers('dv_boss'))}
           <bpmn:endEvent id="done"/>
           ${flows(['f1', 'start', 'keeper'], ['f2', 'keeper', 'done'])}`,
        ),
        SYSTEM_ACTOR,
      );
      const fuse = await create('item', { name: 'Fuse', safety: 5 });
      await create('batch', { ref: 'F-IN', status: 'approved', lines: [{ item: fuse.id, quantity: 6 }] });
      const issue = await workspace.records.create(
        'batch',
        { ref: 'F-OUT', lines: [{ item: fuse.id, quantity: -2 }] },
        actorOf(rep),
      );
      const instance = await workspace.workflows.start(
        'dv_issue_approval',
        { record: { module: 'batch', id: issue.id } },
        actorOf(rep),
      );
      const [task] = (await workspace.workflows.queries.instance(instance.id)).tasks;
      expect((await get('item', fuse.id)).on_hand).toBe(6);
      await workspace.approvals.act(task?.id as string, 'approve', {}, actorOf(boss));
      expect(await get('item', fuse.id)).toMatchObject({ on_hand: 4, low: true });
      const started = await workspace.workflows.queries.instances({ processId: 'dv_low_stock' });
      expect(started.filter((i) => i.record_id === fuse.id)).toMatchObject([{ started_by: boss.id }]);
    });

    it('leave a write that changes no derived value alone', async () => {
      const org = organisation(handle());
      const clerk = await org.user('clerk', { admin: true });
      const rope = await create('item', { name: 'Rope', safety: 1 });
      const batch = await workspace.records.create(
        'batch',
        { ref: 'R', lines: [{ item: rope.id, quantity: 5 }] },
        actorOf(clerk),
      );
      await workspace.records.update('batch', batch.id, { ref: 'R2' }, actorOf(clerk));
      const started = await workspace.workflows.queries.instances({ processId: 'dv_low_stock' });
      expect(started.filter((i) => i.record_id === rope.id)).toEqual([]);
    });
  });

  describe('money in rules and formulas', () => {
    it('adds and compares as decimals: 3 × 33.33 + 0.01 is 100.00, and a cent off is refused', async () => {
      const cny = (amount: number) => ({ amount, currency: 'CNY' });
      const plan = [33.33, 33.33, 33.33, 0.01].map((amount) => ({ amount: cny(amount) }));
      const signed = await create('contract', { amount: cny(100), plan });
      expect(signed.unplanned).toBe(0);
      const tenths = await create('contract', {
        amount: cny(0.3),
        plan: [{ amount: cny(0.1) }, { amount: cny(0.2) }],
      });
      expect(tenths.unplanned).toBe(0);
      const error = await engineError(
        create('contract', { amount: cny(100), plan: plan.slice(0, 3).map((p) => ({ amount: p.amount })) }),
      );
      expect(error.problems.map((p) => `${p.pointer}: ${p.message}`)).toEqual([
        '/plan: The payment plan adds up to the amount',
      ]);
    });
  });
});
