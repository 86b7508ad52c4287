// The package endpoints: admins only, files as { path: text } both ways, problems pointing into them.
import type { PackageFiles, PackageImportResult, PackagePreview } from '@crm/engine';
import { unzipPackage, zipPackage } from '@crm/runtime';
import { beforeAll, expect, it } from 'vitest';
import { apiClient, expectProblem, testAdmin, tokenFor } from '../../support/api.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { schemaSteps } from '../../support/plan.ts';
import { buildConfiguration, fieldsOf, withJson } from './package-fixtures.ts';

forEachDatabase('package API', (handle) => {
  let files: PackageFiles;

  beforeAll(async () => {
    await buildConfiguration(handle().workspace);
  });

  it('gives admins the package files, and no one else', async () => {
    const api = apiClient(handle());
    const response = await api.get<PackageFiles>('/api/package?name=crm-app&version=3.0.0');
    expect(response.status).toBe(200);
    files = response.body;
    expect(Object.keys(files)).toEqual([
      'crm-package.json',
      'modules/account.json',
      'modules/contact.json',
      'roles/rep.json',
    ]);
    expect(JSON.parse(files['crm-package.json'])).toMatchObject({ name: 'crm-app', version: '3.0.0' });
    expectProblem(await api.get('/api/package?name=Not%20A%20Name'), 422, ['/name']);
    expectProblem(await api.get('/api/package?nmae=x'), 400, ['/nmae']);

    const user = await handle().workspace.identity.users.create({
      username: 'clerk',
      password: 'Clerk-passw0rd',
      displayName: 'Clerk',
    });
    const clerk = apiClient(handle(), { auth: { token: await tokenFor(handle(), user.id) } });
    expectProblem(await clerk.get('/api/package'), 403);
    expectProblem(await clerk.post('/api/package/import', files), 403);
  });

  it('previews and imports a changed package, then a second import changes nothing', async () => {
    const api = apiClient(handle());
    const changed = withJson(files, 'modules/contact.json', (contact) => {
      fieldsOf(contact).push({ id: 'fld_con_city', name: 'city', type: 'text', label: { en: 'City' } });
    });
    const preview = await api.post<PackagePreview>('/api/package/preview', changed);
    expect(preview.status).toBe(200);
    expect(preview.body.summary).toEqual({ added: 0, changed: 1, unchanged: 2 });
    expect(preview.body.items[1].changes.map((c) => c.description['zh-CN'])).toEqual([
      '新增字段 city（text）',
    ]);
    expect(schemaSteps(preview.body.steps).map((s) => s.kind)).toEqual(['addColumn']);

    const imported = await api.post<PackageImportResult>('/api/package/import', changed);
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ imported: true, summary: { changed: 1 } });
    const again = await api.post<PackageImportResult>('/api/package/import', changed);
    expect(again.body.summary).toEqual({ added: 0, changed: 0, unchanged: 3 });
    expect((await api.get('/api/package')).body).toEqual(changed);
  });

  it('answers a broken package with a problem per file and pointer, and imports nothing', async () => {
    const api = apiClient(handle());
    const current = (await api.get<PackageFiles>('/api/package')).body;
    const broken = withJson(current, 'modules/contact.json', (contact) => {
      fieldsOf(contact)[1].target = 'mod_nowhere';
    });
    const preview = await api.post<PackagePreview>('/api/package/preview', broken);
    expect(preview.body.problems).toMatchObject([{ pointer: '/modules~1contact.json/fields/1/target' }]);
    expectProblem(await api.post('/api/package/import', broken), 422, [
      '/modules~1contact.json/fields/1/target',
    ]);
    expectProblem(await api.post('/api/package/import', { 'modules/contact.json': 5 }), 422, [
      '/modules~1contact.json',
      '/crm-package.json',
    ]);
    expectProblem(await api.post('/api/package/import', ['not', 'files']), 422, ['']);
    expectProblem(await api.post('/api/package/import?confirmDataLoss=maybe', current), 400, [
      '/confirmDataLoss',
    ]);
    expect((await api.get('/api/package')).body).toEqual(current);
  });

  it('takes packages larger than the body limit of other requests', async () => {
    const api = apiClient(handle(), { bodyLimitBytes: 2048 });
    const current = (await api.get<PackageFiles>('/api/package')).body;
    expect(JSON.stringify(current).length).toBeGreaterThan(2048);
    expect((await api.post('/api/package/preview', current)).status).toBe(200);
    expectProblem(await api.post('/api/meta/publish/preview', { modules: ['x'.repeat(3000)] }), 413);
  });

  it('downloads the package as a zip (the same bytes each time) and takes one back', async () => {
    const api = apiClient(handle());
    const authorization = `Bearer ${(await testAdmin(handle())).token}`;
    const download = () => api.app.request('/api/package?format=zip', { headers: { authorization } });
    const first = await download();
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/zip');
    expect(first.headers.get('content-disposition')).toMatch(/^attachment; filename="crm-app-3\.0\.0\.zip"$/);
    const bytes = new Uint8Array(await first.arrayBuffer());
    expect(new Uint8Array(await (await download()).arrayBuffer())).toEqual(bytes);
    const files = (await api.get<PackageFiles>('/api/package')).body;
    expect(unzipPackage(bytes)).toEqual(files);

    const upload = (body: Uint8Array<ArrayBuffer>, path = '/api/package/preview') =>
      api.app.request(path, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/zip' },
        body,
      });
    const preview = (await (await upload(bytes)).json()) as PackagePreview;
    expect(preview.summary).toEqual({ added: 0, changed: 0, unchanged: 3 });
    // a zip of the package's folder, as an archiver makes it, reads the same
    const inFolder = Object.fromEntries(Object.entries(files).map(([p, text]) => [`crm-app/${p}`, text]));
    const changed = withJson(inFolder, 'crm-app/roles/rep.json', (role) => {
      (role.label as Record<string, string>).en = 'Account manager';
    });
    const imported = await upload(zipPackage(changed), '/api/package/import');
    expect(imported.status).toBe(200);
    expect(((await imported.json()) as PackageImportResult).summary).toEqual({
      added: 0,
      changed: 1,
      unchanged: 2,
    });
    expect((await handle().workspace.access.roles.get('rep')).definition.label.en).toBe('Account manager');

    const notZip = await upload(new TextEncoder().encode('not a zip'));
    expect(notZip.status).toBe(422);
    expect(((await notZip.json()) as { errors: { code: string }[] }).errors[0].code).toBe('zip');
    expectProblem(await api.get('/api/package?format=tar'), 400, ['/format']);
  });
});
