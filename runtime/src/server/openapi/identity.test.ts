import { Engine, type JsonSchema, openPglite, type Workspace } from '@crm/engine';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

type Doc = JsonSchema & { paths: Record<string, Record<string, JsonSchema>> };

describe('the OpenAPI document of authentication and the organisation', () => {
  let engine: Engine;
  let workspace: Workspace;
  let app: ReturnType<typeof createApp>;
  let doc: Doc;
  let cookie = '';
  let csrf = '';

  const send = async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { cookie, 'x-csrf-token': csrf };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await app.request(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: response.status === 204 ? undefined : await response.json() };
  };

  const check = (() => {
    let ajv: Ajv2020 | undefined;
    return (component: string, value: unknown) => {
      if (!ajv) {
        ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
        ajv.addSchema({ ...doc, $id: 'openapi' }, 'openapi');
      }
      const validate = ajv.getSchema(`openapi#/components/schemas/${component}`);
      if (!validate) throw new Error(`no schema ${component}`);
      expect(validate(value), `${component}: ${JSON.stringify(validate.errors)}`).toBe(true);
    };
  })();

  beforeAll(async () => {
    engine = await Engine.open({
      db: await openPglite(),
      identity: { passwordHashing: { memoryCost: 1024, timeCost: 1, parallelism: 1 } },
    });
    workspace = await engine.workspace('default');
    await workspace.identity.users.create({
      username: 'admin',
      displayName: 'Admin',
      password: 'Docs-admin-123',
      isAdmin: true,
    });
    app = createApp({ engine, workspace });
    doc = (await (await app.request('/api/openapi.json')).json()) as Doc;
  });
  afterAll(async () => {
    await engine.close();
  });

  it('declares the cookie and bearer schemes, required everywhere but the public operations', () => {
    expect(doc.components).toMatchObject({
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'crm_session' },
        token: { scheme: 'bearer' },
      },
    });
    expect(doc.security).toEqual([{ session: [] }, { token: [] }]);
    expect(doc.paths['/api/auth/login'].post.security).toEqual([]);
    expect(doc.paths['/api/health'].get.security).toEqual([]);
    expect(doc.paths['/api/org/users'].get.security).toBeUndefined();
  });

  it('describes what the endpoints really return', async () => {
    const login = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'Docs-admin-123' }),
    });
    const session = (await login.json()) as { csrfToken: string };
    check('crm.Session', session);
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    csrf = session.csrfToken;

    check('crm.Me', (await send('GET', '/api/auth/me')).body);
    const token = await send('POST', '/api/auth/tokens', { name: 'docs', scopes: ['records:read'] });
    expect(token.status).toBe(201);
    check('crm.CreatedApiToken', token.body);
    for (const entry of (await send('GET', '/api/auth/tokens')).body) check('crm.ApiToken', entry);

    const department = await send('POST', '/api/org/departments', { name: { en: 'Docs', 'zh-CN': '文档' } });
    check('crm.Department', department.body);
    const position = await send('POST', '/api/org/positions', { name: { en: 'Writer' } });
    check('crm.Position', position.body);
    const user = await send('POST', '/api/org/users', {
      username: 'writer',
      displayName: 'Writer',
      departmentId: department.body.id,
      positionId: position.body.id,
    });
    check('crm.User', user.body);
    check('crm.UserPage', (await send('GET', '/api/org/users?count=true')).body);
    await workspace.identity.roles.ensureRole({ id: 'docs_role', label: { en: 'Docs' } });
    check(
      'crm.RoleAssignment',
      (
        await send('POST', '/api/org/role-assignments', {
          roleId: 'docs_role',
          departmentId: department.body.id,
        })
      ).body,
    );
    for (const assignment of (await send('GET', '/api/org/role-assignments')).body)
      check('crm.RoleAssignment', assignment);
    check('crm.LoginHistoryPage', (await send('GET', '/api/org/login-history?count=true')).body);
    check('crm.SecuritySettings', (await send('GET', '/api/org/security')).body);
    const problem = await send('POST', '/api/org/users', { username: 'writer', displayName: 'Again' });
    expect(problem.status).toBe(409);
    check('crm.Problem', problem.body);
  });
});
