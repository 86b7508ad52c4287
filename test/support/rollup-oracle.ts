// Rollups recomputed from scratch in plain TypeScript from every record, to compare with what the
// engine keeps stored: an oracle independent of the engine's SQL.
import { type StoredRecord, SYSTEM_ACTOR, type Workspace } from '@crm/engine';

type Row = Record<string, unknown>;
const amountOf = (money: unknown) => (money === null ? null : (money as { amount: number }).amount);

/** Half away from zero, as a numeric column rounds. */
export function roundTo(value: number, scale: number): number {
  const factor = 10 ** scale;
  return (Math.sign(value) * Math.round(Math.abs(value) * factor + 1e-9)) / factor;
}

async function all(workspace: Workspace, module: string, fields?: string[]): Promise<StoredRecord[]> {
  const records: StoredRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await workspace.records.list(module, SYSTEM_ACTOR, { limit: 500, cursor, fields });
    records.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return records;
}

const money = (amount: number | null) => (amount === null ? null : { amount, currency: 'CNY' });

/** Expected and stored rollup values of every account, region, product, movement and quote, by record. */
export async function compareRollups(workspace: Workspace) {
  const opportunities = await all(workspace, 'opportunity');
  const accounts = await all(workspace, 'account');
  const regions = await all(workspace, 'region');
  const movements = await all(workspace, 'stock_movement', ['ref', 'lines', 'units']);
  const products = await all(workspace, 'product');
  const quotes = await all(workspace, 'quote', ['title', 'lines', 'rolled_total', 'taxed_lines', 'with_tax']);
  const expected: Record<string, Row> = {};
  const stored: Record<string, Row> = {};

  for (const account of accounts) {
    const mine = opportunities.filter((o) => o.account === account.id);
    const amounts = mine.map((o) => amountOf(o.amount)).filter((a): a is number => a !== null);
    const open = mine.filter(
      (o) => ['new', 'won'].includes(String(o.stage)) && (amountOf(o.amount) ?? -1) >= 0,
    );
    const openAmount = open.reduce((sum, o) => sum + (amountOf(o.amount) ?? 0), 0);
    const closes = mine
      .filter((o) => o.close_date !== null && o.stage !== 'lost')
      .map((o) => String(o.close_date))
      .sort();
    expected[account.id] = {
      open_amount: money(roundTo(openAmount, 2)),
      opportunity_count: mine.length,
      biggest: money(amounts.length > 0 ? Math.max(...amounts) : null),
      average: money(
        amounts.length > 0 ? roundTo(amounts.reduce((a, b) => a + b, 0) / amounts.length, 2) : null,
      ),
      first_close: closes[0] ?? null,
      open_share: mine.length === 0 ? null : roundTo(openAmount / mine.length, 2),
    };
    stored[account.id] = Object.fromEntries(Object.keys(expected[account.id]).map((k) => [k, account[k]]));
  }
  for (const region of regions) {
    const sum = accounts
      .filter((a) => a.region === region.id)
      .reduce(
        (total, a) => total + ((expected[a.id].open_amount as { amount: number } | null)?.amount ?? 0),
        0,
      );
    expected[region.id] = { open_total: money(roundTo(sum, 2)) };
    stored[region.id] = { open_total: region.open_total };
  }
  const lines = movements.flatMap((m) => m.lines as Row[]);
  for (const product of products) {
    const mine = lines.filter((l) => l.product === product.id);
    const stock = mine.reduce((sum, l) => sum + Number(l.quantity), 0);
    expected[product.id] = {
      stock,
      receipts: mine.filter((l) => Number(l.quantity) > 0).length,
      low_stock: stock < 10,
    };
    stored[product.id] = { stock: product.stock, receipts: product.receipts, low_stock: product.low_stock };
  }
  for (const movement of movements) {
    expected[movement.id] = {
      units: (movement.lines as Row[]).reduce((sum, l) => sum + Number(l.quantity), 0),
    };
    stored[movement.id] = { units: movement.units };
  }
  for (const quote of quotes) {
    const rows = quote.lines as Row[];
    const total = roundTo(
      rows.reduce((sum, l) => sum + Number(l.amount ?? 0), 0),
      2,
    );
    expected[quote.id] = {
      rolled_total: total,
      taxed_lines: rows.filter((l) => l.taxable === true).length,
      with_tax: roundTo(total * 1.1, 2),
    };
    stored[quote.id] = {
      rolled_total: quote.rolled_total,
      taxed_lines: quote.taxed_lines,
      with_tax: quote.with_tax,
    };
  }
  return { expected, stored };
}
