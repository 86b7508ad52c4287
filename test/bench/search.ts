// Keyword search on a large module vs a naive ILIKE '%…%' scan of the same columns, and what the
// generated search column costs writes; all on one PostgreSQL server in the same run.
// Run: pnpm bench:search  (env BENCH_SEARCH_ROWS=1000000 to change the size)
import { Engine, openPostgres, SYSTEM_ACTOR } from '@crm/engine';
import postgres from 'postgres';
import { startCluster } from '../support/postgres-server.ts';
import { fmt, percentile } from './stats.ts';

const ROWS = Number(process.env.BENCH_SEARCH_ROWS ?? 300_000);
const CREATES = Number(process.env.BENCH_SEARCH_CREATES ?? 2000);
const REPEATS = Number(process.env.BENCH_SEARCH_REPEATS ?? 20);

const fields = (searchable: boolean) => [
  { id: 'b_name', name: 'name', type: 'text', label: { en: 'Name' }, searchable },
  { id: 'b_note', name: 'note', type: 'longText', label: { en: 'Note' }, searchable },
  { id: 'b_email', name: 'email', type: 'email', label: { en: 'Email' }, searchable },
  { id: 'b_phone', name: 'phone', type: 'phone', label: { en: 'Phone' }, searchable },
  { id: 'b_size', name: 'size', type: 'integer', label: { en: 'Size' } },
];
const searched = { id: 'mod_bench_company', name: 'company', label: { en: 'Company' }, fields: fields(true) };
const plain = { id: 'mod_bench_plain', name: 'plain', label: { en: 'Plain' }, fields: fields(false) };

// Company names from parts, as Chinese company names are made: city + brand + trade + form.
const CITY = ['北京', '上海', '广州', '深圳', '杭州', '南京', '成都', '武汉', '西安', '苏州', '天津', '重庆'];
const BRAND = [
  '星辰',
  '明月',
  '华东',
  '远航',
  '金石',
  '蓝天',
  '鼎盛',
  '瑞丰',
  '宏图',
  '新锐',
  '恒信',
  '启明',
  '德胜',
  '盛世',
];
const TRADE = [
  '科技',
  '贸易',
  '精密',
  '电子',
  '机械',
  '物流',
  '医药',
  '食品',
  '建材',
  '咨询',
  '软件',
  '能源',
];
const FORM = ['有限公司', '股份有限公司', '集团', '工作室'];
const WORDS = [
  'alpha',
  'beta',
  'delta',
  'orion',
  'vega',
  'nova',
  'zen',
  'apex',
  'lumen',
  'terra',
  'quanta',
  'nimbus',
];

const arr = (items: string[]) => `ARRAY[${items.map((s) => `'${s}'`).join(',')}]`;
const pick = (items: string[], salt: number) => `(${arr(items)})[1 + ((i * ${salt}) % ${items.length})]`;
// the brand is scattered with a second salt, so some city+brand pairs are rare
const rowsSql = (table: string, from: number, to: number) => `
  INSERT INTO ${table} (id, name, note, email, phone, size)
  SELECT gen_random_uuid(),
    ${pick(CITY, 7)} || ${pick(BRAND, 13)} || ${pick(TRADE, 31)} || ${pick(FORM, 3)} || ' ' || initcap(${pick(WORDS, 17)}) || i,
    '客户 ' || i || ' 位于' || ${pick(CITY, 11)} || '，主营' || ${pick(TRADE, 5)} || ' and ' || ${pick(WORDS, 23)} || ' services',
    ${pick(WORDS, 29)} || '.' || i || '@example' || (i % 97) || '.com',
    '1' || (30 + i % 70) || '-' || lpad((i * 7919 % 10000)::text, 4, '0') || '-' || lpad((i % 10000)::text, 4, '0'),
    i % 1000
  FROM generate_series(${from}::bigint, ${to}::bigint) AS i`;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: performance.now() - start, result };
}

