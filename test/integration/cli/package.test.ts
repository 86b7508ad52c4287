// `crm export` / `crm import` through a folder on disk: the functions on both databases, then the
// real command in a child process (embedded PGlite in a temporary data folder).
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { exportConfiguration, importConfiguration, readPackageFolder } from '@crm/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachDatabase, openTestEngine } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { buildConfiguration } from '../packages/package-fixtures.ts';

const CRM = fileURLToPath(new URL('../../../packages/cli/bin/crm.mjs', import.meta.url));
const run = promisify(execFile);

/** Runs the `crm` command; resolves with its output and exit code whether it fails or not. */
async function crm(args: string[], dataDir: string) {
  const env = { ...process.env, CRM_DATA_DIR: dataDir, DATABASE_URL: '', LANG: 'en_US.UTF-8' };
  try {
    const { stdout, stderr } = await run(process.execPath, [CRM, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const folders: string[] = [];
async function tempFolder(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of folders) await rm(dir, { recursive: true, force: true });
});

forEachDatabase('crm export and import through a folder', (handle) => {
  let target: Awaited<ReturnType<typeof openTestEngine>>;
  beforeAll(async () => {
    await buildConfiguration(handle().workspace);
    target = await openTestEngine(handle().kind, 'cli-package-target');
  });
  afterAll(async () => {
    await target?.close();
  });

  it('round-trips a package through folders byte for byte', async () => {
    const first = await tempFolder('crm-package-');
    await exportConfiguration(handle().workspace, first, { name: 'folder-app', version: '1.2.3' });
    expect(await readFile(join(first, 'crm-package.json'), 'utf8')).toContain('"version": "1.2.3"');

    const dry = await importConfiguration(target.workspace, first, { dryRun: true });
    expect(dry.imported).toBeUndefined();
    expect(dry.preview.summary.added).toBe(3);
    expect(await target.workspace.definitions.list()).toEqual([]);

    const done = await importConfiguration(target.workspace, first);
    expect(done.imported?.summary.added).toBe(3);

    const second = await tempFolder('crm-package-');
    await writeFile(join(second, 'README.md'), 'kept\n');
    await exportConfiguration(target.workspace, second);
    await exportConfiguration(target.workspace, second); // an export over an export
    expect(await readPackageFolder(second)).toEqual(await readPackageFolder(first));
    expect(await readFile(join(second, 'README.md'), 'utf8')).toBe('kept\n');
  });

  it('removes the file of a renamed module when exporting over an earlier export', async () => {
    const dir = await tempFolder('crm-package-');
    await exportConfiguration(target.workspace, dir);
    const contact = JSON.parse(await readFile(join(dir, 'modules', 'contact.json'), 'utf8'));
    contact.name = 'person';
    await rm(join(dir, 'modules', 'contact.json'));
    await writeFile(join(dir, 'modules', 'person.json'), JSON.stringify(contact));
    const result = await importConfiguration(target.workspace, dir);
    expect(result.preview.items.find((i) => i.id === 'mod_pkg_contact')?.changes[0].description.en).toBe(
      'Rename module contact to person',
    );
    // a flow file no process has any more goes too
    await mkdir(join(dir, 'flows'), { recursive: true });
    await writeFile(join(dir, 'flows', 'gone.bpmn'), '<definitions/>');
    await exportConfiguration(target.workspace, dir);
    expect(Object.keys(await readPackageFolder(dir))).toEqual([
      'crm-package.json',
      'modules/account.json',
      'modules/person.json',
      'roles/rep.json',
    ]);
  });

  it('refuses a package with problems before importing any of it', async () => {
    const dir = await tempFolder('crm-package-');
    await exportConfiguration(target.workspace, dir);
    await writeFile(join(dir, 'roles', 'rep.json'), '{ "id": "rep", "label": {} ');
    const error = await engineError(importConfiguration(target.workspace, dir));
    expect(error.problems.map((p) => p.pointer)).toEqual(['/roles~1rep.json']);
  });
});

describe('the crm command', () => {
  it('exports, previews, imports and refuses packages', async () => {
    const target = await tempFolder('crm-data-');
    const demo = await tempFolder('crm-demo-');
    const copy = await tempFolder('crm-copy-');
    const engine = await openTestEngine('pglite', 'cli-command-source');
    try {
      await buildConfiguration(engine.workspace);
      await exportConfiguration(engine.workspace, demo, { name: 'cli-app', version: '0.1.0' });
    } finally {
      await engine.close();
    }

    const dryRun = await crm(['import', demo, '--dry-run'], target);
    expect(dryRun.stderr).toBe('');
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain('Package cli-app 0.1.0 (installed now: none)');
    expect(dryRun.stdout).toContain('modules/contact.json (contact): added v0 → v1');
    expect(dryRun.stdout).toContain('Migration plan');
    expect(dryRun.stdout).toContain('Dry run: nothing was imported.');

    const imported = await crm(['import', demo], target);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('Imported cli-app 0.1.0.');

    const exported = await crm(['export', copy], target);
    expect(exported.code).toBe(0);
    expect(await readPackageFolder(copy)).toEqual(await readPackageFolder(demo));
    const account = JSON.parse(await readFile(join(copy, 'modules', 'account.json'), 'utf8'));
    account.fields[0].type = 'nonsense';
    await writeFile(join(copy, 'modules', 'account.json'), JSON.stringify(account, null, 2));
    const refused = await crm(['import', copy], target);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('modules/account.json /fields/0/type: must be one of:');
    expect(refused.stderr).toContain('nothing was imported');
  }, 240_000); // four runs of the command, each opening embedded PostgreSQL from its files
});
