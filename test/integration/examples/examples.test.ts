// The example packages imported as `crm start --demo` does (customer, stock, opportunity, each with
// its seed) into an empty database, then checked against what the seed generator knows.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  demoPackages,
  exportConfiguration,
  type ImportResult,
  importConfiguration,
  readPackageFolder,
} from '@crm/cli';
import {
  type Actor,
  compileFormFormulas,
  createFieldTypeRegistry,
  type FormFormulas,
  type StoredRecord,
  SYSTEM_ACTOR,
  type Workspace,
} from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { exampleSeeds } from '../../../examples/scripts/generate-seed.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';

const seeds = exampleSeeds();
const amountOf = (money: unknown) => (money as { amount: number } | null)?.amount ?? null;

/** Every record of a module, page by page. */
async function all(workspace: Workspace, module: string, actor: Actor = SYSTEM_ACTOR, fields?: string[]) {
  const records: StoredRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await workspace.records.list(module, actor, { limit: 500, cursor, fields });
    records.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return records;
}

forEachDatabase('example packages', (handle) => {
  let workspace: Workspace;
  const results: ImportResult[] = [];
  const userId = async (username: string) => {
    const user = await workspace.identity.users.findByUsername(username);
    if (!user) throw new Error(`no user ${username}`);
    return user.id;
  };

  beforeAll(async () => {
    workspace = handle().workspace;
    for (const dir of await demoPackages())
      results.push(await importConfiguration(workspace, dir, { seed: true }));
  }, 300_000);

  it('imports each package into an empty database, its seed included', () => {
    const [customer, stock, opportunity] = results;
    const items = (result: ImportResult) =>
      result.preview.items.map((i) => `${i.kind}/${i.name}:${i.status}`).sort();
    expect(items(customer)).toEqual([
      'flows/pool_return:added',
      'modules/complaint:added',
      'modules/contact:added',
      'modules/customer:added',
      'modules/phone_call:added',
      'modules/visit:added',
      'modules/visitor:added',
      'roles/sales_director:added',
      'roles/sales_manager:added',
      'roles/sales_rep:added',
    ]);
    expect(items(stock)).toEqual([
      'flows/low_stock:added',
      'flows/outbound_approval:added',
      'modules/product:added',
      'modules/product_category:added',
      'modules/stock_balance:added',
      'modules/stock_movement:added',
      'modules/warehouse:added',
      'roles/purchasing:added',
      'roles/warehouse_keeper:added',
    ]);
    // the opportunity package adds the customer's value and widens the sales roles to deals
    expect(items(opportunity)).toEqual([
      'flows/contract_approval:added',
      'flows/discount_approval:added',
      'modules/contract:added',
      'modules/customer:changed',
      'modules/opportunity:added',
      'modules/quote:added',
      'modules/receivable:added',
      'roles/finance:added',
      'roles/sales_director:changed',
      'roles/sales_manager:changed',
      'roles/sales_rep:changed',
    ]);
    expect(results.map((r) => r.records)).toEqual([
      seeds.customer.file.records.length,
      seeds.stock.file.records.length,
      seeds.opportunity.file.records.length,
    ]);
    // people named again by a later seed are the same people
    expect(results.map((r) => r.seeded?.users)).toEqual([11, 5, 2]);
    expect(results.map((r) => r.seeded?.departments)).toEqual([4, 2, 1]);
  });

  it('computes in the browser the formulas the server stored, on every sample record', async () => {
    const registry = createFieldTypeRegistry();
    const checked: string[] = [];
    for (const module of workspace.catalog.all()) {
      const source = module.uiSchema('en')['ui:formulas'] as FormFormulas | undefined;
      if (!source) continue;
      const { names, compute } = compileFormFormulas(source, registry);
      const rows = module.subtables.map((s) => s.name);
      const fields = module.fields.map((f) => f.name);
      for (const record of await all(workspace, module.name, SYSTEM_ACTOR, fields)) {
        const live = compute(record);
        for (const name of names) {
          const [field, rowField] = name.split('/');
          if (rowField === undefined) {
            expect([module.name, name, live[name] ?? null]).toEqual([
              module.name,
              name,
              record[name] ?? null,
            ]);
            continue;
          }
          const stored = (record[field] ?? []) as Record<string, unknown>[];
          const computed = live[field] as Record<string, unknown>[] | undefined;
          stored.forEach((row, i) => {
            expect([module.name, name, computed?.[i]?.[rowField] ?? null]).toEqual([
              module.name,
              name,
              row[rowField] ?? null,
            ]);
          });
        }
        checked.push(`${module.name}:${rows.length}`);
      }
    }
    // the modules with formulas over their own fields and rows, with sample records
    const modules = new Set(checked.map((c) => c.split(':')[0]));
    for (const name of ['quote', 'opportunity', 'product', 'stock_movement', 'contract']) {
      expect(modules).toContain(name);
    }
    // the quote's lines and totals are all computed in the form; its formulas over rollups are not
    const quote = workspace.catalog.byName('quote');
    const { names } = compileFormFormulas(quote.uiSchema('en')['ui:formulas'] as FormFormulas, registry);
    expect([...names].sort()).toEqual([
      'discount_amount',
      'discount_rate',
      'lines/amount',
      'lines/unit_price',
      'list_total',
      'tax_amount',
      'total',
    ]);
    const product = workspace.catalog.byName('product');
    const forProduct = compileFormFormulas(product.uiSchema('en')['ui:formulas'] as FormFormulas, registry);
    expect([...forProduct.names].sort()).toEqual(['margin']);
  });

  it('keeps stock per product and per warehouse by rollups over the movement lines', async () => {
    const products = await all(workspace, 'product', SYSTEM_ACTOR, [
      'sku',
      'stock',
      'safety_stock',
      'low_stock',
    ]);
    expect(products).toHaveLength(seeds.stock.products.length);
    for (const product of products) {
      expect([product.sku, product.stock]).toEqual([product.sku, seeds.stock.stock.get(String(product.sku))]);
      expect(product.low_stock).toBe(Number(product.stock) < Number(product.safety_stock));
    }
    expect(products.filter((p) => p.low_stock).length).toBeGreaterThanOrEqual(4);
    const balances = await all(workspace, 'stock_balance', SYSTEM_ACTOR, [
      'title',
      'received',
      'issued',
      'on_hand',
    ]);
    for (const balance of balances) {
      expect([balance.title, balance.on_hand]).toEqual([
        balance.title,
        seeds.stock.balances.get(String(balance.title)),
      ]);
      expect(balance.on_hand).toBe(Number(balance.received) - Number(balance.issued));
    }
  });

  it('moves the stock with a new movement and refuses one whose lines go the wrong way', async () => {
    const [balance] = (
      await workspace.records.list('stock_balance', SYSTEM_ACTOR, {
        filter: { field: 'title', op: 'eq', value: 'PR-3010 @ SH' },
      })
    ).data;
    const product = await workspace.records.get('product', String(balance.product), SYSTEM_ACTOR);
    const before = Number(product.stock);
    const movement = {
      movement_type: 'sales_out',
      movement_date: new Date().toISOString().slice(0, 10),
      warehouse: balance.warehouse,
      lines: [{ balance: balance.id, direction: 'out', quantity: 1 }],
    };
    await workspace.records.create('stock_movement', movement, SYSTEM_ACTOR);
    expect((await workspace.records.get('product', product.id, SYSTEM_ACTOR)).stock).toBe(before - 1);
    expect((await workspace.records.get('stock_balance', balance.id, SYSTEM_ACTOR)).on_hand).toBe(
      Number(balance.on_hand) - 1,
    );

    const wrong = await engineError(
      workspace.records.create(
        'stock_movement',
        { ...movement, lines: [{ balance: balance.id, direction: 'in', quantity: 5 }] },
        SYSTEM_ACTOR,
      ),
    );
    expect(wrong.problems).toMatchObject([
      { pointer: '/lines', messages: { 'zh-CN': '销售出库单的明细必须全部为出库' } },
    ]);
    const zero = await engineError(
      workspace.records.create(
        'stock_movement',
        { ...movement, lines: [{ balance: balance.id, direction: 'out', quantity: 0 }] },
        SYSTEM_ACTOR,
      ),
    );
    expect(zero.problems.map((p) => p.pointer)).toContain('/lines/0/quantity');
    expect((await workspace.records.get('product', product.id, SYSTEM_ACTOR)).stock).toBe(before - 1);
  });

  it('derives the value class from signed contracts and the collection state from receivables', async () => {
    const byCustomer = new Map<string, number>();
    for (const contract of seeds.opportunity.contracts) {
      byCustomer.set(contract.customer, (byCustomer.get(contract.customer) ?? 0) + contract.amountCents);
    }
    const customers = await all(workspace, 'customer', SYSTEM_ACTOR, [
      'name',
      'contract_total',
      'value_class',
    ]);
    expect(customers).toHaveLength(seeds.customer.customers.length);
    for (const customer of customers) {
      const cents = byCustomer.get(String(customer.name)) ?? 0;
      expect([customer.name, Math.round((amountOf(customer.contract_total) ?? 0) * 100)]).toEqual([
        customer.name,
        cents,
      ]);
      const expected =
        cents >= 100_000_000 ? 'A' : cents >= 30_000_000 ? 'B' : cents >= 5_000_000 ? 'C' : 'D';
      expect([customer.name, customer.value_class]).toEqual([customer.name, expected]);
    }
    expect(new Set(customers.map((c) => c.value_class))).toEqual(new Set(['A', 'B', 'C', 'D']));

    const contracts = await all(workspace, 'contract', SYSTEM_ACTOR, [
      'amount',
      'received_total',
      'outstanding',
    ]);
    expect(contracts).toHaveLength(seeds.opportunity.contracts.length);
    const received = seeds.opportunity.contracts.map((c) => c.received).sort((a, b) => a - b);
    expect(
      contracts.map((c) => Math.round((amountOf(c.received_total) ?? 0) * 100)).sort((a, b) => a - b),
    ).toEqual(received);
    for (const contract of contracts) {
      expect(contract.outstanding).toBeCloseTo(
        (amountOf(contract.amount) ?? 0) - (amountOf(contract.received_total) ?? 0),
        2,
      );
    }
  });

  it('totals quotes by formula and refuses a payment plan that does not add up', async () => {
    const [quote] = (await workspace.records.list('quote', SYSTEM_ACTOR, { limit: 1 })).data;
    const full = await workspace.records.get('quote', quote.id, SYSTEM_ACTOR);
    const lines = full.lines as { quantity: number; list_price: unknown; discount: number; amount: number }[];
    const total = lines.reduce(
      (sum, l) => sum + (l.quantity * (amountOf(l.list_price) ?? 0) * (100 - l.discount)) / 100,
      0,
    );
    const list = lines.reduce((sum, l) => sum + l.quantity * (amountOf(l.list_price) ?? 0), 0);
    expect(full.total).toBeCloseTo(total, 2);
    expect(full.list_total).toBeCloseTo(list, 2);
    expect(full.discount_rate).toBeCloseTo(Math.round(((list - total) / list) * 1000) / 10, 1);

    const [contract] = (await workspace.records.list('contract', SYSTEM_ACTOR, { limit: 1 })).data;
    const bad = await engineError(
      workspace.records.update(
        'contract',
        contract.id,
        {
          payment_plan: [
            { instalment: 'advance', due_on: '2026-01-01', amount: { amount: 1, currency: 'CNY' } },
          ],
        },
        SYSTEM_ACTOR,
      ),
    );
    expect(bad.problems).toMatchObject([
      { pointer: '/payment_plan', messages: { 'zh-CN': '回款计划合计必须等于合同金额' } },
    ]);
  });

  it('shows the last contact, days since it and the churn warning from visits and calls', async () => {
    const today = new Date();
    const customers = await all(workspace, 'customer', SYSTEM_ACTOR, [
      'relationship',
      'last_visit',
      'last_call',
      'last_contact',
      'days_since_contact',
      'churn_risk',
      'open_complaints',
      'in_pool',
      'owner',
    ]);
    const midnight = (d: string) => new Date(`${d}T00:00:00`).getTime();
    const localDay = (iso: string) => {
      const d = new Date(iso);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    };
    let contacted = 0;
    for (const customer of customers) {
      expect(customer.in_pool).toBe(customer.owner === null);
      const days = [
        customer.last_visit,
        customer.last_call && String(customer.last_call).slice(0, 10),
      ].filter(Boolean);
      if (days.length === 0) {
        expect(customer.last_contact).toBeNull();
        continue;
      }
      contacted++;
      expect(customer.last_contact).toBe(days.sort().at(-1));
      const since = Math.round(
        (midnight(localDay(today.toISOString())) - midnight(String(customer.last_contact))) / 86_400_000,
      );
      expect(customer.days_since_contact).toBe(since);
      const trading = customer.relationship === 'current' || customer.relationship === 'loyal';
      expect(customer.churn_risk).toBe(trading && (since > 60 || Number(customer.open_complaints) > 0));
    }
    expect(contacted).toBeGreaterThan(100);
    expect(customers.filter((c) => c.churn_risk).length).toBeGreaterThan(5);
  });

  it('lets a rep see their own customers and the pool, a manager their team and the pool, the director all', async () => {
    const rep = await userId('wang.fang');
    const manager = await userId('chen.jing');
    const director = await userId('zhao.jianguo');
    const everyone = await all(workspace, 'customer', SYSTEM_ACTOR, ['owner']);
    const team = await Promise.all(
      ['wang.fang', 'li.qiang', 'zhang.min', 'huang.lei', 'chen.jing'].map(userId),
    );
    const count = async (id: string) =>
      (await workspace.records.list('customer', { userId: id }, { count: true, limit: 1 })).total;
    // besides, every salesperson sees the customer pool (the customers without an owner) to claim from it
    const pool = everyone.filter((c) => c.owner === null).length;
    expect(pool).toBeGreaterThan(0);
    expect(await count(rep)).toBe(everyone.filter((c) => c.owner === rep).length + pool);
    expect(await count(manager)).toBe(everyone.filter((c) => team.includes(String(c.owner))).length + pool);
    expect(await count(director)).toBe(everyone.length);
    // a rep sees prices but not what the products cost
    const [product] = (await workspace.records.list('product', { userId: rep }, { limit: 1 })).data;
    expect(product.list_price).toBeDefined();
    expect(product).not.toHaveProperty('cost');
  });

  it('exports the workspace as the files the packages came from', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crm-examples-'));
    try {
      await exportConfiguration(workspace, dir);
      const exported = await readPackageFolder(dir);
      // each module and role as the last package that names it has it
      const expected: Record<string, string> = {};
      for (const packageDir of await demoPackages()) {
        const files = await readPackageFolder(packageDir);
        for (const [path, text] of Object.entries(files))
          if (path !== 'crm-package.json') expected[path] = text;
      }
      const { 'crm-package.json': _manifest, ...configuration } = exported;
      expect(configuration).toEqual(expected);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