async function main() {
  console.log('Starting PostgreSQL (fsync on, as in production)…');
  const cluster = await startCluster({ fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' });
  const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
  await admin.unsafe('CREATE DATABASE bench');
  await admin.end();
  const url = cluster.url.replace(/\/postgres$/, '/bench');
  const engine = await Engine.open({ db: await openPostgres(url) });
  const raw = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const workspace = await engine.workspace('default');
    await workspace.definitions.saveDraft(searched);
    await workspace.definitions.saveDraft(plain);
    await workspace.definitions.publish();

    console.log(`\n## Write cost of the search column (name, note, email, phone searchable)`);
    const batch = 50_000;
    let withSearch = 0;
    let without = 0;
    for (let from = 1; from <= ROWS; from += batch) {
      const to = Math.min(ROWS, from + batch - 1);
      // alternate, so a noisy moment on the machine hits both
      withSearch += (await timed(() => raw.unsafe(rowsSql('ws_default.company', from, to)))).ms;
      without += (await timed(() => raw.unsafe(rowsSql('ws_default.plain', from, to)))).ms;
    }
    console.log(
      `bulk INSERT … SELECT of ${ROWS} rows: with search column + GIN ${fmt(withSearch / 1000)} s, without ${fmt(without / 1000)} s → ${fmt(withSearch / without, 2)}×`,
    );
    const creates = async (module: string) => {
      const times: number[] = [];
      for (let i = 0; i < CREATES; i++) {
        const record = {
          name: `${CITY[i % 12]}${BRAND[i % 14]}${TRADE[i % 12]}有限公司 Bench ${i}`,
          note: `客户 ${i} 位于${CITY[(i * 5) % 12]}，主营${TRADE[(i * 7) % 12]} and services`,
          email: `bench.${i}@example.com`,
          phone: `138-0013-${String(i).padStart(4, '0')}`,
          size: i,
        };
        times.push((await timed(() => workspace.records.create(module, record, SYSTEM_ACTOR))).ms);
      }
      return times.sort((a, b) => a - b);
    };
    await creates('plain'); // warm-up
    const createdWith = await creates('company');
    const createdWithout = await creates('plain');
    const p50 = (t: number[]) => percentile(t, 50);
    console.log(
      `engine create, sequential ×${CREATES}: p50 with search ${fmt(p50(createdWith), 2)} ms, without ${fmt(p50(createdWithout), 2)} ms → ${fmt(p50(createdWith) / p50(createdWithout), 2)}×`,
    );
    await raw.unsafe('VACUUM ANALYZE ws_default.company');

    console.log(
      `\n## Search ${ROWS + CREATES} records: engine q (GIN) vs naive ILIKE '%…%' over the same 4 columns`,
    );
    const queries = [
      '启明软件',
      '科技',
      '南京盛世',
      'orion',
      'vega.1234',
      '7919',
      '上海 nova',
      '不存在的公司',
    ];
    const naive = (q: string, count: boolean) => {
      const words = q.split(/\s+/).filter(Boolean);
      const cond = words
        .map(
          (w) =>
            `(name ILIKE $${words.indexOf(w) + 1} OR note ILIKE $${words.indexOf(w) + 1} OR email ILIKE $${words.indexOf(w) + 1} OR phone ILIKE $${words.indexOf(w) + 1})`,
        )
        .join(' AND ');
      const params = words.map((w) => `%${w}%`);
      return count
        ? raw.unsafe(`SELECT count(*) FROM ws_default.company WHERE ${cond}`, params)
        : raw.unsafe(
            `SELECT * FROM ws_default.company WHERE ${cond} ORDER BY created_at DESC, id DESC LIMIT 50`,
            params,
          );
    };
    const median = async (work: () => Promise<unknown>) => {
      await work();
      const times: number[] = [];
      for (let i = 0; i < REPEATS; i++) times.push((await timed(work)).ms);
      return percentile(
        times.sort((a, b) => a - b),
        50,
      );
    };
    console.log(
      '| query | matches | page: search ms | page: ILIKE ms | ILIKE/search | count: search ms | count: ILIKE ms | ILIKE/search |',
    );
    console.log('|---|---|---|---|---|---|---|---|');
    for (const q of queries) {
      const total =
        (await workspace.records.list('company', SYSTEM_ACTOR, { q, count: true, limit: 1 })).total ?? 0;
      const [naiveTotal] = await naive(q, true);
      const page = await median(() => workspace.records.list('company', SYSTEM_ACTOR, { q }));
      const pageNaive = await median(() => naive(q, false));
      const count = await median(() =>
        workspace.records.list('company', SYSTEM_ACTOR, { q, count: true, limit: 1 }),
      );
      const countNaive = await median(() => naive(q, true));
      console.log(
        `| ${q} | ${total} (ILIKE ${naiveTotal.count}) | ${fmt(page, 2)} | ${fmt(pageNaive, 2)} | ${fmt(pageNaive / page, 1)}× | ${fmt(count, 2)} | ${fmt(countNaive, 2)} | ${fmt(countNaive / count, 1)}× |`,
      );
    }
    const [{ size }] = await raw.unsafe(
      `SELECT pg_size_pretty(pg_relation_size('ws_default.sx_mod_bench_company')) AS size`,
    );
    console.log(`\nGIN index size: ${size}`);
  } finally {
    await raw.end();
    await engine.close();
    cluster.stop();
  }
}

await main();
