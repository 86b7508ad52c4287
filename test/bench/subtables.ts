// Benchmarks of sub-tables and rollups through the engine's record service, against raw postgres.js
// SQL measured in the same run on the same PostgreSQL server (fsync on).
// Run: npx tsx test/bench/subtables.ts  (env BENCH_CREATES=2000 BENCH_ROUNDS=3 to change the sizes)
//
// 1. Creating a quote with 10 lines (row formulas, record formula and rule, 3 rollups over the lines,
//    history) vs a raw transaction inserting the record and its 10 rows.
// 2. Creating an opportunity that updates its account's 5 rollups and a formula reading them vs
//    (a) a raw single-row INSERT and (b) a raw transaction doing the same upkeep by hand: lock the
//    account, insert, recompute its sums.
import { Engine, openPostgres, SYSTEM_ACTOR, subtableName } from '@crm/engine';
import postgres from 'postgres';
import { startCluster } from '../support/postgres-server.ts';
import { SUBTABLE_MODULES } from '../support/subtable-fixtures.ts';
import { fmt, runConcurrent } from './stats.ts';

const CREATES = Number(process.env.BENCH_CREATES ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ACCOUNTS = 100;

type Result = Awaited<ReturnType<typeof runConcurrent>>;
type Task = (i: number) => Promise<unknown>;

const cny = (amount: number) => ({ amount, currency: 'CNY' });
const lines = (i: number) =>
  Array.from({ length: 10 }, (_, k) => ({
    item: `item ${k}`,
    quantity: 1 + ((i + k) % 9),
    unit_price: cny(((i * 31 + k * 7) % 10000) / 100),
    taxable: k % 2 === 0,
  }));

/** Median of ROUNDS alternating rounds of each task, so a noisy moment hits them all. */
async function compare(label: string, total: number, concurrency: number, tasks: Record<string, Task>) {
  const rounds: Record<string, Result>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const results: Record<string, Result> = {};
    for (const [name, task] of Object.entries(tasks))
      results[name] = await runConcurrent(total, concurrency, task);
    rounds.push(results);
  }
  const names = Object.keys(tasks);
  const engineName = names[names.length - 1];
  const median = (name: string) =>
    rounds.map((r) => r[name]).sort((a, b) => a.perSecond - b.perSecond)[Math.floor(rounds.length / 2)];
  const engine = median(engineName);
  console.log(`${label}, concurrency ${concurrency}:`);
  for (const name of names) {
    const result = median(name);
    const ratio = name === engineName ? '' : ` → engine/this ${fmt(engine.perSecond / result.perSecond, 2)}`;
    console.log(
      `  ${name.padEnd(28)} ${fmt(result.perSecond, 0).padStart(6)}/s  p50 ${fmt(result.p50, 2)} ms  p95 ${fmt(result.p95, 2)} ms${ratio}`,
    );
  }
}

