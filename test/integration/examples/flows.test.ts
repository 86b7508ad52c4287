// The example packages' flows and customer pool, end to end: the three packages imported with their seeds
// into an empty database (their flows/ folders deploy with them), then run through the engine's public
// API as the seed's people: claiming from the pool, the nightly return to the pool, the discount and
// contract approvals, the outbound approval and the low-stock notice.
import { demoPackages, importConfiguration } from '@crm/cli';
import { type Actor, type StoredRecord, SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { testClock } from '../../support/clock.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';

const DAY = 86_400_000;
const ZONE = 'Asia/Shanghai';
// the seeds date their records from today, so the engine's clock starts now and is moved by hand
const clock = testClock(Date.now());
const isoDay = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);

forEachDatabase(
  'example flows and the customer pool',
  (handle) => {
    let workspace: Workspace;
    const people = new Map<string, Actor>();
    const as = (username: string): Actor => {
      const actor = people.get(username);
      if (!actor) throw new Error(`no user ${username}`);
      return actor;
    };
    const idOf = (username: string) => as(username).userId as string;

    beforeAll(async () => {
      workspace = handle().workspace;
      for (const dir of await demoPackages()) await importConfiguration(workspace, dir, { seed: true });
      const sales = ['wang.fang', 'li.qiang', 'zhou.ting', 'chen.jing', 'zhao.jianguo'];
      const users = [...sales, 'zheng.hua', 'ma.li', 'guo.peng', 'he.jun', 'lin.xue', 'luo.bin'];
      for (const username of users) {
        const user = await workspace.identity.users.findByUsername(username);
        if (!user) throw new Error(`the seed has no user ${username}`);
        people.set(username, { userId: user.id, via: 'session' });
      }
    }, 600_000);

    /** Runs the workflow jobs due now (timers, service tasks) until none is left. */
    async function settle() {
      for (let round = 0; round < 5000; round++) {
        if ((await workspace.workflows.runDueWork()).handled === 0) return;
      }
      throw new Error('the workflow jobs did not settle');
    }

    async function all(module: string, actor: Actor, filter?: unknown): Promise<StoredRecord[]> {
      const records: StoredRecord[] = [];
      let cursor: string | undefined;
      do {
        const page = await workspace.records.list(module, actor, { filter, limit: 500, cursor });
        records.push(...page.data);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return records;
    }
    const inPool = { field: 'in_pool', op: 'eq', value: true };
    const ownedBy = (username: string) => ({ field: 'owner', op: 'eq', value: idOf(username) });

    it('the packages deploy their flows with them', async () => {
      const deployed = (await workspace.workflows.definitions()).map((d) => d.processId).sort();
      expect(deployed).toEqual([
        'contract_approval',
        'discount_approval',
        'low_stock',
        'outbound_approval',
        'pool_return',
      ]);
    });

    it('a rep sees the pool besides their own customers, and claims one; of two at once exactly one wins', async () => {
      const pool = await all('customer', as('wang.fang'), inPool);
      expect(pool.length).toBeGreaterThan(10);
      expect(pool.every((c) => c.owner === null)).toBe(true);
      const visible = await all('customer', as('wang.fang'));
      expect(visible.every((c) => c.owner === null || c.owner === idOf('wang.fang'))).toBe(true);
      // someone else's customer stays invisible
      const [others] = await all('customer', SYSTEM_ACTOR, ownedBy('li.qiang'));
      await expect(
        workspace.records.get('customer', others?.id as string, as('wang.fang')),
      ).rejects.toMatchObject({ kind: 'not-found' });

      const target = pool[0] as StoredRecord;
      const results = await Promise.allSettled([
        workspace.records.claim('customer', target.id, as('wang.fang')),
        workspace.records.claim('customer', target.id, as('li.qiang')),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect([won.length, lost.length]).toEqual([1, 1]);
      expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({
        kind: 'conflict',
        problems: [{ pointer: '/owner', code: 'claimed' }],
      });
      const winner = (won[0] as PromiseFulfilledResult<StoredRecord>).value;
      const stored = await workspace.records.get('customer', target.id, SYSTEM_ACTOR);
      expect(stored.owner).toBe(winner.owner);
      expect(stored.in_pool).toBe(false);
      expect(Date.parse(String(stored.claimed_at))).toBe(clock.now().getTime());
      const history = await workspace.records.history('customer', target.id, SYSTEM_ACTOR);
      expect(history[0]).toMatchObject({ actor: winner.owner, changes: { owner: { from: null } } });
      // the loser no longer sees it: it left the pool
      const loser = winner.owner === idOf('wang.fang') ? 'li.qiang' : 'wang.fang';
      await expect(workspace.records.get('customer', target.id, as(loser))).rejects.toMatchObject({
        kind: 'not-found',
      });
    });

    it('refuses the claim beyond the limit naming it, and writes nothing', async () => {
      const owned = (await all('customer', SYSTEM_ACTOR, ownedBy('zhou.ting'))).length;
      const pool = await all('customer', as('zhou.ting'), inPool);
      const room = 50 - owned;
      expect(pool.length).toBeGreaterThan(room);
      for (const customer of pool.slice(0, room)) {
        await workspace.records.claim('customer', customer.id, as('zhou.ting'));
      }
      const next = pool[room] as StoredRecord;
      const refused = await engineError(workspace.records.claim('customer', next.id, as('zhou.ting')));
      expect(refused.kind).toBe('invalid-record');
      expect(refused.problems).toMatchObject([{ pointer: '/owner', code: 'claim-limit' }]);
      expect(refused.message).toContain('50');
      expect(refused.problems[0]?.messages?.['zh-CN']).toContain('50');
      const untouched = await workspace.records.get('customer', next.id, SYSTEM_ACTOR);
      expect([untouched.owner, untouched.version]).toEqual([null, next.version]);
      // releasing one makes room again
      await workspace.records.release('customer', pool[0]?.id as string, undefined, as('zhou.ting'));
      await workspace.records.claim('customer', next.id, as('zhou.ting'));
    });

    it('the owner releases a customer with a reason; bad releases are refused and change nothing', async () => {
      const [customer] = await all('customer', SYSTEM_ACTOR, ownedBy('li.qiang'));
      const id = customer?.id as string;
      const wrong = await engineError(workspace.records.release('customer', id, 'bored', as('li.qiang')));
      expect(wrong.problems).toMatchObject([{ pointer: '/reason', code: 'enum' }]);
      // someone else's customer does not exist for another rep
      await expect(
        workspace.records.release('customer', id, 'released', as('wang.fang')),
      ).rejects.toMatchObject({ kind: 'not-found' });
      expect((await workspace.records.get('customer', id, SYSTEM_ACTOR)).version).toBe(customer?.version);

      const released = await workspace.records.release('customer', id, 'owner_left', as('li.qiang'));
      expect(released).toMatchObject({ owner: null, in_pool: true, pool_reason: 'owner_left' });
      expect(Date.parse(String(released.pool_returned_at))).toBe(clock.now().getTime());
      await expect(
        workspace.records.release('customer', id, 'released', as('li.qiang')),
      ).rejects.toMatchObject({ kind: 'conflict', problems: [{ code: 'not-owned' }] });
      // purchasing may not claim customers; a module without a pool has nothing to claim
      await expect(workspace.records.claim('customer', id, as('ma.li'))).rejects.toMatchObject({
        kind: 'forbidden',
      });
      const [product] = await all('product', SYSTEM_ACTOR);
      await expect(
        workspace.records.claim('product', product?.id as string, as('ma.li')),
      ).rejects.toMatchObject({ kind: 'invalid-input', problems: [{ code: 'no-pool' }] });
    });

    it('nightly, customers not contacted for 30 days go back to the pool with the reason', async () => {
      const rep = as('wang.fang');
      const make = (name: string, claimedDaysAgo: number) =>
        workspace.records.create(
          'customer',
          {
            name,
            customer_type: 'enterprise',
            relationship: 'prospect',
            owner: rep.userId,
            claimed_at: new Date(Date.now() - claimedDaysAgo * DAY).toISOString(),
          },
          SYSTEM_ACTOR,
        );
      const visit = (customer: StoredRecord, daysAgo: number) =>
        workspace.records.create(
          'visit',
          {
            subject: '回访',
            content: '了解近况',
            customer: customer.id,
            visit_date: isoDay(-daysAgo),
            purpose: 'relationship',
            owner: rep.userId,
          },
          SYSTEM_ACTOR,
        );
      const neverContacted = await make('久未联系科技有限公司', 45);
      const lastSeenLongAgo = await make('上次拜访很久以前有限公司', 90);
      await visit(lastSeenLongAgo, 40);
      const recentlyVisited = await make('最近拜访过有限公司', 90);
      await visit(recentlyVisited, 5);
      const justClaimed = await make('刚领取有限公司', 3);

      // to the next 02:00 in Shanghai, when the schedule fires
      const [schedule] = (await workspace.workflows.queries.schedules(ZONE, 1)).filter(
        (s) => s.processId === 'pool_return',
      );
      const due = Date.parse(schedule?.next[0] as string);
      expect(new Date(due).toLocaleTimeString('en-GB', { timeZone: ZONE })).toBe('02:00:00');
      clock.advance(due - clock.now().getTime() + 1000);
      const ownedBefore = await all('customer', SYSTEM_ACTOR, { field: 'owner', op: 'notEmpty' });
      await settle();

      const [instance] = await workspace.workflows.queries.instances({ processId: 'pool_return' });
      expect(instance?.state).toBe('completed');
      const after = async (record: StoredRecord) =>
        workspace.records.get('customer', record.id, SYSTEM_ACTOR);
      for (const returned of [neverContacted, lastSeenLongAgo]) {
        expect(await after(returned)).toMatchObject({
          owner: null,
          in_pool: true,
          pool_reason: 'no_follow_up',
        });
        expect((await after(returned)).pool_returned_at).not.toBeNull();
      }
      for (const kept of [recentlyVisited, justClaimed]) {
        expect(await after(kept)).toMatchObject({ owner: rep.userId, in_pool: false });
      }
      // no owned customer is left whose last contact (or, never contacted, whose claim) is 30 days old
      const cutoff = isoDay(-30);
      const stale = (await all('customer', SYSTEM_ACTOR, { field: 'owner', op: 'notEmpty' })).filter(
        (customer) =>
          customer.last_contact === null
            ? customer.claimed_at !== null && String(customer.claimed_at).slice(0, 10) < cutoff
            : String(customer.last_contact) < cutoff,
      );
      expect(stale.map((customer) => customer.name)).toEqual([]);
      // the seed's customers not contacted for 30 days went back too, each with the reason
      const nowUnowned = new Set(
        (await all('customer', SYSTEM_ACTOR, inPool)).map((customer) => customer.id),
      );
      const returned = ownedBefore.filter((customer) => nowUnowned.has(customer.id));
      expect(returned.length).toBeGreaterThan(2);
      for (const customer of returned) {
        expect((await after(customer)).pool_reason).toBe('no_follow_up');
      }
    }, 300_000);

    const quoteOf = async (rep: string, discount: number) => {
      const [opportunity] = await all('opportunity', as(rep));
      const [product] = await all('product', SYSTEM_ACTOR);
      return workspace.records.create(
        'quote',
        {
          opportunity: opportunity?.id,
          quote_date: isoDay(0),
          valid_until: isoDay(30),
          lines: [
            {
              product: product?.id,
              quantity: 10,
              list_price: { amount: 1000, currency: 'CNY' },
              discount,
            },
          ],
        },
        as(rep),
      );
    };
    const openTasks = async (instanceId: string) =>
      (await workspace.workflows.queries.instance(instanceId)).tasks.filter((task) => task.state === 'open');
    const taskOf = async (instanceId: string, username: string) => {
      const task = (await openTasks(instanceId)).find((t) => t.assignee === idOf(username));
      if (!task) throw new Error(`${username} has no open task`);
      return task.id;
    };

    it('a 25 % discount needs the manager and the director; rejected it is back with the rep, who revises and resubmits', async () => {
      const quote = await quoteOf('wang.fang', 25);
      expect(quote.discount_rate).toBe(25);
      const actions = await workspace.workflows.triggers.actions('quote', quote.id, as('wang.fang'));
      expect(actions.map((a) => [a.processId, a.label['zh-CN']])).toContainEqual([
        'discount_approval',
        '提交审批',
      ]);
      const first = await workspace.workflows.triggers.runAction(
        'quote',
        quote.id,
        'discount_approval',
        as('wang.fang'),
      );
      const status = async () => (await workspace.records.get('quote', quote.id, SYSTEM_ACTOR)).approval;
      expect(await status()).toBe('pending');
      // in approval, it is not offered again
      const offered = async () =>
        (await workspace.workflows.triggers.actions('quote', quote.id, as('wang.fang'))).map(
          (a) => a.processId,
        );
      expect(await offered()).not.toContain('discount_approval');
      // countersign: her manager and the sales director each get a task
      expect((await openTasks(first.id)).map((t) => t.assignee).sort()).toEqual(
        [idOf('chen.jing'), idOf('zhao.jianguo')].sort(),
      );
      await expect(
        workspace.records.update('quote', quote.id, { terms: 'x' }, as('wang.fang')),
      ).rejects.toMatchObject({ kind: 'locked' });
      await workspace.approvals.act(await taskOf(first.id, 'chen.jing'), 'approve', {}, as('chen.jing'));
      await workspace.approvals.act(
        await taskOf(first.id, 'zhao.jianguo'),
        'reject',
        { comment: '折扣太高，最多 15%' },
        as('zhao.jianguo'),
      );
      expect((await workspace.workflows.queries.instance(first.id)).state).toBe('completed');
      expect(await status()).toBe('rejected');
      const told = await workspace.notifications.list(idOf('wang.fang'));
      expect(told.data.find((n) => n.link?.instanceId === first.id)?.kind).toBe('approval-rejected');

      // the rep revises the quote (no longer locked) and submits again: now only the manager
      const revised = await workspace.records.update(
        'quote',
        quote.id,
        { lines: [{ ...(quote.lines as Record<string, unknown>[])[0], discount: 15 }] },
        as('wang.fang'),
      );
      expect(revised.discount_rate).toBe(15);
      const second = await workspace.workflows.triggers.runAction(
        'quote',
        quote.id,
        'discount_approval',
        as('wang.fang'),
      );
      expect((await openTasks(second.id)).map((t) => t.assignee)).toEqual([idOf('chen.jing')]);
      await workspace.approvals.act(await taskOf(second.id, 'chen.jing'), 'approve', {}, as('chen.jing'));
      expect(await status()).toBe('approved');
      // approved, it is offered no more, and a start anyway is refused naming why
      expect(await offered()).not.toContain('discount_approval');
      await expect(
        workspace.workflows.triggers.runAction('quote', quote.id, 'discount_approval', as('wang.fang')),
      ).rejects.toMatchObject({
        kind: 'conflict',
        problems: [expect.objectContaining({ code: 'condition-not-met' })],
      });
      const timeline = await workspace.approvals.timeline('quote', quote.id, as('wang.fang'));
      expect(timeline.map((entry) => entry.status).sort()).toEqual(['approved', 'rejected']);
    });

    it('a discount within 10 % is approved at once', async () => {
      const quote = await quoteOf('li.qiang', 8);
      await workspace.workflows.triggers.runAction('quote', quote.id, 'discount_approval', as('li.qiang'));
      expect((await workspace.records.get('quote', quote.id, SYSTEM_ACTOR)).approval).toBe('approved');
    });

    it('a contract approved by the department head, finance and (above 500,000) the director creates its receivables', async () => {
      const [customer] = await all('customer', as('wang.fang'), ownedBy('wang.fang'));
      const plan = [
        { instalment: 'advance', due_on: isoDay(10), share: 30, amount: { amount: 180000, currency: 'CNY' } },
        {
          instalment: 'delivery',
          due_on: isoDay(60),
          share: 60,
          amount: { amount: 360000, currency: 'CNY' },
        },
        {
          instalment: 'retention',
          due_on: isoDay(400),
          share: 10,
          amount: { amount: 60000, currency: 'CNY' },
        },
      ];
      const contract = await workspace.records.create(
        'contract',
        {
          title: '智慧园区安防二期',
          customer: customer?.id,
          signed_on: isoDay(0),
          amount: { amount: 600000, currency: 'CNY' },
          payment_plan: plan,
        },
        as('wang.fang'),
      );
      const instance = await workspace.workflows.triggers.runAction(
        'contract',
        contract.id,
        'contract_approval',
        as('wang.fang'),
      );
      const status = async () => (await workspace.records.get('contract', contract.id, SYSTEM_ACTOR)).status;
      expect(await status()).toBe('pending');
      // her department's head, then finance (any one of them), then the director
      await workspace.approvals.act(await taskOf(instance.id, 'chen.jing'), 'approve', {}, as('chen.jing'));
      expect((await openTasks(instance.id)).length).toBe(2);
      await workspace.approvals.act(await taskOf(instance.id, 'zheng.hua'), 'approve', {}, as('zheng.hua'));
      await workspace.approvals.act(
        await taskOf(instance.id, 'zhao.jianguo'),
        'approve',
        {},
        as('zhao.jianguo'),
      );
      await settle();
      const detail = await workspace.workflows.queries.instance(instance.id);
      expect(detail.incidents).toEqual([]);
      expect(detail.state).toBe('completed');
      expect(await status()).toBe('active');
      // in force, the contract offers no submission
      const offered = await workspace.workflows.triggers.actions('contract', contract.id, as('wang.fang'));
      expect(offered.map((a) => a.processId)).not.toContain('contract_approval');
      const receivables = await all('receivable', SYSTEM_ACTOR, {
        field: 'contract',
        op: 'eq',
        value: contract.id,
      });
      expect(
        receivables
          .map((r) => [r.instalment, r.due_on, (r.amount as { amount: number }).amount])
          .sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
      ).toEqual(plan.map((p) => [p.instalment, p.due_on, p.amount.amount]));
      const stored = await workspace.records.get('contract', contract.id, SYSTEM_ACTOR);
      expect((stored.receivable_total as { amount: number }).amount).toBe(600000);
    });

    /** A sales issue of `quantity` from `balance`, booked by `username` (a user's write: the triggers fire). */
    const salesIssue = (balance: StoredRecord, quantity: number, username: string) =>
      workspace.records.create(
        'stock_movement',
        {
          movement_type: 'sales_out',
          movement_date: isoDay(0),
          warehouse: balance.warehouse,
          partner: '上海华东电子有限公司',
          lines: [{ balance: balance.id, direction: 'out', quantity }],
        },
        as(username),
      );
    const stockOf = async (product: unknown) =>
      workspace.records.get('product', String(product), SYSTEM_ACTOR);
    const keepers = ['he.jun', 'lin.xue', 'luo.bin'];

    it('a sales issue holds its stock back until a keeper approves it; falling below the safety stock tells purchasing', async () => {
      // a product comfortably above its safety stock, with a balance that can cover the gap and one more
      let chosen: { balance: StoredRecord; product: StoredRecord } | undefined;
      for (const product of await all('product', SYSTEM_ACTOR, {
        field: 'low_stock',
        op: 'eq',
        value: false,
      })) {
        if (product.safety_stock === null) continue;
        const gap = Number(product.stock) - Number(product.safety_stock);
        const balances = await all('stock_balance', SYSTEM_ACTOR, {
          field: 'product',
          op: 'eq',
          value: product.id,
        });
        const balance = balances.find((b) => Number(b.on_hand) > gap && gap >= 0);
        if (balance) {
          chosen = { balance, product };
          break;
        }
      }
      if (!chosen) throw new Error('the seed has no product to run low');
      const { balance, product } = chosen;
      const quantity = Number(product.stock) - Number(product.safety_stock) + 1;

      const issue = await salesIssue(balance, quantity, 'wang.fang');
      const movement = async () => workspace.records.get('stock_movement', issue.id, SYSTEM_ACTOR);
      expect((await movement()).status).toBe('pending');
      // in approval its lines do not count, and the rep cannot change it
      expect((await stockOf(product.id)).stock).toBe(product.stock);
      expect((await workspace.records.get('stock_balance', balance.id, SYSTEM_ACTOR)).on_hand).toBe(
        balance.on_hand,
      );
      await expect(
        workspace.records.update('stock_movement', issue.id, { partner: 'x' }, as('wang.fang')),
      ).rejects.toMatchObject({ kind: 'locked' });
      const [instance] = await workspace.workflows.queries.instances({ processId: 'outbound_approval' });
      const tasks = await openTasks(instance?.id as string);
      expect(tasks.map((t) => t.assignee).sort()).toEqual(keepers.map(idOf).sort());

      await workspace.approvals.act(
        await taskOf(instance?.id as string, 'lin.xue'),
        'approve',
        {},
        as('lin.xue'),
      );
      await settle();
      expect((await movement()).status).toBe('approved');
      const after = await stockOf(product.id);
      expect(after).toMatchObject({ stock: Number(product.stock) - quantity, low_stock: true });
      // everyone in purchasing is told, in their language
      for (const buyer of ['ma.li', 'guo.peng']) {
        const notices = (await workspace.notifications.list(idOf(buyer))).data.filter(
          (n) => n.link?.recordId === product.id,
        );
        expect(notices).toHaveLength(1);
        const title = notices[0]?.title as Record<string, string>;
        expect(title.en).toContain('is below its safety stock');
        expect(title['zh-CN']).toContain('低于安全库存');
      }
      // a further issue of the same product, already low, tells nobody again
      const again = await salesIssue(balance, 1, 'wang.fang');
      const [second] = (
        await workspace.workflows.queries.instances({ processId: 'outbound_approval' })
      ).filter((i) => i.record_id === again.id);
      await workspace.approvals.act(
        await taskOf(second?.id as string, 'he.jun'),
        'approve',
        {},
        as('he.jun'),
      );
      await settle();
      expect(
        (await workspace.notifications.list(idOf('ma.li'))).data.filter(
          (n) => n.link?.recordId === product.id,
        ),
      ).toHaveLength(1);
    });

    it('a rejected sales issue never takes stock out', async () => {
      const [balance] = await all('stock_balance', SYSTEM_ACTOR, { field: 'on_hand', op: 'gt', value: 5 });
      const before = await stockOf(balance?.product);
      const issue = await salesIssue(balance as StoredRecord, 2, 'li.qiang');
      const [instance] = (
        await workspace.workflows.queries.instances({ processId: 'outbound_approval' })
      ).filter((i) => i.record_id === issue.id);
      const offered = async () =>
        (await workspace.workflows.triggers.actions('stock_movement', issue.id, as('li.qiang'))).map(
          (a) => a.processId,
        );
      expect(await offered()).not.toContain('outbound_approval');
      await workspace.approvals.act(
        await taskOf(instance?.id as string, 'luo.bin'),
        'reject',
        { comment: '客户未付款' },
        as('luo.bin'),
      );
      const status = async () =>
        (await workspace.records.get('stock_movement', issue.id, SYSTEM_ACTOR)).status;
      expect(await status()).toBe('rejected');
      expect((await stockOf(balance?.product)).stock).toBe(before.stock);
      // rejected, it is offered for approval again from its page: the keepers decide anew
      expect(await offered()).toContain('outbound_approval');
      const again = await workspace.workflows.triggers.runAction(
        'stock_movement',
        issue.id,
        'outbound_approval',
        as('li.qiang'),
      );
      expect(await status()).toBe('pending');
      expect((await openTasks(again.id)).map((t) => t.assignee).sort()).toEqual(keepers.map(idOf).sort());
      expect(await offered()).not.toContain('outbound_approval');
    });
  },
  { workflow: { clock: clock.now, timeZone: ZONE }, clock: clock.now },
);
