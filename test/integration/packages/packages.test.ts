// App packages: export → import into an empty database → export gives the same bytes; a second
// import changes nothing; a changed package previews exactly its changes; a broken one imports nothing.
import { MANIFEST_FILE, type PackageFiles, SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bpmn, flows, userTask } from '../../support/bpmn.ts';
import { forEachDatabase, openTestEngine } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { schemaSteps } from '../../support/plan.ts';
import { rawRows } from '../../support/sql.ts';
import { buildConfiguration, fieldsOf, type Json, withJson } from './package-fixtures.ts';

forEachDatabase('app packages', (handle) => {
  let source: Workspace;
  let target: Awaited<ReturnType<typeof openTestEngine>>;
  let exported: PackageFiles;

  beforeAll(async () => {
    source = handle().workspace;
    await buildConfiguration(source);
    target = await openTestEngine(handle().kind, 'package-target');
  });
  afterAll(async () => {
    await target?.close();
  });

  /** Each module's published version in `workspace`, by name. */
  async function versions(workspace: Workspace): Promise<Record<string, number | null>> {
    return Object.fromEntries((await workspace.definitions.list()).map((m) => [m.name, m.publishedVersion]));
  }

  it('exports canonical files: manifest, one file per module and per role', async () => {
    exported = await source.packages.export({ name: 'sales-app', version: '2.1.0' });
    expect(Object.keys(exported)).toEqual([
      MANIFEST_FILE,
      'modules/account.json',
      'modules/contact.json',
      'roles/rep.json',
    ]);
    expect(JSON.parse(exported[MANIFEST_FILE])).toEqual({
      format: 1,
      name: 'sales-app',
      version: '2.1.0',
      label: { en: 'Workspace default', 'zh-CN': '工作区 default' },
    });
    const account = exported['modules/account.json'];
    expect(account.endsWith('}\n')).toBe(true);
    expect(account.startsWith('{\n  "id": "mod_pkg_account",\n  "name": "account",\n  "label"')).toBe(true);
    expect(JSON.parse(exported['roles/rep.json']).modules.mod_pkg_account.fields).toEqual({ budget: 'read' });
    // nothing that changes between two exports of the same configuration
    expect(await source.packages.export({ name: 'sales-app', version: '2.1.0' })).toEqual(exported);
  });

  it('imports into an empty database, and exports the very same bytes from there', async () => {
    const preview = await target.workspace.packages.preview(exported);
    expect(preview.problems).toEqual([]);
    expect(preview.installed).toBeNull();
    expect(preview.summary).toEqual({ added: 3, changed: 0, unchanged: 0 });
    expect(preview.items.map((i) => [i.file, i.status, i.fromVersion, i.toVersion])).toEqual([
      ['modules/account.json', 'added', null, 1],
      ['modules/contact.json', 'added', null, 1],
      ['roles/rep.json', 'added', undefined, undefined],
    ]);
    expect(preview.steps.map((s) => s.kind)).toContain('addForeignKey');
    expect(await versions(target.workspace)).toEqual({}); // the preview changed nothing

    const result = await target.workspace.packages.import(exported, SYSTEM_ACTOR);
    expect(result.imported).toBe(true);
    expect(await versions(target.workspace)).toEqual({ account: 1, contact: 1 });
    expect(await target.workspace.packages.export()).toEqual(exported);

    // the relations work both ways in the imported workspace
    const account = await target.workspace.records.create('account', { name: 'ACME' }, SYSTEM_ACTOR);
    const contact = await target.workspace.records.create(
      'contact',
      { name: 'Li Lei', phone: '123', account: account.id },
      SYSTEM_ACTOR,
    );
    const updated = await target.workspace.records.update(
      'account',
      account.id,
      { main_contact: contact.id },
      SYSTEM_ACTOR,
    );
    expect(updated.main_contact).toBe(contact.id);
  });

  it('changes nothing when the same package is imported again', async () => {
    const before = await versions(target.workspace);
    const role = await target.workspace.access.roles.get('rep');
    const logged = await rawRows(target.engine, `SELECT count(*)::int AS n FROM ws_default._operation_log`);
    const result = await target.workspace.packages.import(exported, SYSTEM_ACTOR);
    expect(result.summary).toEqual({ added: 0, changed: 0, unchanged: 3 });
    expect(result.steps).toEqual([]);
    expect(result.items.every((i) => i.changes.length === 0)).toBe(true);
    expect(await versions(target.workspace)).toEqual(before);
    expect((await target.workspace.access.roles.get('rep')).updatedAt).toBe(role.updatedAt);
    expect(await rawRows(target.engine, `SELECT count(*)::int AS n FROM ws_default._operation_log`)).toEqual(
      logged,
    );
  });

  it('previews exactly what a changed package changes, by stable id, and imports just that', async () => {
    let changed = withJson(exported, 'modules/contact.json', (contact) => {
      const fields = fieldsOf(contact);
      fields[2].name = 'mobile'; // rename (same id)
      fields[2].type = 'longText';
      fields[2].maxLength = 40;
      fields.push({
        id: 'fld_con_email',
        name: 'email',
        type: 'email',
        label: { en: 'Email', 'zh-CN': '邮箱' },
      });
      (contact.rules as Json[])[0].expression = 'mobile != null or email != null';
    });
    // the module is renamed: its file is now customer.json, its id the same
    const account = JSON.parse(changed['modules/account.json']) as Json;
    account.name = 'customer';
    account.fields = fieldsOf(account).filter((f) => f.name !== 'note');
    (account.layout as { sections: Json[] }).sections = [
      {
        id: 'main',
        label: { en: 'Main', 'zh-CN': '基本' },
        columns: 2,
        fields: ['name', 'budget', 'main_contact'],
      },
    ];
    const { 'modules/account.json': _gone, ...rest } = changed;
    changed = { ...rest, 'modules/customer.json': `${JSON.stringify(account, null, 2)}\n` };
    changed = withJson(changed, 'roles/rep.json', (role) => {
      const modules = role.modules as Record<string, Json>;
      modules.mod_pkg_account.read = 'own';
      modules.mod_pkg_account.fields = { budget: 'none' };
      modules.mod_pkg_contact.fields = { mobile: 'read' };
    });

    // an admin's unpublished draft of a module the package changes: the package's definition replaces it
    const published = (await target.workspace.definitions.get('contact')).published;
    await target.workspace.definitions.saveDraft({ ...published, label: { en: 'Draft label' } });

    const preview = await target.workspace.packages.preview(changed);
    expect(preview.problems).toEqual([]);
    expect(preview.summary).toEqual({ added: 0, changed: 3, unchanged: 0 });
    expect(preview.items.map((i) => [i.file, i.replacesDraft ?? false])).toEqual([
      ['modules/contact.json', true],
      ['modules/customer.json', false],
      ['roles/rep.json', false],
    ]);
    const byFile = Object.fromEntries(preview.items.map((i) => [i.file, i]));
    const describe = (file: string) => byFile[file].changes.map((c) => c.description.en);
    expect(byFile['modules/customer.json']).toMatchObject({
      id: 'mod_pkg_account',
      fromVersion: 1,
      toVersion: 2,
    });
    expect(describe('modules/customer.json')).toEqual([
      'Rename module account to customer',
      'Remove field note (its data is archived, not deleted)',
      'Remove layout section more',
    ]);
    expect(describe('modules/contact.json')).toEqual([
      'Add field email (email)',
      'Rename field phone to mobile',
      'Change the type of field mobile from text to longText',
      'Change field mobile: maxLength',
      'Change rule rule_con_reach: phone != null → mobile != null or email != null',
    ]);
    expect(describe('roles/rep.json')).toEqual([
      'customer: read all → own',
      'customer.budget: field right read → none',
      'contact.mobile: field right default → read',
    ]);
    expect(
      schemaSteps(preview.steps)
        .map((s) => `${s.kind} ${s.module}${s.field ? `.${s.field}` : ''}`)
        .sort(),
    ).toEqual([
      'addColumn contact.email',
      'archiveColumn customer.note',
      'renameColumn contact.mobile',
      'renameTable customer',
    ]);
    expect(await versions(target.workspace)).toEqual({ account: 1, contact: 1 });

    await target.workspace.packages.import(changed, SYSTEM_ACTOR);
    expect(await versions(target.workspace)).toEqual({ customer: 2, contact: 2 });
    expect((await target.workspace.definitions.get('contact')).draft).toBeNull();
    const logged = await rawRows(
      target.engine,
      `SELECT details FROM ws_default._operation_log WHERE action = 'package.import' ORDER BY id`,
    );
    expect(logged.map((r) => r.details)).toEqual([
      { package: 'sales-app', version: '2.1.0', added: 3, changed: 0, unchanged: 0 },
      { package: 'sales-app', version: '2.1.0', added: 0, changed: 3, unchanged: 0 },
    ]);
    const record = await target.workspace.records.list('customer', SYSTEM_ACTOR, {});
    expect(record.data.map((r) => r.name)).toEqual(['ACME']); // a rename kept the table and its rows
    expect(await target.workspace.packages.export({ name: 'sales-app', version: '2.1.0' })).toEqual(changed);
  });

  it('refuses a broken file naming the file and the pointer, and imports nothing of the package', async () => {
    const before = await versions(target.workspace);
    const current = await target.workspace.packages.export();
    let broken = withJson(current, 'modules/contact.json', (contact) => {
      fieldsOf(contact)[0].type = 'no-such-type';
    });
    broken = withJson(broken, 'roles/rep.json', (role) => {
      (role.label as Json).en = 'Changed';
    });
    broken['roles/new_role.json'] =
      `${JSON.stringify({ id: 'new_role', label: { en: 'New' }, modules: {} })}\n`;
    const error = await engineError(target.workspace.packages.import(broken, SYSTEM_ACTOR));
    expect(error.problems.map((p) => [p.pointer, p.code])).toEqual([
      ['/modules~1contact.json/fields/0/type', 'enum'],
    ]);
    await expect(target.workspace.access.roles.get('new_role')).rejects.toThrow(/not found/);
    expect((await target.workspace.access.roles.get('rep')).definition.label.en).toBe('Sales rep');
    expect(await versions(target.workspace)).toEqual(before);

    const badJson = { ...current, 'modules/contact.json': '{ "id": "mod_pkg_contact", ' };
    const jsonError = await engineError(target.workspace.packages.preview(badJson));
    expect(jsonError.problems[0]).toMatchObject({
      pointer: '/modules~1contact.json',
      code: 'malformed-json',
    });
    expect(jsonError.problems[0].messages?.['zh-CN']).toMatch(/不是有效的 JSON/);
  });

  it('names the file and pointer of problems the publish and the role check find, and publishes nothing', async () => {
    const before = await versions(target.workspace);
    let broken = withJson(await target.workspace.packages.export(), 'modules/contact.json', (contact) => {
      fieldsOf(contact).push({ id: 'fld_con_level', name: 'level', type: 'integer', label: { en: 'Level' } });
      (contact.rules as Json[])[0].expression = 'no_such_field > 1';
    });
    broken = withJson(broken, 'roles/rep.json', (role) => {
      (role.modules as Record<string, Json>).mod_pkg_contact.fields = { nickname: 'read' };
    });
    const preview = await target.workspace.packages.preview(broken);
    expect(preview.problems.map((p) => p.pointer)).toEqual([
      '/modules~1contact.json/rules/0/expression',
      '/roles~1rep.json/modules/mod_pkg_contact/fields/nickname',
    ]);
    const error = await engineError(target.workspace.packages.import(broken, SYSTEM_ACTOR));
    expect(error.kind).toBe('invalid-definition');
    expect(error.problems.map((p) => p.pointer)).toContain('/modules~1contact.json/rules/0/expression');
    expect(await versions(target.workspace)).toEqual(before);

    // a module that publishes fine but a role that refers to a field it lacks: still nothing at all
    const roleOnly = withJson(await target.workspace.packages.export(), 'roles/rep.json', (role) => {
      (role.modules as Record<string, Json>).mod_pkg_contact.fields = { nickname: 'read' };
    });
    const withField = withJson(roleOnly, 'modules/contact.json', (contact) => {
      fieldsOf(contact).push({ id: 'fld_con_level', name: 'level', type: 'integer', label: { en: 'Level' } });
    });
    const roleError = await engineError(target.workspace.packages.import(withField, SYSTEM_ACTOR));
    expect(roleError.problems.map((p) => p.pointer)).toEqual([
      '/roles~1rep.json/modules/mod_pkg_contact/fields/nickname',
    ]);
    expect(await versions(target.workspace)).toEqual(before);
    expect(target.workspace.catalog.byName('contact').fields.map((f) => f.definition.name)).not.toContain(
      'level',
    );
  });

  it('refuses data the publish would break (unique over duplicates) as a whole', async () => {
    const { workspace } = target;
    await workspace.records.create('contact', { name: 'Twin', mobile: '1' }, SYSTEM_ACTOR);
    await workspace.records.create('contact', { name: 'Twin', mobile: '2' }, SYSTEM_ACTOR);
    const before = await versions(workspace);
    const files = withJson(await workspace.packages.export(), 'modules/contact.json', (contact) => {
      fieldsOf(contact)[0].unique = true;
    });
    const preview = await workspace.packages.preview(files);
    expect(preview.problems).toMatchObject([
      { pointer: '/modules~1contact.json/fields/0', code: 'duplicates' },
    ]);
    const error = await engineError(workspace.packages.import(files, SYSTEM_ACTOR));
    expect(error.kind).toBe('migration-refused');
    expect(await versions(workspace)).toEqual(before);
  });

  it('refuses a type change that would lose values unless the import confirms it', async () => {
    const { workspace } = target;
    await workspace.records.create('contact', { name: 'Wang', mobile: 'call me' }, SYSTEM_ACTOR);
    const before = await versions(workspace);
    const files = withJson(await workspace.packages.export(), 'modules/contact.json', (contact) => {
      const mobile = fieldsOf(contact).find((f) => f.name === 'mobile') as Json;
      mobile.type = 'integer';
      delete mobile.maxLength;
    });
    const preview = await workspace.packages.preview(files);
    expect(preview.problems.map((p) => p.pointer)).toEqual(['/modules~1contact.json/fields/2/type']);
    await engineError(workspace.packages.import(files, SYSTEM_ACTOR));
    expect(await versions(workspace)).toEqual(before);

    expect((await workspace.packages.preview(files, { confirmDataLoss: true })).problems).toEqual([]);
    await workspace.packages.import(files, SYSTEM_ACTOR, { confirmDataLoss: true });
    expect(await versions(workspace)).toEqual({ ...before, contact: (before.contact ?? 0) + 1 });
    const wang = await workspace.records.list('contact', SYSTEM_ACTOR, {
      filter: { field: 'name', op: 'eq', value: 'Wang' },
    });
    expect(wang.data[0].mobile ?? null).toBeNull();
  });

  it('carries workflow definitions as BPMN files: deployed on import, a new version only when changed', async () => {
    const diagram = (task: string) =>
      bpmn(
        'discount_approval',
        `<bpmn:startEvent id="start"/>${userTask(task)}<bpmn:endEvent id="end"/>
        ${flows(['f1', 'start', task], ['f2', task, 'end'])}`,
      );
    await source.workflows.deploy(diagram('manager'), SYSTEM_ACTOR);
    const files = await source.packages.export();
    expect(files['flows/discount_approval.bpmn']).toBe(diagram('manager'));

    const empty = await openTestEngine(handle().kind, 'pkg_flows');
    try {
      const preview = await empty.workspace.packages.preview(files);
      expect(preview.problems).toEqual([]);
      await empty.workspace.packages.import(files, SYSTEM_ACTOR);
      expect(await empty.workspace.workflows.latestVersion('discount_approval')).toBe(1);
      // the same package again deploys nothing; a changed diagram is a new version
      await empty.workspace.packages.import(files, SYSTEM_ACTOR);
      expect(await empty.workspace.workflows.latestVersion('discount_approval')).toBe(1);
      expect(await empty.workspace.packages.export()).toEqual(files);
      const changed = { ...files, 'flows/discount_approval.bpmn': diagram('director') };
      await empty.workspace.packages.import(changed, SYSTEM_ACTOR);
      expect(await empty.workspace.workflows.latestVersion('discount_approval')).toBe(2);
      // a diagram the engine cannot run names its file and imports nothing
      const broken = {
        ...files,
        'flows/discount_approval.bpmn': bpmn('discount_approval', '<bpmn:task id="t"/>'),
      };
      const error = await engineError(empty.workspace.packages.import(broken, SYSTEM_ACTOR));
      expect(error.problems[0].pointer).toMatch(/^\/flows~1discount_approval\.bpmn/);
      expect(await empty.workspace.workflows.latestVersion('discount_approval')).toBe(2);
    } finally {
      await empty.close();
    }
  });

  it('refuses kinds it does not know, files out of place, modules without ids and a newer format', async () => {
    const files = await target.workspace.packages.export();
    const error = await engineError(
      target.workspace.packages.preview({
        ...files,
        'reports/pipeline.json': '{}',
        'modules/notes.txt': 'hello',
        'modules/loose.json': JSON.stringify({ name: 'loose', label: { en: 'Loose' }, fields: [] }),
        [MANIFEST_FILE]: JSON.stringify({ format: 9, name: 'x', version: '1.0.0', label: { en: 'X' } }),
      }),
    );
    expect(error.problems.map((p) => [p.pointer, p.code])).toEqual([
      ['/reports~1pipeline.json', 'unknown-kind'],
      ['/crm-package.json/format', 'format'],
      ['/modules~1loose.json/id', 'required'],
      ['/modules~1notes.txt', 'unknown-file'],
    ]);
    expect(error.problems[0].message).toMatch(/kind 'reports'.*modules, roles, flows/);
    const missing = { ...files };
    delete missing[MANIFEST_FILE];
    const noManifest = await engineError(target.workspace.packages.preview(missing));
    expect(noManifest.problems).toMatchObject([{ pointer: '/crm-package.json', code: 'required' }]);
  });
});