async function main() {
  console.log('Starting PostgreSQL (fsync on, as in production)…');
  const cluster = await startCluster({ fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' });
  const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
  await admin.unsafe('CREATE DATABASE bench');
  await admin.end();
  const databaseUrl = cluster.url.replace(/\/postgres$/, '/bench');
  const engine = await Engine.open({ db: await openPostgres(databaseUrl, { max: 16 }) });
  const workspace = await engine.workspace('default');
  for (const definition of SUBTABLE_MODULES) await workspace.definitions.saveDraft(definition);
  await workspace.definitions.publish();
  const raw = postgres(databaseUrl, { max: 16, onnotice: () => {} });
  const schema = 'ws_default';
  const rowTable = `${schema}.${subtableName('mod_st_quote', 'q_lines')}`;
  await raw.unsafe(`CREATE TABLE ${schema}.quote_raw (LIKE ${schema}.quote INCLUDING ALL)`);
  await raw.unsafe(
    `CREATE TABLE ${schema}.quote_raw_lines (LIKE ${rowTable} INCLUDING ALL, FOREIGN KEY (parent_id) REFERENCES ${schema}.quote_raw (id) ON DELETE CASCADE)`,
  );
  await raw.unsafe(`CREATE TABLE ${schema}.opportunity_raw (LIKE ${schema}.opportunity INCLUDING ALL)`);
  const accounts = await Promise.all(
    Array.from({ length: ACCOUNTS }, (_, i) =>
      workspace.records.create('account', { name: `A${i}` }, SYSTEM_ACTOR),
    ),
  );
  try {
    const rawQuote: Task = (i) =>
      raw.begin(async (tx) => {
        const [{ id }] =
          await tx`INSERT INTO ws_default.quote_raw (id, title) VALUES (gen_random_uuid(), ${`Q${i}`}) RETURNING id`;
        const rows = lines(i).map((l, position) => ({
          id: crypto.randomUUID(),
          parent_id: id,
          position,
          item: l.item,
          quantity: l.quantity,
          unit_price: l.unit_price.amount,
          unit_price__currency: 'CNY',
          amount: l.quantity * l.unit_price.amount,
          taxable: l.taxable,
        }));
        await tx`INSERT INTO ws_default.quote_raw_lines ${tx(rows)}`;
      });
    const engineQuote: Task = (i) =>
      workspace.records.create('quote', { title: `Q${i}`, lines: lines(i) }, SYSTEM_ACTOR);
    const opportunity = (i: number) => ({
      name: `O${i}`,
      account: accounts[i % ACCOUNTS].id,
      amount: cny((i * 37) % 5000),
      stage: ['new', 'won', 'lost'][i % 3],
      close_date: `2026-0${1 + (i % 9)}-15`,
    });
    const rawInsert: Task = (i) => {
      const o = opportunity(i);
      return raw`INSERT INTO ws_default.opportunity_raw (id, name, account, amount, amount__currency, stage, close_date)
        VALUES (gen_random_uuid(), ${o.name}, ${o.account}, ${o.amount.amount}, 'CNY', ${o.stage}, ${o.close_date})`;
    };
    const rawUpkeep: Task = (i) =>
      raw.begin(async (tx) => {
        const o = opportunity(i);
        await tx`SELECT id FROM ws_default.account WHERE id = ${o.account} FOR UPDATE`;
        await tx`INSERT INTO ws_default.opportunity_raw (id, name, account, amount, amount__currency, stage, close_date)
          VALUES (gen_random_uuid(), ${o.name}, ${o.account}, ${o.amount.amount}, 'CNY', ${o.stage}, ${o.close_date})`;
        await tx`UPDATE ws_default.account t SET
          open_amount = (SELECT coalesce(sum(amount), 0) FROM ws_default.opportunity_raw s WHERE s.account = t.id AND s.stage IN ('new', 'won') AND s.amount >= 0),
          opportunity_count = (SELECT count(*) FROM ws_default.opportunity_raw s WHERE s.account = t.id),
          biggest = (SELECT max(amount) FROM ws_default.opportunity_raw s WHERE s.account = t.id),
          average = (SELECT avg(amount) FROM ws_default.opportunity_raw s WHERE s.account = t.id),
          first_close = (SELECT min(close_date) FROM ws_default.opportunity_raw s WHERE s.account = t.id AND s.stage <> 'lost')
          WHERE t.id = ${o.account}`;
      });
    const engineCreate: Task = (i) => workspace.records.create('opportunity', opportunity(i), SYSTEM_ACTOR);

    // warm-up: JIT and prepared statements
    await runConcurrent(300, 16, rawQuote);
    await runConcurrent(300, 16, engineQuote);
    await runConcurrent(300, 16, rawUpkeep);
    await runConcurrent(300, 16, engineCreate);

    console.log(`\n## Create a quote with 10 lines (${CREATES} per round, median of ${ROUNDS} rounds)`);
    for (const concurrency of [1, 16]) {
      const total = concurrency === 1 ? Math.min(CREATES, 500) : CREATES;
      await compare('quote + 10 lines', total, concurrency, {
        'raw SQL transaction': rawQuote,
        'record service': engineQuote,
      });
    }
    console.log(
      `\n## Create an opportunity that updates its account's rollups (${ACCOUNTS} accounts, median of ${ROUNDS} rounds)`,
    );
    for (const concurrency of [1, 16]) {
      const total = concurrency === 1 ? Math.min(CREATES, 500) : CREATES;
      await compare('opportunity create', total, concurrency, {
        'raw INSERT': rawInsert,
        'raw lock+insert+recompute': rawUpkeep,
        'record service': engineCreate,
      });
    }
  } finally {
    await raw.end();
    await engine.close();
    cluster.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
