// Benchmarks of the record API against baselines measured in the same run on the same PostgreSQL server.
// Run: pnpm bench  (env BENCH_ROWS=1000000 BENCH_CREATES=4000 to change the sizes)
//
// 1. Creating records through the HTTP API (validation, formula, rule, history row) at 1 and 16 concurrent
//    clients vs raw postgres.js single-row INSERTs of the same rows into a copy of the table.
// 2. A filtered, sorted page of 50 from a module with BENCH_ROWS records: p50/p95 through HTTP and through the
//    engine's record service vs the equivalent hand-written SQL.
// 3. Adding a field to that module: publish time, and whether the table was rewritten (its file node).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Engine, openPostgres, SYSTEM_ACTOR } from '@crm/engine';
import postgres from 'postgres';
import { startCluster } from '../support/postgres-server.ts';
import { httpClient } from './http-client.ts';
import { BENCH_MODULE, benchRecord } from './module.ts';
import { fmt, runConcurrent } from './stats.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const CREATES = Number(process.env.BENCH_CREATES ?? 4000);
const PAGES = Number(process.env.BENCH_PAGES ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

type Result = Awaited<ReturnType<typeof runConcurrent>>;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** The product's own server, started the way users start it, in its own process. */
async function startServer(databaseUrl: string): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['packages/cli/bin/crm.mjs', 'start'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, process: child };
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not start');
}

async function main() {
  console.log(`Starting PostgreSQL (fsync on, as in production)…`);
  const cluster = await startCluster({
    fsync: 'on',
    synchronous_commit: 'on',
    full_page_writes: 'on',
    autovacuum: 'on',
  });
  const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
  await admin.unsafe('CREATE DATABASE bench');
  await admin.end();
  const databaseUrl = cluster.url.replace(/\/postgres$/, '/bench');

  const engine = await Engine.open({ db: await openPostgres(databaseUrl) });
  const workspace = await engine.workspace('default');
  await workspace.definitions.saveDraft(BENCH_MODULE);
  await workspace.definitions.publish();
  // the server's API wants credentials: an admin's personal token, made before it starts
  const benchAdmin = await workspace.identity.users.create({
    username: 'bench',
    displayName: 'Bench',
    isAdmin: true,
  });
  const { token } = await workspace.identity.tokens.create(benchAdmin.id, {
    name: 'bench',
    scopes: ['records:write', 'meta:write'],
  });
  const raw = postgres(databaseUrl, { max: 16, onnotice: () => {} });
  await raw.unsafe('CREATE TABLE ws_default.deal_raw (LIKE ws_default.deal INCLUDING ALL)');
  const server = await startServer(databaseUrl);
  try {
    await benchCreates(raw, server.url, token);
    await benchList(raw, engine, server.url, token);
    await benchAddField(raw, workspace);
  } finally {
    server.process.kill('SIGTERM');
    await raw.end();
    await engine.close();
    cluster.stop();
  }
}

async function benchCreates(raw: postgres.Sql, url: string, token: string) {
  console.log(`\n## Create ${CREATES} records: HTTP API vs raw postgres.js INSERT`);
  const rawInsert = (i: number) => {
    const r = benchRecord(i);
    return raw`INSERT INTO ws_default.deal_raw (id, title, stage, amount, amount__currency, probability, weighted, close_date, email)
      VALUES (gen_random_uuid(), ${r.title}, ${r.stage}, ${r.amount.amount}, 'CNY', ${r.probability},
              ${(r.amount.amount * r.probability) / 100}, ${r.close_date}, ${r.email})`;
  };
  const http = httpClient(url, 16, token);
  const apiCreate = async (i: number) => {
    const response = await http('POST', '/api/modules/deal/records', benchRecord(i));
    if (response.status !== 201) throw new Error(`create failed: ${response.status} ${response.body}`);
  };
  // warm-up: the server's JIT needs a few thousand requests before its speed settles
  await runConcurrent(2000, 16, rawInsert);
  await runConcurrent(3000, 16, apiCreate);
  for (const concurrency of [1, 16]) {
    const total = concurrency === 1 ? Math.min(CREATES, 1500) : CREATES;
    // alternate the two, so a noisy moment on the machine hits both; report the median round
    const rounds: { base: Result; api: Result }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rounds.push({
        base: await runConcurrent(total, concurrency, rawInsert),
        api: await runConcurrent(total, concurrency, apiCreate),
      });
    }
    rounds.sort((a, b) => a.api.perSecond / a.base.perSecond - b.api.perSecond / b.base.perSecond);
    const { base, api } = rounds[Math.floor(rounds.length / 2)];
    console.log(
      `concurrency ${String(concurrency).padStart(2)}: raw ${fmt(base.perSecond, 0)}/s, API ${fmt(api.perSecond, 0)}/s ` +
        `→ ratio ${fmt(api.perSecond / base.perSecond, 2)} (API p50 ${fmt(api.p50, 2)} ms, p95 ${fmt(api.p95, 2)} ms; ` +
        `median of ${ROUNDS} rounds, all: ${rounds.map((r) => fmt(r.api.perSecond / r.base.perSecond, 2)).join(' ')})`,
    );
  }
}

