// `crm codegen`: TypeScript types of the published modules and a typed client, compiled with tsc
// (a program that uses them right compiles, one with type errors does not) and run against the API;
// then the real command, with plugins from crm.config.json (a broken one left out).
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generateClient } from '@crm/cli';
import { afterAll, expect, it } from 'vitest';
import { apiClient, testAdmin } from '../../support/api.ts';
import { customerModule } from '../../support/api-fixtures.ts';
import { forEachDatabase } from '../../support/engines.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CRM = join(ROOT, 'packages/cli/bin/crm.mjs');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const run = promisify(execFile);

async function exec(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [file, ...args], options);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const folders: string[] = [];
afterAll(async () => {
  for (const dir of folders) await rm(dir, { recursive: true, force: true });
});
async function tempFolder(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2023',
    lib: ['ES2023', 'DOM'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    types: [],
  },
};

const GOOD = `import { createClient, CrmApiError, type Customer } from './client/index.js';
const crm = createClient({ baseUrl: 'http://localhost:3000', token: 'crm_x' });
export async function main(): Promise<string> {
  const created: Customer = await crm.module('customer').create({ name: 'ACME', level: 'a', employees: 12 });
  const page = await crm.module('customer').list({ sort: '-employees', fields: ['name', 'level'], limit: 10 });
  const level: 'a' | 'b' | null | undefined = page.data[0]?.level;
  await crm.module('customer').update(created.id, { credit: { amount: 10, currency: 'CNY' } }, created.version);
  try {
    await crm.module('customer').delete(created.id);
  } catch (error) {
    if (error instanceof CrmApiError) return error.problem.errors.map((e) => e.pointer).join();
  }
  return String(level);
}
`;

const BAD = `import { createClient } from './client/index.js';
const crm = createClient({ baseUrl: 'http://localhost:3000' });
export async function wrong() {
  await crm.module('customer').create({ name: 42 });
  await crm.module('customer').create({ level: 'a' });
  await crm.module('customer').update('id', { level: 'z' });
  await crm.module('no_such_module').list();
  const page = await crm.module('customer').list({ fields: ['nope'] });
  return page;
}
`;

forEachDatabase('crm codegen', (handle) => {
  it('writes types and a client that tsc accepts used right and refuses used wrong', async () => {
    const api = apiClient(handle());
    expect((await api.post('/api/meta/modules', customerModule)).status).toBe(201);
    expect((await api.post('/api/meta/publish', {})).status).toBe(200);
    const dir = await tempFolder('crm-codegen-');
    const files = await generateClient(handle().workspace, join(dir, 'client'));
    expect(files.map((f) => f.slice(dir.length))).toEqual([
      '/client/types.ts',
      '/client/client.ts',
      '/client/index.ts',
    ]);
    const types = await readFile(join(dir, 'client/types.ts'), 'utf8');
    expect(types).toContain('export interface Customer {');
    expect(types).toContain('export interface CustomerInput {');
    expect(types).toMatch(/level\?: "a" \| "b" \| null;/);

    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    await writeFile(join(dir, 'good.ts'), GOOD);
    await writeFile(join(dir, 'bad.ts'), BAD);
    const result = await exec(TSC, ['-p', dir, '--pretty', 'false'], { cwd: dir });
    const errors = result.stdout.split('\n').filter((line) => line.includes('error TS'));
    expect(errors.filter((line) => !line.startsWith('bad.ts'))).toEqual([]);
    // each wrong use is an error of its own line
    expect(new Set(errors.map((line) => /^bad\.ts\((\d+),/.exec(line)?.[1]))).toEqual(
      new Set(['4', '5', '6', '7', '8']),
    );
    expect(result.code).not.toBe(0);
  }, 180_000); // a tsc run over the generated files

  it('talks to the API: typed records back, problems as CrmApiError', async () => {
    const api = apiClient(handle());
    const dir = await tempFolder('crm-codegen-run-');
    await generateClient(handle().workspace, dir);
    const { createClient, CrmApiError } = await import(join(dir, 'client.ts'));
    const { token } = await testAdmin(handle());
    const crm = createClient({
      baseUrl: 'http://crm.test',
      token,
      fetch: (url: string, init: RequestInit) => api.app.request(url.slice('http://crm.test'.length), init),
    });
    const customers = crm.module('customer');
    const created = await customers.create({ name: 'Typed Co', employees: 5 });
    expect(created).toMatchObject({ name: 'Typed Co', employees: 5, version: 1 });
    const changed = await customers.update(created.id, { employees: 6 }, 1);
    expect(changed.version).toBe(2);
    const page = await customers.list({
      filter: { field: 'name', op: 'eq', value: 'Typed Co' },
      count: true,
    });
    expect(page.total).toBe(1);
    const stale = await customers.update(created.id, { employees: 7 }, 1).catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(CrmApiError);
    expect(stale).toMatchObject({ status: 409 });
    const invalid = await customers.create({ name: 'X', employees: -1 }).catch((error: unknown) => error);
    expect(invalid).toMatchObject({ status: 422, problem: { errors: [{ pointer: '/employees' }] } });
    await customers.delete(created.id);
    await expect(customers.get(created.id)).rejects.toMatchObject({ status: 404 });
  });
});

it('crm codegen loads the plugins of crm.config.json, leaving out one that fails to load', async () => {
  const cwd = await tempFolder('crm-project-');
  const dataDir = join(cwd, 'data');
  const plugin = join(ROOT, 'examples/plugin-uscc/src/index.ts');
  await writeFile(join(cwd, 'crm.config.json'), JSON.stringify({ plugins: [plugin, './missing-plugin.ts'] }));
  const pkg = join(cwd, 'pkg');
  await mkdir(join(pkg, 'modules'), { recursive: true });
  await writeFile(
    join(pkg, 'crm-package.json'),
    JSON.stringify({ format: 1, name: 'firms', version: '1.0.0', label: { en: 'Firms', 'zh-CN': '企业' } }),
  );
  await writeFile(
    join(pkg, 'modules/firm.json'),
    JSON.stringify({
      id: 'mod_firm',
      name: 'firm',
      label: { en: 'Firm', 'zh-CN': '企业' },
      fields: [
        {
          id: 'f_title',
          name: 'title',
          type: 'text',
          label: { en: 'Title', 'zh-CN': '名称' },
          required: true,
        },
        {
          id: 'f_credit_code',
          name: 'credit_code',
          type: 'uscc',
          label: { en: 'Credit code', 'zh-CN': '统一社会信用代码' },
        },
      ],
    }),
  );
  const env = { ...process.env, CRM_DATA_DIR: dataDir, DATABASE_URL: '', LANG: 'en_US.UTF-8' };
  const imported = await exec(CRM, ['import', pkg], { cwd, env });
  expect(imported.stderr).toContain('plugin ./missing-plugin.ts:');
  expect(imported.stderr).toContain('(started without it)');
  expect(imported.code).toBe(0);
  const generated = await exec(CRM, ['codegen', '--out', 'client'], { cwd, env });
  expect(generated.code).toBe(0);
  expect(generated.stdout).toContain(`Wrote 3 files to ${join(cwd, 'client')}.`);
  const types = await readFile(join(cwd, 'client/types.ts'), 'utf8');
  expect(types).toMatch(/export interface Firm \{[^}]*credit_code\?: string \| null;/);
}, 180_000);
