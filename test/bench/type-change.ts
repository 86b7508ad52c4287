// A type change on a module of BENCH_TYPE_ROWS records (default 100,000; every 1000th holds text that is
// no number): publishing text → integer with the loss confirmed (new column, converted backfill,
// counts and samples, swap, archive) vs the same conversion written by hand as SQL on a copy of the
// table, in the same run on the same PostgreSQL server (fsync on). Rounds alternate the two; the
// median round is reported, as a ratio.
// Run: npx tsx test/bench/type-change.ts   (BENCH_TYPE_ROWS, BENCH_ROUNDS change the sizes)
import { Engine, openPostgres, SYSTEM_ACTOR } from '@crm/engine';
import postgres from 'postgres';
import { startCluster } from '../support/postgres-server.ts';
import { fmt } from './stats.ts';

const ROWS = Number(process.env.BENCH_TYPE_ROWS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const fill = (table: string) =>
  `INSERT INTO ${table} (id, amount, created_at)
   SELECT gen_random_uuid(), CASE WHEN i % 1000 = 0 THEN 'n/a ' || i ELSE ' ' || (i * 3)::text END,
          timestamptz '2026-01-01' + i * interval '1 millisecond'
   FROM generate_series(1, ${ROWS}) AS i`;

/** What an administrator who knows SQL would write for the same change. */
const byHand = (table: string) => [
  `ALTER TABLE ${table} ADD COLUMN amount_new bigint`,
  `UPDATE ${table} SET amount_new = CASE WHEN btrim(amount) ~ '^[+-]?[0-9]{1,16}$' THEN btrim(amount)::bigint END`,
  `ALTER TABLE ${table} RENAME COLUMN amount TO amount_old`,
  `ALTER TABLE ${table} RENAME COLUMN amount_new TO amount`,
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  console.log('Starting PostgreSQL (fsync on, as in production)…');
  const cluster = await startCluster({ fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' });
  try {
    const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
    await admin.unsafe('CREATE DATABASE bench');
    await admin.end();
    const databaseUrl = cluster.url.replace(/\/postgres$/, '/bench');
    const engine = await Engine.open({ db: await openPostgres(databaseUrl) });
    const workspace = await engine.workspace('default');
    const raw = postgres(databaseUrl, { max: 1, onnotice: () => {} });

    const previews: number[] = [];
    const publishes: number[] = [];
    const hands: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const name = `conv_${round}`;
      const definition = {
        id: `mod_${name}`,
        name,
        label: { en: 'Conversion' },
        fields: [{ id: `${name}_amount`, name: 'amount', type: 'text', label: { en: 'Amount' } }],
      };
      await workspace.definitions.saveDraft(definition);
      await workspace.definitions.publish([name]);
      const table = `ws_default.${name}`;
      await raw.unsafe(fill(table));
      await raw.unsafe(`CREATE TABLE ws_default.${name}_raw (LIKE ${table} INCLUDING ALL)`);
      await raw.unsafe(`INSERT INTO ws_default.${name}_raw SELECT * FROM ${table}`);
      await raw.unsafe(`VACUUM ANALYZE ${table}`);
      await raw.unsafe(`VACUUM ANALYZE ws_default.${name}_raw`);
      await workspace.definitions.saveDraft({
        ...definition,
        fields: [{ ...definition.fields[0], type: 'integer' }],
      });

      const engineRun = async () => {
        let t0 = performance.now();
        const preview = await workspace.definitions.preview([name]);
        previews.push(performance.now() - t0);
        const lost = preview.steps.find((s) => s.conversion)?.conversion?.unconvertible;
        if (lost !== Math.floor(ROWS / 1000)) throw new Error(`preview counted ${lost} unconvertible values`);
        t0 = performance.now();
        await workspace.definitions.publish([name], SYSTEM_ACTOR, { confirmDataLoss: true });
        publishes.push(performance.now() - t0);
      };
      const handRun = async () => {
        const t0 = performance.now();
        await raw.begin(async (tx) => {
          for (const statement of byHand(`ws_default.${name}_raw`)) await tx.unsafe(statement);
        });
        hands.push(performance.now() - t0);
      };
      // alternate which goes first, so a noisy moment on the machine hits both
      if (round % 2 === 1) {
        await engineRun();
        await handRun();
      } else {
        await handRun();
        await engineRun();
      }
      const [check] = await raw.unsafe(
        `SELECT (SELECT count(amount) FROM ${table}) AS engine, (SELECT count(amount) FROM ws_default.${name}_raw) AS hand`,
      );
      if (String(check.engine) !== String(check.hand)) throw new Error('the two conversions differ');
      console.log(
        `round ${round}: preview ${fmt(previews.at(-1) ?? 0, 0)} ms, publish ${fmt(publishes.at(-1) ?? 0, 0)} ms, by hand ${fmt(hands.at(-1) ?? 0, 0)} ms`,
      );
    }
    const publish = median(publishes);
    const hand = median(hands);
    console.log(
      `type change text → integer on ${ROWS.toLocaleString('en')} rows (median of ${ROUNDS} rounds): ` +
        `publish ${fmt(publish, 0)} ms, hand-written SQL ${fmt(hand, 0)} ms → ratio ${fmt(publish / hand, 2)}; ` +
        `preview ${fmt(median(previews), 0)} ms → ratio ${fmt(median(previews) / hand, 2)}`,
    );
    await raw.end();
    await engine.close();
  } finally {
    cluster.stop();
  }
}

await main();
