// Time from navigation to a rendered list of 50 records in headless Chromium: the runtime app (login
// already done, bundle cached as a returning user has it) vs a baseline page that fetches the same
// 50 records from the same API and writes them into a bare <table>, no framework around it.
// Run: pnpm bench:web-list  (env BENCH_WEB_RUNS=20 to change the number of navigations)
import { join } from 'node:path';
import { importConfiguration } from '@crm/cli';
import { Engine, openPostgres, SYSTEM_ACTOR } from '@crm/engine';
import { type ApiEnv, createApp, serve } from '@crm/runtime';
import { Hono } from 'hono';
import postgres from 'postgres';
import { buildWebApps } from '../../scripts/build-web.ts';
import { launchChromium } from '../support/browser.ts';
import { startCluster } from '../support/postgres-server.ts';
import { fmt, percentile } from './stats.ts';

const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 15);
const RECORDS = 300;
const USER = { username: 'bench', password: 'Bench-passw0rd' };

/** The same 50 rows, same API, same columns as the app's default list view, rendered by hand. */
const BASELINE = `<!doctype html><html><head><meta charset="utf-8"><title>baseline</title></head><body>
<table id="list"><thead><tr><th>Customer name</th><th>Type</th><th>Industry</th><th>Relationship</th>
<th>Value</th><th>Province</th></tr></thead><tbody></tbody></table>
<script>
fetch('/api/modules/customer/records?limit=50&count=true&sort=-created_at&fields=name,customer_type,industry,relationship,value_class,province')
  .then((r) => r.json())
  .then((page) => {
    const body = document.querySelector('#list tbody');
    for (const r of page.data) {
      const tr = document.createElement('tr');
      for (const k of ['name', 'customer_type', 'industry', 'relationship', 'value_class', 'province']) {
        const td = document.createElement('td');
        td.textContent = r[k] ?? '';
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
    document.body.dataset.done = '1';
  });
</script></body></html>`;

async function main() {
  buildWebApps();
  const cluster = await startCluster();
  const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
  await admin.unsafe('CREATE DATABASE bench_web');
  await admin.end();
  const engine = await Engine.open({
    db: await openPostgres(cluster.url.replace(/\/postgres$/, '/bench_web')),
  });
  const launched = await launchChromium();
  try {
    const workspace = await engine.workspace('default');
    // the browser tests' fixture package (the list's columns are its customer module's)
    await importConfiguration(workspace, join(import.meta.dirname, '..', 'fixtures', 'web-demo'), {
      seed: true,
    });
    for (let i = 0; i < RECORDS; i++) {
      await workspace.records.create(
        'customer',
        { name: `Bench customer ${i}`, customer_type: 'enterprise', industry: 'it', province: '浙江' },
        SYSTEM_ACTOR,
      );
    }
    await workspace.identity.users.create({ ...USER, displayName: 'Bench', isAdmin: true });
    const outer = new Hono<ApiEnv>();
    outer.get('/bench-baseline', (c) => c.html(BASELINE));
    outer.route('/', createApp({ engine, workspace }));
    const server = await serve(outer, 0, '127.0.0.1');
    const context = await launched.browser.newContext({
      baseURL: server.url,
      viewport: { width: 1280, height: 900 },
    });
    const login = await context.newPage();
    await login.goto('/login');
    await login.locator('input#username').fill(USER.username);
    await login.locator('input#password').fill(USER.password);
    await login.locator('button[type=submit]').click();
    await login.getByTestId('app-menu').waitFor();
    await login.close();

    const measure = async (path: string, ready: string) => {
      const times: number[] = [];
      for (let i = 0; i < RUNS + 2; i++) {
        const page = await context.newPage();
        const t0 = performance.now();
        await page.goto(path);
        await page.locator(ready).nth(49).waitFor();
        const took = performance.now() - t0;
        if (i >= 2) times.push(took); // the first two warm the caches
        await page.close();
      }
      return times.sort((a, b) => a - b);
    };
    const app = await measure('/m/customer', '[data-testid=record-table] tbody tr.ant-table-row');
    const baseline = await measure('/bench-baseline', '#list tbody tr');
    const line = (name: string, t: number[]) =>
      `${name.padEnd(28)} p50 ${fmt(percentile(t, 50)).padStart(7)} ms   p90 ${fmt(percentile(t, 90)).padStart(7)} ms`;
    console.log(`navigation → 50 rendered rows, ${RUNS} runs each (${RECORDS + 12} customers)`);
    console.log(line('runtime app (/m/customer)', app));
    console.log(line('baseline page (bare table)', baseline));
    console.log(`app / baseline (p50): ${fmt(percentile(app, 50) / percentile(baseline, 50), 2)}×`);
    await context.close();
    await server.close();
  } finally {
    await launched.close();
    await engine.close();
    cluster.stop();
  }
}

await main();
