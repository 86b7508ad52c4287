// Time from navigation to an interactive record form for a module with 100 fields, in headless Chromium:
// the runtime app (`/m/<module>/new`: router, session, menu, schema and definition fetched from the real
// server, custom widgets, conditions) against a baseline page that renders the same record JSON Schema
// with plain rjsf (antd theme, its own widgets) and nothing around it. Prints both and the ratio.
//
// Run: npx tsx test/bench/web-form.ts   (BENCH_FORM_ROUNDS=15 to change the number of loads)
// "Interactive": the last field's editor is in the page and enabled, measured inside the page as
// performance.now() (milliseconds since the navigation started).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { Engine, type JsonSchema, openPglite } from '@crm/engine';
import { createApp, serve } from '@crm/runtime';
import type { Page } from 'playwright-core';
import { buildWebApps } from '../../scripts/build-web.ts';
import { launchChromium } from '../support/browser.ts';
import { FAST_PASSWORD_HASHING } from '../support/engines.ts';
import { percentile } from './stats.ts';

const ROUNDS = Number(process.env.BENCH_FORM_ROUNDS ?? 15);
const root = join(import.meta.dirname, '..', '..');
const ADMIN = { username: 'bench', password: 'Bench-passw0rd' };

const TYPES = [
  'text',
  'integer',
  'decimal',
  'money',
  'select',
  'date',
  'boolean',
  'email',
  'longText',
  'percent',
];

/** 100 fields of the usual types, ten of each, in five sections. */
function benchModule() {
  const fields = Array.from({ length: 100 }, (_, i) => {
    const type = TYPES[i % TYPES.length];
    const field: Record<string, unknown> = {
      id: `wf_${i}`,
      name: `f${i + 1}`,
      type,
      label: { en: `Field ${i + 1}` },
    };
    if (type === 'select')
      field.options = ['a', 'b', 'c'].map((value) => ({ value, label: { en: value.toUpperCase() } }));
    if (type === 'decimal') field.scale = 2;
    return field;
  });
  return {
    id: 'mod_bench_form',
    name: 'wide',
    label: { en: 'Wide' },
    fields,
    layout: {
      sections: Array.from({ length: 5 }, (_, s) => ({
        id: `s${s}`,
        label: { en: `Section ${s + 1}` },
        columns: 2,
        fields: fields.slice(s * 20, s * 20 + 20).map((f) => String(f.name)),
      })),
    },
  };
}

/** Builds the baseline page (packages/ui/bench/form-baseline) with the runtime app's Vite. */
async function buildBaseline(outDir: string): Promise<void> {
  const require = createRequire(join(root, 'runtime', 'web', 'package.json'));
  // vite is the runtime app's dependency, not the tests': loaded from there, typed as much as used here
  const vite = (await import(require.resolve('vite'))) as { build(config: object): Promise<unknown> };
  const react = ((await import(require.resolve('@vitejs/plugin-react'))) as { default: () => unknown })
    .default;
  await vite.build({
    configFile: false,
    logLevel: 'warn',
    root: join(root, 'packages', 'ui', 'bench', 'form-baseline'),
    plugins: [react()],
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 4000 },
  });
}

const TYPES_BY_EXT: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
};

/** Serves the built baseline with the form's schema put into the page. */
function serveBaseline(dir: string, form: { jsonSchema: JsonSchema; order: string[] }): Promise<Server> {
  const server = createServer((req, res) => {
    const path = req.url === '/' || !req.url ? '/index.html' : req.url.split('?')[0];
    try {
      let body: Buffer | string = readFileSync(join(dir, path));
      if (path === '/index.html') {
        const data = JSON.stringify(form).replace(/</g, '\\u003c');
        body = body.toString().replace('<head>', `<head><script>window.__FORM__=${data}</script>`);
      }
      res.writeHead(200, { 'content-type': TYPES_BY_EXT[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Loads `url` and returns the page's own time at which the last field's editor was there and enabled. */
async function timeToInteractive(page: Page, url: string, last: string): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(
    (id) => {
      const element = document.getElementById(id) as HTMLInputElement | null;
      return element && !element.disabled ? performance.now() : null;
    },
    last,
    { polling: 'raf', timeout: 60_000 },
  );
  return (await handle.jsonValue()) as number;
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), min: sorted[0] };
}

async function main() {
  const built = buildWebApps();
  if (built.length > 0) console.log(`built ${built.join(', ')}`);
  const baselineDir = mkdtempSync(join(tmpdir(), 'crm-form-baseline-'));
  await buildBaseline(baselineDir);

  const engine = await Engine.open({
    db: await openPglite(),
    identity: { passwordHashing: FAST_PASSWORD_HASHING },
  });
  const workspace = await engine.workspace('default');
  await workspace.definitions.saveDraft(benchModule());
  await workspace.definitions.publish();
  await workspace.identity.users.create({ ...ADMIN, displayName: 'Bench', isAdmin: true });
  const app = await serve(createApp({ engine, workspace }), 0, '127.0.0.1');
  const module = workspace.catalog.byName('wide');
  const jsonSchema = module.jsonSchema('en');
  const { $schema: _draft, ...schema } = jsonSchema;
  const baseline = await serveBaseline(baselineDir, {
    jsonSchema: schema,
    order: module.uiSchema('en')['ui:order'] as string[],
  });
  const baselineUrl = `http://127.0.0.1:${(baseline.address() as { port: number }).port}/`;

  const chromium = await launchChromium();
  try {
    const context = await chromium.browser.newContext({
      baseURL: app.url,
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    await page.goto('/login');
    await page.locator('input#username').fill(ADMIN.username);
    await page.locator('input#password').fill(ADMIN.password);
    await page.locator('button[type=submit]').click();
    await page.getByTestId('app-menu').waitFor();

    const appTimes: number[] = [];
    const baselineTimes: number[] = [];
    // one of each first to warm the HTTP cache, then alternate so both see the same machine load
    await timeToInteractive(page, '/m/wide/new', 'root_f100');
    await timeToInteractive(page, baselineUrl, 'root_f100');
    for (let i = 0; i < ROUNDS; i++) {
      appTimes.push(await timeToInteractive(page, '/m/wide/new', 'root_f100'));
      baselineTimes.push(await timeToInteractive(page, baselineUrl, 'root_f100'));
    }
    const a = summary(appTimes);
    const b = summary(baselineTimes);
    const ms = (n: number) => `${n.toFixed(0)} ms`;
    console.log(`navigation → interactive form, 100 fields, ${ROUNDS} loads each (headless Chromium)`);
    console.log(`  runtime app /m/wide/new   p50 ${ms(a.p50)}  p95 ${ms(a.p95)}  min ${ms(a.min)}`);
    console.log(`  plain rjsf baseline       p50 ${ms(b.p50)}  p95 ${ms(b.p95)}  min ${ms(b.min)}`);
    console.log(`  ratio (p50)               ${(a.p50 / b.p50).toFixed(2)}×`);
  } finally {
    await chromium.close();
    baseline.close();
    await app.close();
    await engine.close();
    rmSync(baselineDir, { recursive: true, force: true });
  }
}

await main();