async function benchList(raw: postgres.Sql, engine: Engine, url: string, token: string) {
  console.log(`\n## A filtered, sorted page of 50 from ${ROWS.toLocaleString('en')} records`);
  const [{ n }] = await raw`SELECT count(*)::int AS n FROM ws_default.deal`;
  const missing = ROWS - n;
  if (missing > 0) {
    const t0 = performance.now();
    // Bulk load with SQL: what is measured is reading, not loading.
    await raw.unsafe(`
      INSERT INTO ws_default.deal (id, created_at, updated_at, title, stage, amount, amount__currency, probability, weighted, close_date, email)
      SELECT gen_random_uuid(), now() - (g || ' seconds')::interval, now(), 'Deal ' || g || ' 项目',
        (ARRAY['initial','needs','proposal','negotiation','won','lost'])[1 + g % 6],
        1000 + (g::bigint * 7919) % 2000000, 'CNY', (g * 13) % 101, ((1000 + (g::bigint * 7919) % 2000000) * ((g * 13) % 101)) / 100.0,
        DATE '2026-01-01' + (g % 365), 'buyer' || g || '@example.cn'
      FROM generate_series(1, ${missing}) g`);
    await raw.unsafe('ANALYZE ws_default.deal');
    console.log(`loaded ${missing.toLocaleString('en')} rows in ${fmt((performance.now() - t0) / 1000)} s`);
  }
  const filter = {
    and: [
      { field: 'stage', op: 'in', value: ['proposal', 'negotiation'] },
      { field: 'amount', op: 'gte', value: 500000 },
    ],
  };
  const sort = '-amount';
  const workspace = await engine.workspace('default');

  // Follow the keyset cursor through PAGES pages, as a user scrolling a list does.
  const handSql = async (cursor: [string, string] | undefined) => {
    const rows = cursor
      ? await raw`SELECT * FROM ws_default.deal t WHERE t.stage IN ('proposal', 'negotiation') AND t.amount >= 500000
          AND t.amount <= ${cursor[0]} AND (t.amount < ${cursor[0]} OR (t.amount = ${cursor[0]} AND t.id < ${cursor[1]}))
          ORDER BY t.amount DESC, t.id DESC LIMIT 51`
      : await raw`SELECT * FROM ws_default.deal t WHERE t.stage IN ('proposal', 'negotiation') AND t.amount >= 500000
          ORDER BY t.amount DESC, t.id DESC LIMIT 51`;
    const last = rows[Math.min(49, rows.length - 1)];
    return [String(last.amount), String(last.id)] as [string, string];
  };
  const serviceCall = async (cursor: string | undefined) =>
    (await workspace.records.list('deal', SYSTEM_ACTOR, { filter, sort, limit: 50, cursor })).nextCursor ??
    undefined;
  const http = httpClient(url, 1, token);
  const httpCall = async (cursor: string | undefined) => {
    const query = new URLSearchParams({
      filter: JSON.stringify(filter),
      sort,
      limit: '50',
      ...(cursor ? { cursor } : {}),
    });
    const response = await http('GET', `/api/modules/deal/records?${query}`);
    return (JSON.parse(response.body) as { nextCursor: string | null }).nextCursor ?? undefined;
  };
  const walk = async <C>(step: (cursor: C | undefined) => Promise<C | undefined>) => {
    let cursor: C | undefined;
    return runConcurrent(PAGES, 1, async (i) => {
      if (i % 50 === 0) cursor = undefined;
      cursor = await step(cursor);
    });
  };
  await walk(handSql);
  await walk(serviceCall);
  await walk(httpCall);
  const base = await walk(handSql);
  const service = await walk(serviceCall);
  const overHttp = await walk(httpCall);
  const line = (name: string, r: { p50: number; p95: number }) =>
    console.log(
      `${name.padEnd(22)} p50 ${fmt(r.p50, 2)} ms, p95 ${fmt(r.p95, 2)} ms → ratio p50 ${fmt(r.p50 / base.p50, 2)}, p95 ${fmt(r.p95 / base.p95, 2)}`,
    );
  line('hand-written SQL', base);
  line('record service', service);
  line('HTTP API', overHttp);
}

async function benchAddField(raw: postgres.Sql, workspace: Awaited<ReturnType<Engine['workspace']>>) {
  console.log('\n## Add a field to the module with its records');
  const node = async () => (await raw`SELECT pg_relation_filenode('ws_default.deal') AS n`)[0].n;
  const before = await node();
  const definition = {
    ...BENCH_MODULE,
    fields: [
      ...BENCH_MODULE.fields,
      { id: 'b_region', name: 'region', type: 'text', label: { en: 'Region' } },
    ],
  };
  await workspace.definitions.saveDraft(definition);
  const t0 = performance.now();
  const result = await workspace.definitions.publish(['deal']);
  const ms = performance.now() - t0;
  const after = await node();
  console.log(
    `publish (${result.steps.map((s) => s.kind).join(', ')}) took ${fmt(ms)} ms; table file node ${before} → ${after}: ` +
      (before === after ? 'not rewritten' : 'REWRITTEN'),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
