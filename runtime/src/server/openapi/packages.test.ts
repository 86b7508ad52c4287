import { Engine, type JsonSchema, openPglite, SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

describe('the OpenAPI document of app packages', () => {
  let engine: Engine;
  let workspace: Workspace;
  let app: ReturnType<typeof createApp>;
  let authorization = '';
  let ajv: Ajv2020;

  const check = (component: string, value: unknown) => {
    const validate = ajv.getSchema(`openapi#/components/schemas/${component}`);
    if (!validate) throw new Error(`no schema ${component}`);
    expect(validate(value), `${component}: ${JSON.stringify(validate.errors)}`).toBe(true);
  };
  const send = async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { authorization, 'content-type': 'application/json' };
    const response = await app.request(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };

  beforeAll(async () => {
    engine = await Engine.open({
      db: await openPglite(),
      identity: { passwordHashing: { memoryCost: 1024, timeCost: 1, parallelism: 1 } },
    });
    workspace = await engine.workspace('default');
    const admin = await workspace.identity.users.create({
      username: 'admin',
      displayName: 'Admin',
      password: 'Docs-admin-123',
      isAdmin: true,
    });
    authorization = `Bearer ${(await workspace.identity.tokens.create(admin.id, { name: 'docs', scopes: ['admin'] })).token}`;
    await workspace.definitions.saveDraft({
      id: 'mod_docs',
      name: 'lead',
      label: { en: 'Lead' },
      fields: [{ id: 'fld_company', name: 'company', type: 'text', label: { en: 'Company' } }],
    });
    await workspace.definitions.publish();
    await workspace.access.roles.create(
      { id: 'docs', label: { en: 'Docs' }, modules: { mod_docs: { read: 'all' } } },
      SYSTEM_ACTOR,
    );
    app = createApp({ engine, workspace });
    const doc = (await (await app.request('/api/openapi.json')).json()) as JsonSchema;
    ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
    ajv.addSchema({ ...doc, $id: 'openapi' }, 'openapi');
  });
  afterAll(async () => {
    await engine.close();
  });

  it('describes the files, the preview, the import and their problems as the API returns them', async () => {
    const files = await send('GET', '/api/package');
    expect(files.status).toBe(200);
    check('crm.PackageFiles', files.body);
    const lead = JSON.parse(files.body['modules/lead.json']);
    lead.fields.push({ id: 'fld_city', name: 'city', type: 'text', label: { en: 'City' } });
    const changed = { ...files.body, 'modules/lead.json': JSON.stringify(lead) };
    const preview = await send('POST', '/api/package/preview', changed);
    expect(preview.body.items[0].changes).toHaveLength(1);
    check('crm.PackagePreview', preview.body);
    const imported = await send('POST', '/api/package/import', changed);
    expect(imported.body.imported).toBe(true);
    check('crm.PackageImportResult', imported.body);
    const refused = await send('POST', '/api/package/import', { ...changed, 'roles/docs.json': '{' });
    expect(refused.status).toBe(422);
    check('crm.Problem', refused.body);
  });
});
